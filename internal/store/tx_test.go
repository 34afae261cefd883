package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tili/internal/crm"
	"tili/internal/store"
	accountstore "tili/internal/store/accounts"
	"tili/internal/store/storetest"
)

// Reads inside a write go through its transaction: a use case sees the rows it has just written, and
// nobody else does until it commits.
func TestReadsInsideAWriteSeeItsOwnRows(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := &crm.Account{Name: "Kesken Oy"}
		a.Validate("FI")
		var seenInside, seenOutside bool
		err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			if err := accountstore.Create(ctx, tx, storetest.CLI, a); err != nil {
				return err
			}
			got, err := accountstore.Get(ctx, tx.Reader, a.ID)
			seenInside = err == nil && got.Name == "Kesken Oy"
			_, err = accountstore.Get(ctx, db.Reader, a.ID) // the reader pool: another connection
			seenOutside = err == nil
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !seenInside {
			t.Fatal("the transaction did not see the company it had just created")
		}
		if seenOutside {
			t.Fatal("a read outside the transaction saw a company before it was committed")
		}
		if _, err := accountstore.Get(ctx, db.Reader, a.ID); err != nil {
			t.Fatalf("after the commit: %v", err)
		}
	})
}

// A write started inside a write fails at once, instead of waiting forever for the one SQLite writer
// connection the outer write holds; the outer write then rolls back as a whole.
func TestNestedWriteFailsAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a := &crm.Account{Name: "Sisäkkäin Oy"}
		a.Validate("FI")
		err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			if err := accountstore.Create(ctx, tx, storetest.CLI, a); err != nil {
				return err
			}
			return db.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return nil })
		})
		if !errors.Is(err, store.ErrNestedWrite) {
			t.Fatalf("a write inside a write: %v, want ErrNestedWrite", err)
		}
		if ctx.Err() != nil {
			t.Fatal("the nested write waited until the deadline instead of failing at once")
		}
		if _, err := accountstore.Get(context.Background(), db.Reader, a.ID); crm.CodeOf(err) != crm.NotFound {
			t.Fatalf("the outer write's company after the failure: %v, want it rolled back", err)
		}
	})
}

// What runs after the commit runs only when the transaction commits, and every row of one transaction
// carries one instant.
func TestAfterCommitAndOneInstant(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ran := 0
		first, second := &crm.Account{Name: "Eka Oy"}, &crm.Account{Name: "Toka Oy"}
		first.Validate("FI")
		second.Validate("FI")
		err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			tx.AfterCommit(func() { ran++ })
			if err := accountstore.Create(ctx, tx, storetest.CLI, first); err != nil {
				return err
			}
			return accountstore.Create(ctx, tx, storetest.CLI, second)
		})
		if err != nil {
			t.Fatal(err)
		}
		if ran != 1 {
			t.Fatalf("after-commit hook ran %d times, want once", ran)
		}
		if !first.CreatedAt.Equal(second.CreatedAt) {
			t.Fatalf("two rows of one transaction: %v and %v, want one instant", first.CreatedAt, second.CreatedAt)
		}
		refused := errors.New("refused")
		err = db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			tx.AfterCommit(func() { ran++ })
			return refused
		})
		if !errors.Is(err, refused) || ran != 1 {
			t.Fatalf("a rolled-back write: %v, hook ran %d times in all, want the error and still once", err, ran)
		}
	})
}
