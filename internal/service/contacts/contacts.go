package contacts

import (
	"context"
	"fmt"
	"runtime/debug"

	"tili/internal/crm"
	"tili/internal/service"
	accountsvc "tili/internal/service/accounts"
	"tili/internal/store"
	contactstore "tili/internal/store/contacts"
)

// Service is the use-case surface for people. It reads the companies people work at through the
// companies' use cases.
type Service struct {
	core     *service.Core
	accounts *accountsvc.Service
	service.Bin[*crm.Contact]
	service.LookalikeFinder[*crm.Contact]
}

// New builds the use cases of people on core and registers their rules there.
func New(core *service.Core, accounts *accountsvc.Service) *Service {
	s := &Service{core: core, accounts: accounts}
	s.Bin = service.NewBin(core, s.getForEdit, contactstore.Delete, contactstore.Restore, nil)
	s.LookalikeFinder = service.NewLookalikeFinder(core, contactstore.Lookalikes)
	core.Register(s.rules())
	return s
}

// Filter narrows a list of people.
type Filter = contactstore.Filter

// rules are what shared code needs of people: their access, and moving them when their company is
// merged into another.
func (s *Service) rules() *service.KindRules {
	return &service.KindRules{Kind: crm.KindContact,
		Access: func(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (crm.RecordAccess, string, error) {
			c, err := s.get(ctx, r, v, id)
			if err != nil {
				return crm.RecordAccess{}, "", err
			}
			ra, err := s.access(ctx, r, c)
			return ra, c.Name(), err
		},
		ParentMerged: func(ctx context.Context, tx *store.Tx, by store.Actor, dupID, keepID int64) error {
			return contactstore.MoveFromAccount(ctx, tx, by, dupID, keepID)
		}}
}

// access returns what decides who sees c: its own owner and team, and its company's; the shares of both
// are read by allows when ownership alone does not decide.
func (s *Service) access(ctx context.Context, r store.Reader, c *crm.Contact) (crm.RecordAccess, error) {
	ra := crm.RecordAccess{Access: crm.Access{Entity: crm.KindContact.Name, ID: c.ID, OwnerID: c.OwnerID, TeamID: c.TeamID}}
	if c.AccountID != 0 {
		ref, err := accountsvc.LoadRef(ctx, r, c.AccountID)
		if err != nil {
			return ra, err
		}
		ra.Parent = &ref.Access
	}
	return ra, nil
}

// Get returns the person if p may see them; NotFound otherwise, as for a missing id.
func (s *Service) Get(ctx context.Context, p crm.Principal, id int64) (*crm.Contact, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, s.core.DB.Reader, v, id)
}

