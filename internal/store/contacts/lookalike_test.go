package contacts_test

import (
	"context"
	"fmt"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	contactstore "tili/internal/store/contacts"
	"tili/internal/store/storetest"
)

func TestLookalikesAmongNamesakes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2_000, 50_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				acme := storetest.Account(t, db, &crm.Account{Name: "Acme Oy"})
				other := storetest.Account(t, db, &crm.Account{Name: "Muu Oy"})
				people := contactstore.Namesakes(n)
				// the one exact match stands in the middle of the namesakes
				contactstore.InsertNamesakes(t, db, people[:n/2])
				matti := storetest.Contact(t, db, &crm.Contact{FirstName: "Matti", LastName: "Meikäläinen", AccountID: acme.ID})
				contactstore.InsertNamesakes(t, db, people[n/2:])

				look := func(scope store.Scope, c *crm.Contact) store.Lookalikes {
					t.Helper()
					likely, err := contactstore.Lookalikes(ctx, db.Reader, scope, c)
					if err != nil {
						t.Fatal(err)
					}
					return likely
				}
				same := func(l store.Lookalikes) []int64 {
					var ids []int64
					for _, x := range l.Found {
						if x.Reason == "same_name" {
							ids = append(ids, x.ID)
						}
					}
					return ids
				}
				for _, c := range []*crm.Contact{
					{FirstName: "Matti", LastName: "Meikäläinen", AccountID: acme.ID},
					{FirstName: "MATTI", LastName: "Meikalainen"},
					{FirstName: "Meikäläinen", LastName: "Matti", AccountID: acme.ID}, // the name in the other order
				} {
					got := look(store.ScopeAll, c)
					if ids := same(got); len(ids) != 1 || ids[0] != matti.ID || got.Found[0].ID != matti.ID {
						t.Errorf("%s %s: the exact match #%d is not reported first: %+v", c.FirstName, c.LastName, matti.ID, got)
					}
				}
				// a namesake at another company is someone else
				if got := look(store.ScopeAll, &crm.Contact{FirstName: "Matti", LastName: "Meikäläinen", AccountID: other.ID}); len(same(got)) != 0 {
					t.Errorf("a namesake at another company was reported: %+v", got)
				}
				// a typo in the first name is found among the surname's neighbours
				got := look(store.ScopeAll, &crm.Contact{FirstName: "Mati", LastName: "Meikäläinen"})
				found := false
				for _, x := range got.Found {
					found = found || x.ID == matti.ID && x.Reason == "similar_name"
				}
				if !found {
					t.Errorf("Mati Meikäläinen does not find Matti Meikäläinen as similar: %+v", got)
				}
				// 150 Matti Korhonens: ten listed, a hundred counted
				got = look(store.ScopeAll, &crm.Contact{FirstName: "Matti", LastName: "Korhonen"})
				if got.Total != store.LikelyCounted || len(got.Found) != store.LikelyListed || len(same(got)) != store.LikelyListed {
					t.Errorf("150 namesakes: total %d, listed %d (%d of the same name)", got.Total, len(got.Found), len(same(got)))
				}
				// what the viewer may not see is neither listed nor counted
				stranger := store.Scope{V: crm.Viewer{Principal: crm.Principal{UserID: 999_999, Role: crm.AccountManager}}}
				if got := look(stranger, &crm.Contact{FirstName: "Matti", LastName: "Korhonen"}); got.Total != 0 || len(got.Found) != 0 {
					t.Errorf("an account manager who sees none of them is told of %d: %+v", got.Total, got)
				}
			})
		})
	}
}
