package store_test

import (
	"context"

	"tili/internal/crm"
	"tili/internal/store"
)

// writer changes the store as the tests need it: each change in a write transaction of its own, as the
// use cases run them.
type writer struct{ db *store.DB }

func writes(db *store.DB) writer { return writer{db} }

func (w writer) do(ctx context.Context, fn func(ctx context.Context, tx *store.Tx) error) error {
	return w.db.Write(ctx, fn)
}

func (w writer) CreateAccount(ctx context.Context, by store.Actor, a *crm.Account) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateAccount(ctx, by, a) })
}

func (w writer) UpdateAccount(ctx context.Context, by store.Actor, a *crm.Account) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.UpdateAccount(ctx, by, a) })
}

func (w writer) DeleteAccount(ctx context.Context, by store.Actor, id, version int64) (a *crm.Account, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		a, err = tx.DeleteAccount(ctx, by, id, version)
		return err
	})
	return a, err
}

func (w writer) RestoreAccount(ctx context.Context, by store.Actor, id int64) (a *crm.Account, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error { a, err = tx.RestoreAccount(ctx, by, id); return err })
	return a, err
}

func (w writer) MergeAccounts(ctx context.Context, by store.Actor, keep, dup int64) (a *crm.Account, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		a, err = tx.MergeAccounts(ctx, by, keep, dup, false)
		return err
	})
	return a, err
}

func (w writer) CreateContact(ctx context.Context, by store.Actor, c *crm.Contact) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateContact(ctx, by, c) })
}

// CreateContacts writes people store.BatchSize at a time, each batch in its own transaction, and returns
// how many were saved before an error.
func (w writer) CreateContacts(ctx context.Context, by store.Actor, cs []*crm.Contact) (int, error) {
	done := 0
	for start := 0; start < len(cs); start += store.BatchSize {
		batch := cs[start:min(start+store.BatchSize, len(cs))]
		if err := w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateContactBatch(ctx, by, batch, start) }); err != nil {
			return done, err
		}
		done += len(batch)
	}
	return done, nil
}

func (w writer) UpdateContact(ctx context.Context, by store.Actor, c *crm.Contact) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.UpdateContact(ctx, by, c) })
}

func (w writer) DeleteContact(ctx context.Context, by store.Actor, id, version int64) (c *crm.Contact, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		c, err = tx.DeleteContact(ctx, by, id, version)
		return err
	})
	return c, err
}

func (w writer) RestoreContact(ctx context.Context, by store.Actor, id int64) (c *crm.Contact, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error { c, err = tx.RestoreContact(ctx, by, id); return err })
	return c, err
}

func (w writer) MergeContacts(ctx context.Context, by store.Actor, keep, dup int64) (c *crm.Contact, err error) {
	err = w.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		c, err = tx.MergeContacts(ctx, by, keep, dup)
		return err
	})
	return c, err
}

func (w writer) CreateTeam(ctx context.Context, by store.Actor, t *crm.Team) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateTeam(ctx, by, t) })
}

func (w writer) CreateUser(ctx context.Context, by store.Actor, u *crm.User) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.CreateUser(ctx, by, u) })
}

func (w writer) PutShare(ctx context.Context, by store.Actor, s *crm.Share) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.PutShare(ctx, by, s) })
}

func (w writer) SetSharing(ctx context.Context, by store.Actor, entity string, s crm.Sharing) error {
	return w.do(ctx, func(ctx context.Context, tx *store.Tx) error { return tx.SetSharing(ctx, by, entity, s) })
}
