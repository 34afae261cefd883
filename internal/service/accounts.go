package service

import (
	"context"
	"slices"

	"tili/internal/crm"
	"tili/internal/store"
)

// Accounts is the use-case surface for companies.
type Accounts struct{ *base }

// Get returns the company if p may see it. One it may not see does not exist for p: the error is the
// same NotFound a missing id gives, so nobody learns what others have. Confidential fields p may not
// see are left empty.
func (s *Accounts) Get(ctx context.Context, p crm.Principal, id int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	a, _, err := s.get(ctx, v, id)
	return a, err
}

// get returns the company with its access if v may see it, confidential fields redacted for v.
func (s *Accounts) get(ctx context.Context, v crm.Viewer, id int64) (*crm.Account, crm.Access, error) {
	a, err := s.db.Account(ctx, id)
	if err != nil {
		return nil, crm.Access{}, err
	}
	ok, acc, err := s.allows(ctx, v, accountAccess(a), v.CanSee)
	if err != nil {
		return nil, acc, err
	}
	if !ok {
		return nil, acc, crm.Errorf(crm.NotFound, "there is no company #%d", id)
	}
	redactAccount(v, a)
	return a, acc, nil
}

// redactAccount empties the confidential fields v may not see.
func redactAccount(v crm.Viewer, a *crm.Account) {
	if !v.CanSeeConfidential(crm.Access{Entity: "account", OwnerID: a.OwnerID, TeamID: a.TeamID}) {
		a.InternalNotes = ""
	}
}

// getForEdit returns the company if v may change it: NotFound when v may not see it, Forbidden when v
// may only look.
func (s *Accounts) getForEdit(ctx context.Context, v crm.Viewer, id int64) (*crm.Account, crm.Access, error) {
	a, acc, err := s.get(ctx, v, id)
	if err != nil {
		return nil, acc, err
	}
	ok, acc, err := s.allows(ctx, v, acc, v.CanEdit)
	if err != nil {
		return nil, acc, err
	}
	if !ok {
		return nil, acc, s.refuse(ctx, v, "account", id, crm.Errorf(crm.Forbidden, "you may view %s but not change it", a.Name))
	}
	return a, acc, nil
}

// refuse records a refused change in the audit log and returns err.
func (b *base) refuse(ctx context.Context, v crm.Viewer, entity string, id int64, err *crm.Error) error {
	if aerr := b.audit(ctx, v.Principal, "access.refused", entity, id, err.Message); aerr != nil {
		return aerr
	}
	return err
}

// Create adds a company as p. Without an owner it is p's own (the system's stays unassigned); its team,
// when not given, is its owner's first team. The records it may duplicate (by name or domain) are
// returned with it.
func (s *Accounts) Create(ctx context.Context, p crm.Principal, a *crm.Account) (Saved[*crm.Account], error) {
	var out Saved[*crm.Account]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	if !v.CanCreate() {
		return out, s.refuse(ctx, v, "account", 0, crm.Errorf(crm.Forbidden, "your role (%s) may not add companies", v.Role))
	}
	a.ID = 0
	if a.OwnerID == 0 {
		a.OwnerID = p.UserID // a user's new company is theirs; the system's stays unassigned
	}
	if err := a.Validate(s.phoneRegion); err != nil {
		return out, err
	}
	if err := s.checkOwnerAndTeam(ctx, a.OwnerID, &a.TeamID); err != nil {
		return out, err
	}
	if !v.CanSeeConfidential(crm.Access{Entity: "account", OwnerID: a.OwnerID}) && a.InternalNotes != "" {
		return out, &crm.Error{Code: crm.Forbidden, Field: "internal_notes", Message: "only the owner, their managers and administrators may write a company's internal notes"}
	}
	if a.ParentID != 0 {
		if _, _, err := s.get(ctx, v, a.ParentID); err != nil {
			return out, crm.FieldError("parent_id", "there is no company #%d to be the parent company", a.ParentID)
		}
	}
	if err := s.db.CreateAccount(ctx, actor(p), a); err != nil {
		return out, err
	}
	out.Record = a
	likely, err := s.db.AccountLookalikes(ctx, a)
	if err != nil {
		return out, err
	}
	out.Likely, err = s.visibleLikely(ctx, v, likely)
	return out, err
}

