package storetest

import (
	"context"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	accountstore "tili/internal/store/accounts"
	contactstore "tili/internal/store/contacts"
)

// Writer changes the store as tests need it: each change in a write transaction of its own, as the use
// cases run them.
type Writer struct{ db *store.DB }

// Writes returns the Writer of db.
func Writes(db *store.DB) Writer { return Writer{db} }

func (w Writer) do(ctx context.Context, fn func(ctx context.Context, tx *store.Tx) error) error {
	return w.db.Write(ctx, fn)
}

func (w Writer) CreateAccount(ctx context.Context, by store.Actor, a *crm.Account) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return accountstore.Create(ctx, tx, by, a) })
}

func (w Writer) UpdateAccount(ctx context.Context, by store.Actor, a *crm.Account) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return accountstore.Update(ctx, tx, by, a) })
}

func (w Writer) DeleteAccount(ctx context.Context, by store.Actor, id, version int64) (a *crm.Account, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		a, err = accountstore.Delete(ctx, tx, by, id, version)
		return err
	})
	return a, err
}

func (w Writer) RestoreAccount(ctx context.Context, by store.Actor, id int64) (a *crm.Account, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		a, err = accountstore.Restore(ctx, tx, by, id)
		return err
	})
	return a, err
}

func (w Writer) MergeAccounts(ctx context.Context, by store.Actor, keep, dup int64) (a *crm.Account, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		a, err = accountstore.Merge(ctx, tx, by, keep, dup, false)
		return err
	})
	return a, err
}

func (w Writer) CreateContact(ctx context.Context, by store.Actor, c *crm.Contact) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return contactstore.Create(ctx, tx, by, c) })
}

// CreateContacts writes people store.BatchSize at a time, each batch in its own transaction, and returns
// how many were saved before an error.
func (w Writer) CreateContacts(ctx context.Context, by store.Actor, cs []*crm.Contact) (int, error) {
	done := 0
	for start := 0; start < len(cs); start += store.BatchSize {
		batch := cs[start:min(start+store.BatchSize, len(cs))]
		if err := w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
			return contactstore.CreateBatch(ctx, tx, by, batch, start)
		}); err != nil {
			return done, err
		}
		done += len(batch)
	}
	return done, nil
}

func (w Writer) UpdateContact(ctx context.Context, by store.Actor, c *crm.Contact) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return contactstore.Update(ctx, tx, by, c) })
}

func (w Writer) DeleteContact(ctx context.Context, by store.Actor, id, version int64) (c *crm.Contact, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		c, err = contactstore.Delete(ctx, tx, by, id, version)
		return err
	})
	return c, err
}

func (w Writer) RestoreContact(ctx context.Context, by store.Actor, id int64) (c *crm.Contact, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		c, err = contactstore.Restore(ctx, tx, by, id)
		return err
	})
	return c, err
}

func (w Writer) MergeContacts(ctx context.Context, by store.Actor, keep, dup int64) (c *crm.Contact, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		c, err = contactstore.Merge(ctx, tx, by, keep, dup)
		return err
	})
	return c, err
}

func (w Writer) CreateTeam(ctx context.Context, by store.Actor, t *crm.Team) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateTeam(ctx, by, t) })
}

func (w Writer) CreateUser(ctx context.Context, by store.Actor, u *crm.User) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateUser(ctx, by, u) })
}

func (w Writer) PutShare(ctx context.Context, by store.Actor, s *crm.Share) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.PutShare(ctx, by, s) })
}

func (w Writer) SetSharing(ctx context.Context, by store.Actor, entity string, s crm.Sharing) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.SetSharing(ctx, by, entity, s) })
}

// CLI is the command line's actor, the system administrator, for tests that write directly.
var CLI = store.Actor{Source: crm.SourceCLI}

// Account validates a and adds it as CLI, failing the test when that does not work.
func Account(t testing.TB, db *store.DB, a *crm.Account) *crm.Account {
	t.Helper()
	if err := a.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	if err := Writes(db).CreateAccount(context.Background(), CLI, a); err != nil {
		t.Fatalf("create %q: %v", a.Name, err)
	}
	return a
}

// Contact validates c and adds them as CLI, failing the test when that does not work.
func Contact(t testing.TB, db *store.DB, c *crm.Contact) *crm.Contact {
	t.Helper()
	if err := c.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	if err := Writes(db).CreateContact(context.Background(), CLI, c); err != nil {
		t.Fatalf("create %q: %v", c.Name(), err)
	}
	return c
}
