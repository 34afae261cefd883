package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
)

// Access is sharing: explicit shares of single records, and how far teams see their members' records.
type Access struct{ *base }

// recordAccess returns the access of a record p may see; NotFound when p may not see it.
func (s *Access) recordAccess(ctx context.Context, v crm.Viewer, entity string, id int64) (crm.Access, string, error) {
	switch entity {
	case "account":
		a, acc, err := (&Accounts{s.base}).get(ctx, v, id)
		if err != nil {
			return acc, "", err
		}
		return acc, a.Name, nil
	case "contact":
		c, err := (&Contacts{s.base}).get(ctx, v, id)
		if err != nil {
			return crm.Access{}, "", err
		}
		ca, err := s.contactAccess(ctx, c)
		if err != nil {
			return crm.Access{}, "", err
		}
		// who may share a person: who may share the person, or their company
		share := func(ca crm.ContactAccess) bool {
			return v.CanShare(ca.Access) || (ca.Account != nil && v.CanShare(*ca.Account))
		}
		if _, ca, err = s.allowsContact(ctx, v, ca, share); err != nil {
			return crm.Access{}, "", err
		}
		if !v.CanShare(ca.Access) && ca.Account != nil && v.CanShare(*ca.Account) {
			return *ca.Account, c.Name(), nil
		}
		return ca.Access, c.Name(), nil
	}
	return crm.Access{}, "", crm.FieldError("entity", "%q cannot be shared; share an account or a contact", entity)
}

// Shares returns the explicit shares of a record p may see.
func (s *Access) Shares(ctx context.Context, p crm.Principal, entity string, id int64) ([]crm.Share, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.recordAccess(ctx, v, entity, id); err != nil {
		return nil, err
	}
	return s.db.Shares(ctx, entity, id)
}

// Share grants a user or a team read or edit on a record: whoever may reassign the record may share it.
func (s *Access) Share(ctx context.Context, p crm.Principal, sh *crm.Share) error {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return err
	}
	acc, name, err := s.recordAccess(ctx, v, sh.Entity, sh.EntityID)
	if err != nil {
		return err
	}
	if ok, _, err := s.allows(ctx, v, acc, v.CanShare); err != nil {
		return err
	} else if !ok {
		return s.refuse(ctx, v, sh.Entity, sh.EntityID, crm.Errorf(crm.Forbidden, "you may not share %s", name))
	}
	switch {
	case (sh.UserID == 0) == (sh.TeamID == 0):
		return crm.FieldError("user", "share with one user or one team")
	case sh.UserID != 0:
		if _, err := s.db.User(ctx, sh.UserID); err != nil {
			return crm.FieldError("user", "there is no user #%d", sh.UserID)
		}
	default:
		if _, err := s.db.Team(ctx, sh.TeamID); err != nil {
			return crm.FieldError("team", "there is no team #%d", sh.TeamID)
		}
	}
	switch sh.Level {
	case "":
		sh.Level = crm.ShareRead
	case crm.ShareRead, crm.ShareEdit:
	default:
		return crm.FieldError("level", "%q is not a share level; use read or edit", sh.Level)
	}
	if err := s.db.PutShare(ctx, actor(p), sh); err != nil {
		return err
	}
	return s.audit(ctx, p, "share.granted", sh.Entity, sh.EntityID,
		fmt.Sprintf("share=%d user=%d team=%d level=%s", sh.ID, sh.UserID, sh.TeamID, sh.Level))
}

// Unshare withdraws a share: whoever may share the record.
func (s *Access) Unshare(ctx context.Context, p crm.Principal, shareID int64) (*crm.Share, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	sh, err := s.db.ShareByID(ctx, shareID)
	if err != nil {
		return nil, err
	}
	acc, name, err := s.recordAccess(ctx, v, sh.Entity, sh.EntityID)
	if err != nil {
		return nil, crm.Errorf(crm.NotFound, "there is no share #%d", shareID)
	}
	if ok, _, err := s.allows(ctx, v, acc, v.CanShare); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.refuse(ctx, v, sh.Entity, sh.EntityID, crm.Errorf(crm.Forbidden, "you may not change who sees %s", name))
	}
	if err := s.db.DeleteShare(ctx, actor(p), sh); err != nil {
		return nil, err
	}
	return sh, s.audit(ctx, p, "share.withdrawn", sh.Entity, sh.EntityID, fmt.Sprintf("share=%d", sh.ID))
}

// Sharing returns the sharing setting of each record type (account, contact).
func (s *Access) Sharing(ctx context.Context, p crm.Principal) (map[string]crm.Sharing, error) {
	if _, err := s.viewer(ctx, p); err != nil {
		return nil, err
	}
	set, err := s.db.Sharing(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range []string{"account", "contact"} {
		if _, ok := set[e]; !ok {
			set[e] = crm.SharingTeamRead
		}
	}
	return set, nil
}

// SetSharing sets how far teams see their members' records of a type; administrators only.
func (s *Access) SetSharing(ctx context.Context, p crm.Principal, entity string, sharing crm.Sharing) error {
	if err := requireAdminChange(p, "change sharing settings"); err != nil {
		return err
	}
	if entity != "account" && entity != "contact" {
		return crm.FieldError("entity", "%q has no sharing setting; use account or contact", entity)
	}
	ok := false
	for _, x := range crm.Sharings {
		ok = ok || x == sharing
	}
	if !ok {
		return crm.FieldError("sharing", "%q is not a sharing setting; use private, team_read, team_edit or everyone_read", sharing)
	}
	if err := s.db.SetSharing(ctx, actor(p), entity, sharing); err != nil {
		return err
	}
	return s.audit(ctx, p, "sharing.changed", entity, 0, string(sharing))
}