// get returns the person, read through r, if v may see them.
func (s *Service) get(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (*crm.Contact, error) {
	c, _, err := s.getWithAccess(ctx, r, v, id, false)
	return c, err
}

// getWithAccess is get that also returns what decides who sees the person; for an administrator, who
// sees everyone, that is read only when always says so.
func (s *Service) getWithAccess(ctx context.Context, r store.Reader, v crm.Viewer, id int64, always bool) (*crm.Contact, crm.RecordAccess, error) {
	c, err := contactstore.Get(ctx, r, id)
	if err != nil {
		return nil, crm.RecordAccess{}, err
	}
	if v.Role == crm.Admin && !always {
		return c, crm.RecordAccess{}, nil
	}
	ra, err := s.access(ctx, r, c)
	if err != nil {
		return nil, ra, err
	}
	ok, ra, err := s.core.Allows(ctx, r, v, ra, v.CanSeeRecord)
	if err != nil {
		return nil, ra, err
	}
	if !ok {
		return nil, ra, crm.Errorf(crm.NotFound, "there is no person #%d", id)
	}
	return c, ra, nil
}

// getForEdit returns the person and their access if v may change them: NotFound when v may not see them,
// a refusal when v may only look.
func (s *Service) getForEdit(ctx context.Context, r store.Reader, v crm.Viewer, id int64) (*crm.Contact, crm.RecordAccess, error) {
	c, ra, err := s.getWithAccess(ctx, r, v, id, true)
	if err != nil {
		return nil, ra, err
	}
	ok, ra, err := s.core.Allows(ctx, r, v, ra, v.CanEditRecord)
	if err != nil {
		return nil, ra, err
	}
	if !ok {
		return nil, ra, service.Refuse(crm.KindContact.Name, id, crm.Errorf(crm.Forbidden, "you may view %s but not change them", c.Name()))
	}
	return c, ra, nil
}

// checkAccountLink refuses a company v may not see (it does not exist for v) and one in the bin.
func (s *Service) checkAccountLink(ctx context.Context, r store.Reader, v crm.Viewer, accountID int64) error {
	if accountID == 0 {
		return nil
	}
	ref, err := accountsvc.LoadRef(ctx, r, accountID)
	if crm.CodeOf(err) == crm.NotFound {
		return crm.FieldError("account_id", "there is no company #%d", accountID)
	}
	if err != nil {
		return err
	}
	ok, _, err := s.core.Allows(ctx, r, v, crm.RecordAccess{Access: ref.Access}, v.CanSeeRecord)
	if err != nil {
		return err
	}
	if !ok {
		return crm.FieldError("account_id", "there is no company #%d", accountID)
	}
	if ref.Binned {
		return crm.FieldError("account_id", "company #%d is in the bin; restore it first or choose another company", accountID)
	}
	return nil
}

// Create adds a person as p, and returns them with the people they may duplicate.
func (s *Service) Create(ctx context.Context, p crm.Principal, c *crm.Contact) (service.Saved[*crm.Contact], error) {
	var out service.Saved[*crm.Contact]
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return out, err
	}
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if !v.CanCreate() {
			return service.Refuse(crm.KindContact.Name, 0, crm.Errorf(crm.Forbidden, "your role (%s) may not add people", v.Role))
		}
		c.ID, c.PastAccounts = 0, nil
		if c.OwnerID == 0 {
			c.OwnerID = p.UserID // a user's new person is theirs; the system's stays unassigned
		}
		if err := c.Validate(s.core.PhoneRegion); err != nil {
			return err
		}
		if err := s.checkAccountLink(ctx, tx.Reader, v, c.AccountID); err != nil {
			return err
		}
		if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, c.OwnerID, &c.TeamID); err != nil {
			return err
		}
		return contactstore.Create(ctx, tx, service.Actor(p), c)
	})
	if err != nil {
		return out, err
	}
	return s.WithLookalikes(ctx, v, c)
}

// Update saves c as p, if p may edit them and c is valid; c.Version must be the version p read.
func (s *Service) Update(ctx context.Context, p crm.Principal, c *crm.Contact) (service.Saved[*crm.Contact], error) {
	return s.Edit(ctx, p, c, nil)
}

// Edit is Update that can also reassign: with reassignTo, c's fields are saved and the person goes to
// that owner (0: unassigned) in one change, all or nothing, and p must be allowed both. Unless the
// change names another team, the team becomes the new owner's first team.
func (s *Service) Edit(ctx context.Context, p crm.Principal, c *crm.Contact, reassignTo *int64) (service.Saved[*crm.Contact], error) {
	return s.modify(ctx, p, c.ID, func(*crm.Contact) (*crm.Contact, error) { return c, nil }, reassignTo)
}

// Patch changes person id as p in one read and one write: change gets the person as stored and returns
// them changed (or an error, such as a stale version), which is then saved as Update saves.
func (s *Service) Patch(ctx context.Context, p crm.Principal, id int64, change func(current *crm.Contact) (*crm.Contact, error)) (service.Saved[*crm.Contact], error) {
	return s.modify(ctx, p, id, change, nil)
}

