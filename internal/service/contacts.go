package service

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/store"
)

// Contacts is the use-case surface for people.
type Contacts struct{ *base }

// contactAccess returns what decides who sees c: its own owner and team, and its company's; the shares
// of both are read by withContactShares when ownership alone does not decide.
func (b *base) contactAccess(ctx context.Context, c *crm.Contact) (crm.ContactAccess, error) {
	ca := crm.ContactAccess{Access: crm.Access{Entity: "contact", ID: c.ID, OwnerID: c.OwnerID, TeamID: c.TeamID}}
	if c.AccountID != 0 {
		a, err := b.db.Account(ctx, c.AccountID)
		if err != nil {
			return ca, err
		}
		acc := accountAccess(a)
		ca.Account = &acc
	}
	return ca, nil
}

// allowsContact is allows for a person: test sees the person's and their company's access, with the
// shares of both read only when needed.
func (b *base) allowsContact(ctx context.Context, v crm.Viewer, ca crm.ContactAccess, test func(crm.ContactAccess) bool) (bool, crm.ContactAccess, error) {
	if test(ca) {
		return true, ca, nil
	}
	var err error
	if ca.Access, err = b.withShares(ctx, v, ca.Access); err != nil {
		return false, ca, err
	}
	if ca.Account != nil {
		acc, err := b.withShares(ctx, v, *ca.Account)
		if err != nil {
			return false, ca, err
		}
		ca.Account = &acc
	}
	return test(ca), ca, nil
}

func (b *base) canSeeContact(ctx context.Context, v crm.Viewer, c *crm.Contact) (bool, error) {
	if v.Role == crm.Admin {
		return true, nil
	}
	ca, err := b.contactAccess(ctx, c)
	if err != nil {
		return false, err
	}
	ok, _, err := b.allowsContact(ctx, v, ca, v.CanSeeContact)
	return ok, err
}

// Get returns the person if p may see them; NotFound otherwise, as for a missing id.
func (s *Contacts) Get(ctx context.Context, p crm.Principal, id int64) (*crm.Contact, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, v, id)
}

func (s *Contacts) get(ctx context.Context, v crm.Viewer, id int64) (*crm.Contact, error) {
	c, err := s.db.Contact(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.canSeeContact(ctx, v, c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, crm.Errorf(crm.NotFound, "there is no person #%d", id)
	}
	return c, nil
}

func (s *Contacts) getForEdit(ctx context.Context, v crm.Viewer, id int64) (*crm.Contact, error) {
	c, err := s.get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	ca, err := s.contactAccess(ctx, c)
	if err != nil {
		return nil, err
	}
	if ok, _, err := s.allowsContact(ctx, v, ca, v.CanEditContact); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.refuse(ctx, v, "contact", id, crm.Errorf(crm.Forbidden, "you may view %s but not change them", c.Name()))
	}
	return c, nil
}

// checkAccountLink refuses a company p may not see (it does not exist for p).
func (s *Contacts) checkAccountLink(ctx context.Context, v crm.Viewer, accountID int64) error {
	if accountID == 0 {
		return nil
	}
	a, err := s.db.Account(ctx, accountID)
	if crm.CodeOf(err) == crm.NotFound {
		return crm.FieldError("account_id", "there is no company #%d", accountID)
	}
	if err != nil {
		return err
	}
	ok, _, err := s.allows(ctx, v, accountAccess(a), v.CanSee)
	if err != nil {
		return err
	}
	if !ok {
		return crm.FieldError("account_id", "there is no company #%d", accountID)
	}
	return nil
}

// Create adds a person as p, and returns them with the people they may duplicate.
func (s *Contacts) Create(ctx context.Context, p crm.Principal, c *crm.Contact) (Saved[*crm.Contact], error) {
	var out Saved[*crm.Contact]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	if !v.CanCreate() {
		return out, s.refuse(ctx, v, "contact", 0, crm.Errorf(crm.Forbidden, "your role (%s) may not add people", v.Role))
	}
	c.ID, c.PastAccounts = 0, nil
	if c.OwnerID == 0 {
		c.OwnerID = p.UserID // a user's new person is theirs; the system's stays unassigned
	}
	if err := c.Validate(s.phoneRegion); err != nil {
		return out, err
	}
	if err := s.checkAccountLink(ctx, v, c.AccountID); err != nil {
		return out, err
	}
	if err := s.checkOwnerAndTeam(ctx, c.OwnerID, &c.TeamID); err != nil {
		return out, err
	}
	if err := s.db.CreateContact(ctx, actor(p), c); err != nil {
		return out, err
	}
	out.Record = c
	likely, err := s.db.ContactLookalikes(ctx, c)
	if err != nil {
		return out, err
	}
	out.Likely, err = s.visibleLikely(ctx, v, likely)
	return out, err
}

// Update saves c as p, if p may edit them and c is valid; c.Version must be the version p read.
func (s *Contacts) Update(ctx context.Context, p crm.Principal, c *crm.Contact) (Saved[*crm.Contact], error) {
	var out Saved[*crm.Contact]
	v, err := s.viewer(ctx, p)
	if err != nil {
		return out, err
	}
	current, err := s.getForEdit(ctx, v, c.ID)
	if err != nil {
		return out, err
	}
	if err := c.Validate(s.phoneRegion); err != nil {
		return out, err
	}
	if c.AccountID != current.AccountID {
		if err := s.checkAccountLink(ctx, v, c.AccountID); err != nil {
			return out, err
		}
	}
	if c.OwnerID != current.OwnerID {
		return out, crm.FieldError("owner", "the owner changes through reassigning the person, not by editing them")
	}
	if c.TeamID != current.TeamID {
		if err := s.checkOwnerAndTeam(ctx, 0, &c.TeamID); err != nil {
			return out, err
		}
	}
	if err := s.db.UpdateContact(ctx, actor(p), c); err != nil {
		return out, err
	}
	out.Record = c
	if c.Name() != current.Name() {
		likely, err := s.db.ContactLookalikes(ctx, c)
		if err != nil {
			return out, err
		}
		out.Likely, err = s.visibleLikely(ctx, v, likely)
	}
	return out, err
}