// Lookalikes returns the companies p sees that a (not yet saved, or being edited) may duplicate.
func (s *Accounts) Lookalikes(ctx context.Context, p crm.Principal, a *crm.Account) ([]store.Likely, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	likely, err := s.db.AccountLookalikes(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.visibleLikely(ctx, v, likely)
}

// Update saves a as p, if p may edit it and a is valid; a.Version must be the version p read. The owner
// does not change here (Reassign does that); confidential fields p may not see keep their values.
func (s *Accounts) Update(ctx context.Context, p crm.Principal, a *crm.Account) (Saved[*crm.Account], error) {
	var out Saved[*crm.Account]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	current, acc, err := s.getForEdit(ctx, v, a.ID)
	if err != nil {
		return out, err
	}
	if a.OwnerID != current.OwnerID {
		return out, crm.FieldError("owner", "the owner changes through reassigning the company, not by editing it")
	}
	if !v.CanSeeConfidential(acc) {
		if a.InternalNotes != "" {
			return out, &crm.Error{Code: crm.Forbidden, Field: "internal_notes", Message: "only the owner, their managers and administrators may write a company's internal notes"}
		}
		stored, err := s.db.Account(ctx, a.ID)
		if err != nil {
			return out, err
		}
		a.InternalNotes = stored.InternalNotes
	}
	if err := a.Validate(s.phoneRegion); err != nil {
		return out, err
	}
	if a.TeamID != current.TeamID {
		if err := s.checkOwnerAndTeam(ctx, 0, &a.TeamID); err != nil {
			return out, err
		}
	}
	if a.ParentID != 0 && a.ParentID != current.ParentID {
		if _, _, err := s.get(ctx, v, a.ParentID); err != nil {
			return out, crm.FieldError("parent_id", "there is no company #%d to be the parent company", a.ParentID)
		}
	}
	if err := s.db.UpdateAccount(ctx, actor(p), a); err != nil {
		return out, err
	}
	redactAccount(v, a)
	out.Record = a
	if a.Name != current.Name || a.Website != current.Website {
		likely, err := s.db.AccountLookalikes(ctx, a)
		if err != nil {
			return out, err
		}
		out.Likely, err = s.visibleLikely(ctx, v, likely)
		return out, err
	}
	return out, nil
}

// Reassign gives the company to another owner (0: unassigned); its team becomes the new owner's first
// team. Administrators may, sales heads for what they may change, and account managers for their own.
// With version > 0 it must be the version p saw.
func (s *Accounts) Reassign(ctx context.Context, p crm.Principal, id, ownerID, version int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	a, acc, err := s.get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if ok, _, err := s.allows(ctx, v, acc, v.CanReassign); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.refuse(ctx, v, "account", id, crm.Errorf(crm.Forbidden, "you may not reassign %s", a.Name))
	}
	full, err := s.db.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if version > 0 {
		full.Version = version
	}
	full.OwnerID, full.TeamID = ownerID, 0
	if ownerID == 0 {
		full.TeamID = a.TeamID
	}
	if err := s.checkOwnerAndTeam(ctx, ownerID, &full.TeamID); err != nil {
		return nil, err
	}
	if full.TeamID == 0 {
		full.TeamID = a.TeamID // a new owner without a team leaves the team as it was
	}
	if err := s.db.UpdateAccount(ctx, actor(p), full); err != nil {
		return nil, err
	}
	redactAccount(v, full)
	return full, nil
}

// Delete moves the company to the bin; with version > 0 it must be the version p saw.
func (s *Accounts) Delete(ctx context.Context, p crm.Principal, id, version int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.getForEdit(ctx, v, id); err != nil {
		return nil, err
	}
	a, err := s.db.DeleteAccount(ctx, actor(p), id, version)
	if a != nil {
		redactAccount(v, a)
	}
	return a, err
}

// Restore brings the company back from the bin.
func (s *Accounts) Restore(ctx context.Context, p crm.Principal, id int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.getForEdit(ctx, v, id); err != nil {
		return nil, err
	}
	a, err := s.db.RestoreAccount(ctx, actor(p), id)
	if a != nil {
		redactAccount(v, a)
	}
	return a, err
}

// Merge merges company dupID into keepID; p must be allowed to change both. fromDup names the fields whose
// value p picked from the duplicate; the others follow the merge rule (keep's, or dup's where keep has none).
func (s *Accounts) Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, id := range []int64{keepID, dupID} {
		_, acc, err := s.getForEdit(ctx, v, id)
		if err != nil {
			return nil, err
		}
		if slices.Contains(fromDup, "internal_notes") && !v.CanSeeConfidential(acc) {
			return nil, &crm.Error{Code: crm.Forbidden, Field: "internal_notes", Message: "only the owner, their managers and administrators may pick a company's internal notes"}
		}
	}
	a, err := s.db.MergeAccounts(ctx, actor(p), keepID, dupID, fromDup...)
	if a != nil {
		redactAccount(v, a)
	}
	return a, err
}

// List returns a page of the companies p sees that match f.
func (s *Accounts) List(ctx context.Context, p crm.Principal, f store.AccountFilter) (store.Page[*crm.Account], error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return store.Page[*crm.Account]{}, err
	}
	page, err := s.db.ListAccounts(ctx, store.Scope{V: v}, f)
	for _, a := range page.Items {
		redactAccount(v, a)
	}
	return page, err
}

// Rights is what the caller may do with one record, for showing only the actions that will work.
type Rights struct {
	Edit, Delete, Share, Reassign, Confidential bool
}

// Rights tells what p may do with the company id.
func (s *Accounts) Rights(ctx context.Context, p crm.Principal, id int64) (Rights, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return Rights{}, err
	}
	_, acc, err := s.get(ctx, v, id)
	if err != nil {
		return Rights{}, err
	}
	if acc, err = s.withShares(ctx, v, acc); err != nil {
		return Rights{}, err
	}
	return Rights{Edit: v.CanEdit(acc), Delete: v.CanDelete(acc), Share: v.CanShare(acc), Reassign: v.CanReassign(acc),
		Confidential: v.CanSeeConfidential(acc)}, nil
}

// Names returns the names of the companies among ids that p may see, in one query: for showing a
// page of people with their companies.
func (s *Accounts) Names(ctx context.Context, p crm.Principal, ids []int64) (map[int64]string, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	accounts, err := s.db.AccountsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(accounts))
	for id, a := range accounts {
		ok, _, err := s.allows(ctx, v, accountAccess(a), v.CanSee)
		if err != nil {
			return nil, err
		}
		if ok {
			out[id] = a.Name
		}
	}
	return out, nil
}
