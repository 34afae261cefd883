package accounts

import (
	"context"
	"slices"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/store"
	accountstore "tili/internal/store/accounts"
)

// Service is the use-case surface for companies.
type Service struct {
	core *service.Core
	service.Bin[*crm.Account]
	service.LookalikeFinder[*crm.Account]
}

// Filter narrows a list of companies.
type Filter = accountstore.Filter

// LoadRef returns what decides who sees company id and whether it is in the bin, read through r.
func LoadRef(ctx context.Context, r store.Reader, id int64) (accountstore.Ref, error) {
	return accountstore.GetRef(ctx, r, id)
}

// Live returns which of the companies ids exist and are not in the bin, read through r.
func Live(ctx context.Context, r store.Reader, ids []int64) (map[int64]bool, error) {
	return accountstore.Live(ctx, r, ids)
}

// New builds the use cases of companies on core and registers their rules there.
func New(core *service.Core) *Service {
	s := &Service{core: core}
	s.Bin = service.NewBin(core, s.getForEdit, accountstore.Delete, accountstore.Restore, redactAccount)
	s.LookalikeFinder = service.NewLookalikeFinder(core, accountstore.Lookalikes)
	core.Register(s.rules())
	return s
}

// rules are what shared code needs of companies.
func (s *Service) rules() *service.KindRules {
	return &service.KindRules{Kind: crm.KindAccount,
		Access: func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (crm.RecordAccess, string, error) {
			a, ra, err := s.get(ctx, r, v, id)
			if err != nil {
				return ra, "", err
			}
			return ra, a.Name, nil
		},
		SeesConfidential: func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (bool, error) {
			a, err := accountstore.Get(ctx, r, id)
			if err != nil {
				return false, err
			}
			return v.CanSeeConfidential(AccountAccess(a)), nil
		}}
}

// Get returns the company if p may see it. One it may not see does not exist for p: the error is the
// same NotFound a missing id gives, so nobody learns what others have. Confidential fields p may not
// see are left empty.
func (s *Service) Get(ctx context.Context, p crm.Principal, id int64) (*crm.Account, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	a, _, err := s.get(ctx, s.core.DB.Reader, v, id)
	return a, err
}

