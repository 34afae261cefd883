package service

import (
	"context"

	"tili/internal/crm"
	"tili/internal/store"
)

// Accounts is the use-case surface for companies.
type Accounts struct{ *base }

// Get returns the company if p may see it. One it may not see does not exist for p: the error is the
// same NotFound a missing id gives, so nobody learns what others have.
func (s *Accounts) Get(ctx context.Context, p crm.Principal, id int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, v, id)
}

func (s *Accounts) get(ctx context.Context, v crm.Viewer, id int64) (*crm.Account, error) {
	a, err := s.db.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if !v.CanSee(accountOwnership(a)) {
		return nil, crm.Errorf(crm.NotFound, "there is no company #%d", id)
	}
	return a, nil
}

// getForEdit returns the company if p may change it: NotFound when p may not see it, Forbidden when p
// may only look.
func (s *Accounts) getForEdit(ctx context.Context, v crm.Viewer, id int64) (*crm.Account, error) {
	a, err := s.get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if !v.CanEdit(accountOwnership(a)) {
		return nil, crm.Errorf(crm.Forbidden, "you may view %s but not change it", a.Name)
	}
	return a, nil
}

// Create adds a company as p. Its team, when not given, is its owner's first team. The records it may
// duplicate (by name or domain) are returned with it.
func (s *Accounts) Create(ctx context.Context, p crm.Principal, a *crm.Account) (Saved[*crm.Account], error) {
	var out Saved[*crm.Account]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	if !v.CanCreate() {
		return out, crm.Errorf(crm.Forbidden, "your role (%s) may not add companies", p.Role)
	}
	a.ID = 0
	if err := a.Validate(s.phoneRegion); err != nil {
		return out, err
	}
	if err := s.checkOwnerAndTeam(ctx, a.OwnerID, &a.TeamID); err != nil {
		return out, err
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

// Update saves a as p, if p may edit it and a is valid; a.Version must be the version p read.
func (s *Accounts) Update(ctx context.Context, p crm.Principal, a *crm.Account) (Saved[*crm.Account], error) {
	var out Saved[*crm.Account]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	current, err := s.getForEdit(ctx, v, a.ID)
	if err != nil {
		return out, err
	}
	if err := a.Validate(s.phoneRegion); err != nil {
		return out, err
	}
	if a.OwnerID != current.OwnerID || a.TeamID != current.TeamID {
		if err := s.checkOwnerAndTeam(ctx, a.OwnerID, &a.TeamID); err != nil {
			return out, err
		}
	}
	if err := s.db.UpdateAccount(ctx, actor(p), a); err != nil {
		return out, err
	}
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

// Delete moves the company to the bin; with version > 0 it must be the version p saw.
func (s *Accounts) Delete(ctx context.Context, p crm.Principal, id, version int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, err := s.getForEdit(ctx, v, id); err != nil {
		return nil, err
	}
	return s.db.DeleteAccount(ctx, actor(p), id, version)
}

// Restore brings the company back from the bin.
func (s *Accounts) Restore(ctx context.Context, p crm.Principal, id int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, err := s.getForEdit(ctx, v, id); err != nil {
		return nil, err
	}
	return s.db.RestoreAccount(ctx, actor(p), id)
}

// Merge merges company dupID into keepID; p must be allowed to change both.
func (s *Accounts) Merge(ctx context.Context, p crm.Principal, keepID, dupID int64) (*crm.Account, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, id := range []int64{keepID, dupID} {
		if _, err := s.getForEdit(ctx, v, id); err != nil {
			return nil, err
		}
	}
	return s.db.MergeAccounts(ctx, actor(p), keepID, dupID)
}

// List returns a page of the companies p sees that match f.
func (s *Accounts) List(ctx context.Context, p crm.Principal, f store.AccountFilter) (store.Page[*crm.Account], error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return store.Page[*crm.Account]{}, err
	}
	return s.db.ListAccounts(ctx, store.Scope{V: v}, f)
}
