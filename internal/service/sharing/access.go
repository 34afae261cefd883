package sharing

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/store"
)

// Service is sharing: explicit shares of single records, and how far teams see their members' records.
type Service struct{ core *service.Core }

// New builds the use cases of sharing on core.
func New(core *service.Core) *Service { return &Service{core: core} }

// shareAccess returns the access that decides who may share record id of entity, and the record's name,
// if v may see it; NotFound when v may not. Whoever may share a record's parent record may share the
// record too: then the parent's access is returned.
func (s *Service) shareAccess(ctx context.Context, r store.Reader, v crm.Viewer, entity string, id int64) (crm.Access, string, error) {
	kind, err := crm.ShareableKindNamed("entity", entity)
	if err != nil {
		return crm.Access{}, "", err
	}
	ra, name, err := s.core.Kinds().Of(kind).Access(ctx, r, v, id)
	if err != nil {
		return crm.Access{}, "", err
	}
	if ra.Parent != nil {
		if ra, err = s.core.WithAllShares(ctx, r, v, ra); err != nil {
			return crm.Access{}, "", err
		}
		if !v.CanShare(ra.Access) && v.CanShare(*ra.Parent) {
			return *ra.Parent, name, nil
		}
	}
	return ra.Access, name, nil
}

// RecordName returns the name of record id of the kind called entity, if p may see it.
func (s *Service) RecordName(ctx context.Context, p crm.Principal, entity string, id int64) (string, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return "", err
	}
	rules, err := s.core.Kinds().Named("entity", entity)
	if err != nil {
		return "", err
	}
	_, name, err := rules.Access(ctx, s.core.DB.Reader, v, id)
	return name, err
}

// Shares returns the explicit shares of a record p may see.
func (s *Service) Shares(ctx context.Context, p crm.Principal, entity string, id int64) ([]crm.Share, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.shareAccess(ctx, s.core.DB.Reader, v, entity, id); err != nil {
		return nil, err
	}
	return s.core.DB.Shares(ctx, entity, id)
}

// Share grants a user or a team read or edit on a record: whoever may reassign the record may share it.
func (s *Service) Share(ctx context.Context, p crm.Principal, sh *crm.Share) error {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return err
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		acc, name, err := s.shareAccess(ctx, tx.Reader, v, sh.Entity, sh.EntityID)
		if err != nil {
			return err
		}
		if ok, _, err := s.core.Allows(ctx, tx.Reader, v, crm.RecordAccess{Access: acc}, func(ra crm.RecordAccess) bool { return v.CanShare(ra.Access) }); err != nil {
			return err
		} else if !ok {
			return service.Refuse(sh.Entity, sh.EntityID, crm.Errorf(crm.Forbidden, "you may not share %s", name))
		}
		switch {
		case (sh.UserID == 0) == (sh.TeamID == 0):
			return crm.FieldError("user", "share with one user or one team")
		case sh.UserID != 0:
			if _, err := tx.User(ctx, sh.UserID); err != nil {
				return crm.FieldError("user", "there is no user #%d", sh.UserID)
			}
		default:
			if _, err := tx.Team(ctx, sh.TeamID); err != nil {
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
		if err := tx.PutShare(ctx, service.Actor(p), sh); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "share.granted", sh.Entity, sh.EntityID,
			fmt.Sprintf("share=%d user=%d team=%d level=%s", sh.ID, sh.UserID, sh.TeamID, sh.Level))
	})
}

// Unshare withdraws a share: whoever may share the record.
func (s *Service) Unshare(ctx context.Context, p crm.Principal, shareID int64) (*crm.Share, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	var sh *crm.Share
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if sh, err = tx.ShareByID(ctx, shareID); err != nil {
			return err
		}
		acc, name, err := s.shareAccess(ctx, tx.Reader, v, sh.Entity, sh.EntityID)
		if err != nil {
			return crm.Errorf(crm.NotFound, "there is no share #%d", shareID)
		}
		if ok, _, err := s.core.Allows(ctx, tx.Reader, v, crm.RecordAccess{Access: acc}, func(ra crm.RecordAccess) bool { return v.CanShare(ra.Access) }); err != nil {
			return err
		} else if !ok {
			return service.Refuse(sh.Entity, sh.EntityID, crm.Errorf(crm.Forbidden, "you may not change who sees %s", name))
		}
		if err := tx.DeleteShare(ctx, service.Actor(p), sh); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "share.withdrawn", sh.Entity, sh.EntityID, fmt.Sprintf("share=%d", sh.ID))
	})
	if err != nil {
		return nil, err
	}
	return sh, nil
}

// Sharing returns the sharing setting of each shareable kind of record (account, contact).
func (s *Service) Sharing(ctx context.Context, p crm.Principal) (map[string]crm.Sharing, error) {
	if _, err := s.core.Viewer(ctx, p); err != nil {
		return nil, err
	}
	set, err := s.core.DB.Sharing(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range crm.ShareableKinds() {
		if _, ok := set[k.Name]; !ok {
			set[k.Name] = crm.SharingTeamRead
		}
	}
	return set, nil
}

// SetSharing sets how far teams see their members' records of a kind; administrators only.
func (s *Service) SetSharing(ctx context.Context, p crm.Principal, entity string, sharing crm.Sharing) error {
	if err := s.core.AdminChange(ctx, p, "change sharing settings", entity, 0); err != nil {
		return err
	}
	if _, err := crm.ShareableKindNamed("entity", entity); err != nil {
		return err
	}
	ok := false
	for _, x := range crm.Sharings {
		ok = ok || x == sharing
	}
	if !ok {
		return crm.FieldError("sharing", "%q is not a sharing setting; use private, team_read, team_edit or everyone_read", sharing)
	}
	return s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetSharing(ctx, service.Actor(p), entity, sharing); err != nil {
			return err
		}
		return s.core.Audit(ctx, tx, p, "sharing.changed", entity, 0, string(sharing))
	})
}