// get returns the company, read through r, with its access if v may see it, confidential fields redacted
// for v.
func (s *Service) get(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (*crm.Account, crm.RecordAccess, error) {
	a, ra, err := s.getStored(ctx, r, v, id)
	if err != nil {
		return nil, ra, err
	}
	redactAccount(v, a)
	return a, ra, nil
}

// getStored is get without the redaction: the company as stored, for a change written over it.
func (s *Service) getStored(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (*crm.Account, crm.RecordAccess, error) {
	a, err := accountstore.Get(ctx, r, id)
	if err != nil {
		return nil, crm.RecordAccess{}, err
	}
	ok, ra, err := s.core.Allows(ctx, r, v, crm.RecordAccess{Access: AccountAccess(a)}, v.CanSeeRecord)
	if err != nil {
		return nil, ra, err
	}
	if !ok {
		return nil, ra, crm.Errorf(crm.NotFound, "there is no company #%d", id)
	}
	return a, ra, nil
}

// redactAccount empties the confidential fields v may not see.
func redactAccount(v crm.Viewer, a *crm.Account) {
	if !v.CanSeeConfidential(AccountAccess(a)) {
		a.InternalNotes = ""
	}
}

// getForEdit returns the company if v may change it: NotFound when v may not see it, a refusal when v
// may only look.
func (s *Service) getForEdit(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (*crm.Account, crm.RecordAccess, error) {
	a, ra, err := s.getStoredForEdit(ctx, r, v, id)
	if err != nil {
		return nil, ra, err
	}
	redactAccount(v, a)
	return a, ra, nil
}

// getStoredForEdit is getForEdit without the redaction.
func (s *Service) getStoredForEdit(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (*crm.Account, crm.RecordAccess, error) {
	a, ra, err := s.getStored(ctx, r, v, id)
	if err != nil {
		return nil, ra, err
	}
	ok, ra, err := s.core.Allows(ctx, r, v, ra, v.CanEditRecord)
	if err != nil {
		return nil, ra, err
	}
	if !ok {
		return nil, ra, service.Refuse(crm.KindAccount.Name, id, crm.Errorf(crm.Forbidden, "you may view %s but not change it", a.Name))
	}
	return a, ra, nil
}

// internalNotesRefused refuses writing the confidential notes of company id (0: a new one).
func internalNotesRefused(id int64) error {
	return service.Refuse(crm.KindAccount.Name, id, &crm.Error{Code: crm.Forbidden, Field: "internal_notes",
		Message: "only the owner, their managers and administrators may write a company's internal notes"})
}

// checkParentLink refuses a parent company v may not see (it does not exist for v).
func (s *Service) checkParentLink(ctx context.Context, r store.Reader, v crm.Viewer, parentID int64) error {
	if _, _, err := s.get(ctx, r, v, parentID); err != nil {
		if crm.CodeOf(err) == crm.NotFound {
			return crm.FieldError("parent_id", "there is no company #%d to be the parent company", parentID)
		}
		return err
	}
	return nil
}

// Create adds a company as p. Without an owner it is p's own (the system's stays unassigned); its team,
// when not given, is its owner's first team. The records it may duplicate (by name or domain) are
// returned with it.
func (s *Service) Create(ctx context.Context, p crm.Principal, a *crm.Account) (service.Saved[*crm.Account], error) {
	var out service.Saved[*crm.Account]
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return out, err
	}
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if !v.CanCreate() {
			return service.Refuse(crm.KindAccount.Name, 0, crm.Errorf(crm.Forbidden, "your role (%s) may not add companies", v.Role))
		}
		a.ID = 0
		if a.OwnerID == 0 {
			a.OwnerID = p.UserID // a user's new company is theirs; the system's stays unassigned
		}
		if err := a.Validate(s.core.PhoneRegion); err != nil {
			return err
		}
		if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, a.OwnerID, &a.TeamID); err != nil {
			return err
		}
		if !v.CanSeeConfidential(crm.Access{Entity: crm.KindAccount.Name, OwnerID: a.OwnerID}) && a.InternalNotes != "" {
			return internalNotesRefused(0)
		}
		if a.ParentID != 0 {
			if err := s.checkParentLink(ctx, tx.Reader, v, a.ParentID); err != nil {
				return err
			}
		}
		return accountstore.Create(ctx, tx, service.Actor(p), a)
	})
	if err != nil {
		return out, err
	}
	return s.WithLookalikes(ctx, v, a)
}

// Update saves a as p, if p may edit it and a is valid; a.Version must be the version p read. The owner
// does not change here (Reassign and Edit do that); confidential fields p may not see keep
// their values.
func (s *Service) Update(ctx context.Context, p crm.Principal, a *crm.Account) (service.Saved[*crm.Account], error) {
	return s.Edit(ctx, p, a, nil)
}

// Edit is Update that can also reassign: with reassignTo, a's fields are saved and the company goes to
// that owner (0: unassigned) in one change, all or nothing, and p must be allowed both. Unless the
// change names another team, the team becomes the new owner's first team.
func (s *Service) Edit(ctx context.Context, p crm.Principal, a *crm.Account, reassignTo *int64) (service.Saved[*crm.Account], error) {
	return s.modify(ctx, p, a.ID, func(*crm.Account) (*crm.Account, error) { return a, nil }, reassignTo)
}

// Patch changes company id as p in one read and one write: change gets the company as p sees it and
// returns it changed (or an error, such as a stale version), which is then saved as Update saves.
func (s *Service) Patch(ctx context.Context, p crm.Principal, id int64, change func(current *crm.Account) (*crm.Account, error)) (service.Saved[*crm.Account], error) {
	return s.modify(ctx, p, id, change, nil)
}