// modify reads person id with the right to change them, has change make the new version from a copy
// of them, and saves that (reassigned with reassignTo, as Edit says). The read comes before the
// transaction, so the one writer waits for none of it: a change made meanwhile fails the update on the
// version.
func (s *Service) modify(ctx context.Context, p crm.Principal, id int64, change func(current *crm.Contact) (*crm.Contact, error), reassignTo *int64) (service.Saved[*crm.Contact], error) {
	var out service.Saved[*crm.Contact]
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return out, err
	}
	current, ra, err := s.getForEdit(ctx, s.core.DB.Reader, v, id)
	if err != nil {
		return out, s.core.AuditRefusal(ctx, p, err)
	}
	shown := *current
	c, err := change(&shown)
	if err != nil {
		return out, err
	}
	c.ID = id
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		if reassignTo != nil {
			if ok, _, err := s.core.Allows(ctx, tx.Reader, v, ra, func(ra crm.RecordAccess) bool { return ra.Either(v.CanReassign) }); err != nil {
				return err
			} else if !ok {
				return service.Refuse(crm.KindContact.Name, c.ID, crm.Errorf(crm.Forbidden, "you may not reassign %s", current.Name()))
			}
			team := c.TeamID
			if team == current.TeamID {
				team = 0 // the new owner's first team, unless the change names one
			}
			if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, *reassignTo, &team); err != nil {
				return err
			}
			if team == 0 {
				team = c.TeamID
			}
			c.OwnerID, c.TeamID = *reassignTo, team
		}
		if err := c.Validate(s.core.PhoneRegion); err != nil {
			return err
		}
		if c.AccountID != current.AccountID {
			if err := s.checkAccountLink(ctx, tx.Reader, v, c.AccountID); err != nil {
				return err
			}
		}
		if reassignTo == nil && c.OwnerID != current.OwnerID {
			return crm.FieldError("owner", "the owner changes through reassigning the person, not by editing them")
		}
		if c.TeamID != current.TeamID {
			if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, 0, &c.TeamID); err != nil {
				return err
			}
		}
		return contactstore.UpdateFrom(ctx, tx, service.Actor(p), current, c)
	})
	if err != nil {
		return out, err
	}
	out.Record = c
	if c.Name() != current.Name() {
		return s.WithLookalikes(ctx, v, c)
	}
	return out, err
}

