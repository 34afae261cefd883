package accounts_test

import (
	"context"
	"fmt"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	accountstore "tili/internal/store/accounts"
	"tili/internal/store/storetest"
)

// TestLookalikeCompanies checks the duplicate check of companies among 2 000 whose names start alike:
// more than the check ever read before it found exact matches through the index.
func TestLookalikeCompanies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 2_000
		var target *crm.Account
		for batch := 0; batch < n; batch += 500 {
			err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				for i := batch; i < batch+500; i++ {
					a := &crm.Account{Name: fmt.Sprintf("Matka %04d Oy", i), Website: fmt.Sprintf("matka%d.fi", i)}
					if i == n/2 {
						a = &crm.Account{Name: "Matkakeidas Oy", Website: "https://www.matkakeidas.fi"}
						target = a
					}
					if err := a.Validate("FI"); err != nil {
						return err
					}
					if err := accountstore.Create(ctx, tx, storetest.CLI, a); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		look := func(a *crm.Account) store.Lookalikes {
			t.Helper()
			if err := a.Validate("FI"); err != nil {
				t.Fatal(err)
			}
			got, err := accountstore.Lookalikes(ctx, db.Reader, store.ScopeAll, a)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		reasons := func(l store.Lookalikes, id int64) []string {
			var out []string
			for _, x := range l.Found {
				if x.ID == id {
					out = append(out, x.Reason)
				}
			}
			return out
		}
		// the same name with another legal form, and nothing else alike
		got := look(&crm.Account{Name: "MATKAKEIDAS Ab"})
		if r := reasons(got, target.ID); len(r) != 1 || r[0] != "same_name" || got.Found[0].ID != target.ID {
			t.Errorf("the same name: %+v", got)
		}
		// a typo is among the name's neighbours
		if r := reasons(look(&crm.Account{Name: "Matkakeidaas Oy"}), target.ID); len(r) != 1 || r[0] != "similar_name" {
			t.Errorf("a similar name: %v", r)
		}
		// the same web domain under another name
		if r := reasons(look(&crm.Account{Name: "Keidas Travel", Website: "matkakeidas.fi"}), target.ID); len(r) != 1 || r[0] != "same_domain" {
			t.Errorf("the same domain: %v", r)
		}
		// the record being edited is not its own duplicate
		if got := look(&crm.Account{ID: target.ID, Name: "Matkakeidas Oy"}); len(reasons(got, target.ID)) != 0 {
			t.Errorf("a company is its own duplicate: %+v", got)
		}
	})
}
