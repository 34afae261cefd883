package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	accountstore "tili/internal/store/accounts"
	contactstore "tili/internal/store/contacts"
	"tili/internal/store/storetest"
)

// Many writers at once: every change lands or is refused as a conflict, never as "database is locked",
// and read-modify-write with retry on conflict loses no update.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		target := storetest.Account(t, db, &crm.Account{Name: "Laskuri Oy", Employees: new(int64)})
		const writers, rounds = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, writers*rounds*2)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < rounds; i++ {
					// a new company and a person in it
					a := &crm.Account{Name: fmt.Sprintf("Yritys %d-%d", w, i)}
					a.Validate("FI")
					if err := storetest.Writes(db).CreateAccount(ctx, storetest.CLI, a); err != nil {
						errs <- err
						continue
					}
					c := &crm.Contact{FirstName: "Henkilö", LastName: fmt.Sprint(w, i), AccountID: a.ID,
						Emails: []string{fmt.Sprintf("h%d.%d@example.fi", w, i)}}
					c.Validate("FI")
					if err := storetest.Writes(db).CreateContact(ctx, storetest.CLI, c); err != nil {
						errs <- err
					}
					// one more employee on the shared company, retried until no one else got in between
					for {
						cur, err := accountstore.Get(ctx, db.Reader, target.ID)
						if err != nil {
							errs <- err
							break
						}
						n := *cur.Employees + 1
						cur.Employees = &n
						err = storetest.Writes(db).UpdateAccount(ctx, storetest.CLI, cur)
						if crm.CodeOf(err) == crm.Stale {
							continue
						}
						if err != nil {
							errs <- err
						}
						break
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
				t.Fatalf("a writer saw the database locked: %v", err)
			}
			t.Fatalf("a writer failed: %v", err)
		}
		got, err := accountstore.Get(ctx, db.Reader, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got.Employees != writers*rounds || got.Version != writers*rounds+1 {
			t.Fatalf("after %d increments: employees %d, version %d", writers*rounds, *got.Employees, got.Version)
		}
		page, err := contactstore.List(ctx, db.Reader, store.ScopeAll, contactstore.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != writers*rounds {
			t.Fatalf("people created: %d, want %d", len(page.Items), writers*rounds)
		}
	})
}