// modify reads company id with the right to change it, has change make the new version from the
// company as p sees it, and saves that (reassigned with reassignTo, as Edit says). The read comes
// before the transaction, so the one writer waits for none of it: a change made meanwhile fails the
// update on the version.
func (s *Service) modify(ctx context.Context, p crm.Principal, id int64, change func(current *crm.Account) (*crm.Account, error), reassignTo *int64) (service.Saved[*crm.Account], error) {
	var out service.Saved[*crm.Account]
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return out, err
	}
	stored, ra, err := s.getStoredForEdit(ctx, s.core.DB.Reader, v, id)
	if err != nil {
		return out, s.core.AuditRefusal(ctx, p, err)
	}
	shown := *stored
	redactAccount(v, &shown)
	current := &shown
	a, err := change(&shown)
	if err != nil {
		return out, err
	}
	a.ID = id
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if reassignTo != nil {
			if ok, _, err := s.core.Allows(ctx, tx.Reader, v, ra, func(ra crm.RecordAccess) bool { return v.CanReassign(ra.Access) }); err != nil {
				return err
			} else if !ok {
				return service.Refuse(crm.KindAccount.Name, a.ID, crm.Errorf(crm.Forbidden, "you may not reassign %s", current.Name))
			}
			team := a.TeamID
			if team == current.TeamID {
				team = 0 // the new owner's first team, unless the change names one
			}
			if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, *reassignTo, &team); err != nil {
				return err
			}
			if team == 0 {
				team = a.TeamID
			}
			a.OwnerID, a.TeamID = *reassignTo, team
		} else if a.OwnerID != current.OwnerID {
			return crm.FieldError("owner", "the owner changes through reassigning the company, not by editing it")
		}
		if !v.CanSeeConfidential(ra.Access) {
			if a.InternalNotes != "" {
				return internalNotesRefused(a.ID)
			}
			a.InternalNotes = stored.InternalNotes
		}
		if err := a.Validate(s.core.PhoneRegion); err != nil {
			return err
		}
		if a.TeamID != current.TeamID {
			if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, 0, &a.TeamID); err != nil {
				return err
			}
		}
		if a.ParentID != 0 && a.ParentID != current.ParentID {
			if err := s.checkParentLink(ctx, tx.Reader, v, a.ParentID); err != nil {
				return err
			}
		}
		return accountstore.UpdateFrom(ctx, tx, service.Actor(p), stored, a)
	})
	if err != nil {
		return out, err
	}
	redactAccount(v, a)
	out.Record = a
	if a.Name != current.Name || a.Website != current.Website {
		return s.WithLookalikes(ctx, v, a)
	}
	return out, err
}

// Reassign gives the company to another owner (0: unassigned); its team becomes the new owner's first
// team. Administrators may, sales heads for what they may change, and account managers for their own.
// With version > 0 it must be the version p saw.
func (s *Service) Reassign(ctx context.Context, p crm.Principal, id, ownerID, version int64) (*crm.Account, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	var full *crm.Account
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		a, ra, err := s.get(ctx, tx.Reader, v, id)
		if err != nil {
			return err
		}
		if ok, _, err := s.core.Allows(ctx, tx.Reader, v, ra, func(ra crm.RecordAccess) bool { return v.CanReassign(ra.Access) }); err != nil {
			return err
		} else if !ok {
			return service.Refuse(crm.KindAccount.Name, id, crm.Errorf(crm.Forbidden, "you may not reassign %s", a.Name))
		}
		if full, err = accountstore.Get(ctx, tx.Reader, id); err != nil {
			return err
		}
		if version > 0 {
			full.Version = version
		}
		full.OwnerID, full.TeamID = ownerID, 0
		if ownerID == 0 {
			full.TeamID = a.TeamID
		}
		if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, ownerID, &full.TeamID); err != nil {
			return err
		}
		if full.TeamID == 0 {
			full.TeamID = a.TeamID // a new owner without a team leaves the team as it was
		}
		return accountstore.Update(ctx, tx, service.Actor(p), full)
	})
	if err != nil {
		return nil, err
	}
	redactAccount(v, full)
	return full, nil
}