// Reassign gives the person to another owner (0: unassigned); their team becomes the new owner's first
// team. Who may: as for companies, judged on the person or their company.
func (s *Service) Reassign(ctx context.Context, p crm.Principal, id, ownerID, version int64) (*crm.Contact, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	var c *crm.Contact
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		var ra crm.RecordAccess
		var err error
		if c, ra, err = s.getWithAccess(ctx, tx.Reader, v, id, true); err != nil {
			return err
		}
		reassign := func(ra crm.RecordAccess) bool { return ra.Either(v.CanReassign) }
		if ok, _, err := s.core.Allows(ctx, tx.Reader, v, ra, reassign); err != nil {
			return err
		} else if !ok {
			return service.Refuse(crm.KindContact.Name, id, crm.Errorf(crm.Forbidden, "you may not reassign %s", c.Name()))
		}
		if version > 0 {
			c.Version = version
		}
		team := c.TeamID
		c.OwnerID, c.TeamID = ownerID, 0
		if err := s.core.CheckOwnerAndTeam(ctx, tx.Reader, v, ownerID, &c.TeamID); err != nil {
			return err
		}
		if c.TeamID == 0 {
			c.TeamID = team
		}
		return contactstore.Update(ctx, tx, service.Actor(p), c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Merge merges person dupID into keepID; p must be allowed to change both. fromDup names the fields whose
// value p picked from the duplicate.
func (s *Service) Merge(ctx context.Context, p crm.Principal, keepID, dupID int64, fromDup ...string) (*crm.Contact, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return nil, err
	}
	var merged *crm.Contact
	err = s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
		var keep *crm.Contact
		for _, id := range []int64{keepID, dupID} {
			c, _, err := s.getForEdit(ctx, tx.Reader, v, id)
			if err != nil {
				return err
			}
			if id == keepID {
				keep = c
			}
		}
		var err error
		if merged, err = contactstore.Merge(ctx, tx, service.Actor(p), keepID, dupID, fromDup...); err != nil {
			return err
		}
		// a person who takes the duplicate's company moves there: it must be live
		if merged.AccountID != 0 && merged.AccountID != keep.AccountID {
			live, err := accountsvc.Live(ctx, tx.Reader, []int64{merged.AccountID})
			if err != nil {
				return err
			}
			if !live[merged.AccountID] {
				return crm.FieldError("account_id", "company #%d is in the bin; restore it first or choose another company", merged.AccountID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return merged, nil
}

// List returns a page of the people p sees that match f.
func (s *Service) List(ctx context.Context, p crm.Principal, f contactstore.Filter) (store.Page[*crm.Contact], error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return store.Page[*crm.Contact]{}, err
	}
	return contactstore.List(ctx, s.core.DB.Reader, store.Scope{V: v}, f)
}

// CreateMany adds many people as p, store.BatchSize to a transaction (the import path). Every person is
// validated before any is saved; an invalid one stops the whole call with an error naming its row
// (counting from 1). A batch that fails saves nothing of itself; the batches before it stay saved, and
// the count of saved people says where to resume.
func (s *Service) CreateMany(ctx context.Context, p crm.Principal, cs []*crm.Contact) (int, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return 0, err
	}
	if !v.CanCreate() {
		return 0, s.core.Refused(ctx, p, crm.KindContact.Name, 0, crm.Errorf(crm.Forbidden, "your role (%s) may not add people", v.Role))
	}
	owners := map[[2]int64]int64{} // (owner, team) as given → team to use, checked once each
	for i, c := range cs {
		c.ID, c.PastAccounts = 0, nil
		if err := c.Validate(s.core.PhoneRegion); err != nil {
			return 0, rowError(i+1, c.Name(), err)
		}
		key := [2]int64{c.OwnerID, c.TeamID}
		team, ok := owners[key]
		if !ok {
			team = c.TeamID
			if err := s.core.CheckOwnerAndTeam(ctx, s.core.DB.Reader, v, c.OwnerID, &team); err != nil {
				return 0, rowError(i+1, c.Name(), err)
			}
			owners[key] = team
		}
		c.TeamID = team
	}
	if v.Role != crm.Admin {
		seen := map[int64]bool{}
		for i, c := range cs {
			if c.AccountID != 0 && !seen[c.AccountID] {
				if err := s.checkAccountLink(ctx, s.core.DB.Reader, v, c.AccountID); err != nil {
					return 0, rowError(i+1, c.Name(), err)
				}
				seen[c.AccountID] = true
			}
		}
	}
	done := 0
	for start := 0; start < len(cs); start += store.BatchSize {
		batch := cs[start:min(start+store.BatchSize, len(cs))]
		err := s.core.Write(ctx, p, func(ctx context.Context, tx *store.Tx) error {
			if err := checkLiveAccounts(ctx, tx.Reader, batch, start); err != nil {
				return err
			}
			return contactstore.CreateBatch(ctx, tx, service.Actor(p), batch, start)
		})
		if err != nil {
			return done, err
		}
		done += len(batch)
	}
	if done >= store.BatchSize { // the planner's statistics, for the many new rows; the memory back
		if err := s.core.DB.Analyze(ctx); err != nil {
			return done, err
		}
		if err := s.core.DB.ReleaseMemory(ctx); err != nil {
			return done, err
		}
		debug.FreeOSMemory()
	}
	return done, nil
}

// checkLiveAccounts refuses a batch of people (starting at position offset) of which one works at a
// company that does not exist or is in the bin, naming the row.
func checkLiveAccounts(ctx context.Context, r store.Reader, cs []*crm.Contact, offset int) error {
	var ids []int64
	for _, c := range cs {
		if c.AccountID != 0 {
			ids = append(ids, c.AccountID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	live, err := accountsvc.Live(ctx, r, ids)
	if err != nil {
		return err
	}
	for i, c := range cs {
		if c.AccountID != 0 && !live[c.AccountID] {
			return rowError(offset+i+1, c.Name(), crm.FieldError("account_id", "there is no live company #%d", c.AccountID))
		}
	}
	return nil
}

// rowError says which row of a bulk change (counting from 1) err is about.
func rowError(row int, name string, err error) error {
	e, ok := crm.AsError(err)
	if !ok {
		return fmt.Errorf("row %d (%s): %w", row, name, err)
	}
	return &crm.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("row %d (%s): %s", row, name, e.Message)}
}

// Rights tells what p may do with the person id.
func (s *Service) Rights(ctx context.Context, p crm.Principal, id int64) (service.Rights, error) {
	v, err := s.core.Viewer(ctx, p)
	if err != nil {
		return service.Rights{}, err
	}
	c, err := s.get(ctx, s.core.DB.Reader, v, id)
	if err != nil {
		return service.Rights{}, err
	}
	ra, err := s.access(ctx, s.core.DB.Reader, c)
	if err != nil {
		return service.Rights{}, err
	}
	if ra, err = s.core.WithAllShares(ctx, s.core.DB.Reader, v, ra); err != nil {
		return service.Rights{}, err
	}
	return service.Rights{Edit: v.CanEditRecord(ra), Delete: v.CanEditRecord(ra), Share: ra.Either(v.CanShare), Reassign: ra.Either(v.CanReassign)}, nil
}