// Reassign gives the person to another owner (0: unassigned); their team becomes the new owner's first
// team. Who may: as for companies, judged on the person.
func (s *Contacts) Reassign(ctx context.Context, p crm.Principal, id, ownerID, version int64) (*crm.Contact, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	c, err := s.get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	ca, err := s.contactAccess(ctx, c)
	if err != nil {
		return nil, err
	}
	reassign := func(ca crm.ContactAccess) bool {
		return v.CanReassign(ca.Access) || (ca.Account != nil && v.CanReassign(*ca.Account))
	}
	if ok, _, err := s.allowsContact(ctx, v, ca, reassign); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.refuse(ctx, v, "contact", id, crm.Errorf(crm.Forbidden, "you may not reassign %s", c.Name()))
	}
	if version > 0 {
		c.Version = version
	}
	team := c.TeamID
	c.OwnerID, c.TeamID = ownerID, 0
	if err := s.checkOwnerAndTeam(ctx, ownerID, &c.TeamID); err != nil {
		return nil, err
	}
	if c.TeamID == 0 {
		c.TeamID = team
	}
	if err := s.db.UpdateContact(ctx, actor(p), c); err != nil {
		return nil, err
	}
	return c, nil
}

// Delete moves the person to the bin; with version > 0 it must be the version p saw.
func (s *Contacts) Delete(ctx context.Context, p crm.Principal, id, version int64) (*crm.Contact, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, err := s.getForEdit(ctx, v, id); err != nil {
		return nil, err
	}
	return s.db.DeleteContact(ctx, actor(p), id, version)
}

// Restore brings the person back from the bin.
func (s *Contacts) Restore(ctx context.Context, p crm.Principal, id int64) (*crm.Contact, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, err := s.getForEdit(ctx, v, id); err != nil {
		return nil, err
	}
	return s.db.RestoreContact(ctx, actor(p), id)
}

// Merge merges person dupID into keepID; p must be allowed to change both. fromDup names the fields whose
// value p picked from the duplicate.
func (s *Contacts) Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (*crm.Contact, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, id := range []int64{keepID, dupID} {
		if _, err := s.getForEdit(ctx, v, id); err != nil {
			return nil, err
		}
	}
	return s.db.MergeContacts(ctx, actor(p), keepID, dupID, fromDup...)
}

// List returns a page of the people p sees that match f.
func (s *Contacts) List(ctx context.Context, p crm.Principal, f store.ContactFilter) (store.Page[*crm.Contact], error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return store.Page[*crm.Contact]{}, err
	}
	return s.db.ListContacts(ctx, store.Scope{V: v}, f)
}

// CreateMany adds many people as p in batches (the import path). Every person is validated before any is
// saved; an invalid one stops the whole call with an error naming its row (counting from 1). It returns
// how many were saved.
func (s *Contacts) CreateMany(ctx context.Context, p crm.Principal, cs []*crm.Contact) (int, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return 0, err
	}
	if !v.CanCreate() {
		return 0, s.refuse(ctx, v, "contact", 0, crm.Errorf(crm.Forbidden, "your role (%s) may not add people", v.Role))
	}
	owners := map[[2]int64]int64{} // (owner, team) as given → team to use, checked once each
	for i, c := range cs {
		c.ID, c.PastAccounts = 0, nil
		if err := c.Validate(s.phoneRegion); err != nil {
			e, _ := crm.AsError(err)
			return 0, &crm.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("row %d (%s): %s", i+1, c.Name(), e.Message)}
		}
		key := [2]int64{c.OwnerID, c.TeamID}
		team, ok := owners[key]
		if !ok {
			team = c.TeamID
			if err := s.checkOwnerAndTeam(ctx, c.OwnerID, &team); err != nil {
				return 0, err
			}
			owners[key] = team
		}
		c.TeamID = team
	}
	if v.Role != crm.Admin {
		seen := map[int64]bool{}
		for _, c := range cs {
			if c.AccountID != 0 && !seen[c.AccountID] {
				if err := s.checkAccountLink(ctx, v, c.AccountID); err != nil {
					return 0, err
				}
				seen[c.AccountID] = true
			}
		}
	}
	return s.db.CreateContacts(ctx, actor(p), cs)
}

// Rights tells what p may do with the person id.
func (s *Contacts) Rights(ctx context.Context, p crm.Principal, id int64) (Rights, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return Rights{}, err
	}
	c, err := s.get(ctx, v, id)
	if err != nil {
		return Rights{}, err
	}
	ca, err := s.contactAccess(ctx, c)
	if err != nil {
		return Rights{}, err
	}
	if _, ca, err = s.allowsContact(ctx, v, ca, func(crm.ContactAccess) bool { return false }); err != nil {
		return Rights{}, err
	}
	either := func(test func(crm.Access) bool) bool {
		return test(ca.Access) || (ca.Account != nil && test(*ca.Account))
	}
	return Rights{Edit: v.CanEditContact(ca), Delete: v.CanEditContact(ca), Share: either(v.CanShare), Reassign: either(v.CanReassign)}, nil
}

// Lookalikes returns the people p sees that c may duplicate.
func (s *Contacts) Lookalikes(ctx context.Context, p crm.Principal, c *crm.Contact) ([]store.Likely, error) {
	v, err := s.viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	likely, err := s.db.ContactLookalikes(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.visibleLikely(ctx, v, likely)
}