// Merge merges company dupID into keepID; p must be allowed to change both. fromDup names the fields whose
// value p picked from the duplicate; the others follow the merge rule (keep's, or dup's where keep has
// none), except the duplicate's internal notes when p may not see them: they stay with the duplicate.
// The records that belong to the duplicate (its people) move to the kept company in the same transaction.
func (s *Service) Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (*crm.Account, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	var merged *crm.Account
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		dupHidden := false // the duplicate's notes are not for p's eyes: they stay with it
		for _, id := range []int64{keepID, dupID} {
			_, ra, err := s.getForEdit(ctx, tx.Reader, v, id)
			if err != nil {
				return err
			}
			if id == dupID {
				dupHidden = !v.CanSeeConfidential(ra.Access)
			}
			if slices.Contains(fromDup, "internal_notes") && !v.CanSeeConfidential(ra.Access) {
				return service.Refuse(crm.KindAccount.Name, id, &crm.Error{Code: crm.Forbidden, Field: "internal_notes",
					Message: "only the owner, their managers and administrators may pick a company's internal notes"})
			}
		}
		var err error
		if merged, err = accountstore.Merge(ctx, tx, service.Actor(p), keepID, dupID, dupHidden, fromDup...); err != nil {
			return err
		}
		for _, child := range s.core.Kinds().ChildrenOf(crm.KindAccount) {
			if err := child.ParentMerged(ctx, tx, service.Actor(p), dupID, keepID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	redactAccount(v, merged)
	return merged, nil
}

// List returns a page of the companies p sees that match f.
func (s *Service) List(ctx context.Context, p crm.Principal, f accountstore.Filter) (store.Page[*crm.Account], error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return store.Page[*crm.Account]{}, err
	}
	page, err := accountstore.List(ctx, s.core.DB.Reader, store.Scope{V: v}, f)
	for _, a := range page.Items {
		redactAccount(v, a)
	}
	return page, err
}

// Names returns the names of the companies among ids that p may see, in two queries: for showing a
// page of people with their companies.
func (s *Service) Names(ctx context.Context, p crm.Principal, ids []int64) (map[int64]string, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	accounts, err := accountstore.ByID(ctx, s.core.DB.Reader, ids)
	if err != nil {
		return nil, err
	}
	visible := map[int64]bool{}
	if v.Role == crm.Admin {
		for id := range accounts {
			visible[id] = true
		}
	} else if visible, err = s.core.DB.Visible(ctx, store.Scope{V: v}, crm.KindAccount, ids); err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(accounts))
	for id, a := range accounts {
		if visible[id] {
			out[id] = a.Name
		}
	}
	return out, nil
}

// AccountAccess returns what decides who sees a: its owner and team. Its explicit shares are read by
// allows, only when ownership alone does not allow what is asked: most checks need no shares.
func AccountAccess(a *crm.Account) crm.Access {
	return crm.Access{Entity: crm.KindAccount.Name, ID: a.ID, OwnerID: a.OwnerID, TeamID: a.TeamID}
}

// Rights tells what p may do with the company id.
func (s *Service) Rights(ctx context.Context, p crm.Principal, id int64) (service.Rights, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return service.Rights{}, err
	}
	_, ra, err := s.get(ctx, s.core.DB.Reader, v, id)
	if err != nil {
		return service.Rights{}, err
	}
	if ra, err = s.core.WithAllShares(ctx, s.core.DB.Reader, v, ra); err != nil {
		return service.Rights{}, err
	}
	acc := ra.Access
	return service.Rights{Edit: v.CanEdit(acc), Delete: v.CanDelete(acc), Share: v.CanShare(acc), Reassign: v.CanReassign(acc),
		Confidential: v.CanSeeConfidential(acc)}, nil
}
