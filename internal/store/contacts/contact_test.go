package contacts_test

import (
	"context"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	contactstore "tili/internal/store/contacts"
	"tili/internal/store/storetest"
)

func TestContactLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		old := storetest.Account(t, db, &crm.Account{Name: "Vanha Oy"})
		cur := storetest.Account(t, db, &crm.Account{Name: "Uusi Oy"})
		keep := storetest.Contact(t, db, &crm.Contact{FirstName: "Päivi", LastName: "Hämäläinen", Title: "Ostaja",
			AccountID: old.ID, Emails: []string{"paivi@vanha.fi"}, Consent: crm.Consent{Email: "opt_in"}})
		// moving to another company keeps the old one, with the title held there
		keep.AccountID, keep.Title = cur.ID, "Hankintajohtaja"
		if err := keep.Validate("FI"); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Writes(db).UpdateContact(ctx, storetest.CLI, keep); err != nil {
			t.Fatal(err)
		}
		got, _ := contactstore.Get(ctx, db.Reader, keep.ID)
		if len(got.PastAccounts) != 1 || got.PastAccounts[0].AccountID != old.ID || got.PastAccounts[0].Title != "Ostaja" {
			t.Fatalf("past companies: %+v", got.PastAccounts)
		}

		dup := storetest.Contact(t, db, &crm.Contact{FirstName: "Paivi", LastName: "Hamalainen", Phones: []string{"040 123 4567"},
			Emails: []string{"paivi.h@gmail.com"}, Consent: crm.Consent{Email: "objection"}})
		likely, err := contactstore.Lookalikes(ctx, db.Reader, store.ScopeAll, dup)
		if err != nil {
			t.Fatal(err)
		}
		if likely.Total != 1 || likely.Found[0].ID != keep.ID || likely.Found[0].Reason != "same_name" {
			t.Fatalf("lookalikes: %+v", likely)
		}
		// a namesake at another company is someone else (the one without a company may still be her)
		namesake := &crm.Contact{FirstName: "Päivi", LastName: "Hämäläinen", AccountID: old.ID}
		if likely, err := contactstore.Lookalikes(ctx, db.Reader, store.ScopeAll, namesake); err != nil || likely.Total != 1 || likely.Found[0].ID != dup.ID {
			t.Fatalf("a namesake at another company: %+v %v", likely, err)
		}
		namesake.AccountID = cur.ID
		if likely, err := contactstore.Lookalikes(ctx, db.Reader, store.ScopeAll, namesake); err != nil || likely.Total != 2 {
			t.Fatalf("a namesake at the same company: %+v %v", likely, err)
		}
		merged, err := storetest.Writes(db).MergeContacts(ctx, storetest.CLI, keep.ID, dup.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ = contactstore.Get(ctx, db.Reader, keep.ID)
		if len(got.Emails) != 2 || len(got.Phones) != 1 || got.Consent.Email != "objection" || got.Version != merged.Version ||
			got.AccountID != cur.ID || got.FirstName != "Päivi" {
			t.Fatalf("after merge: %+v", got)
		}
		// the duplicate's address moved with the merge: nobody else may take it, and the bin cannot give it back
		if _, err := storetest.Writes(db).RestoreContact(ctx, storetest.CLI, dup.ID); crm.CodeOf(err) != crm.Conflict {
			t.Fatalf("restoring a merged person: %v", err)
		}
		other := &crm.Contact{FirstName: "Joku", Emails: []string{"PAIVI.H@gmail.com"}}
		other.Validate("FI")
		if err := storetest.Writes(db).CreateContact(ctx, storetest.CLI, other); crm.CodeOf(err) != crm.Duplicate {
			t.Fatalf("an address the kept person took over: %v", err)
		}

		// delete and restore, each in the history
		if _, err := storetest.Writes(db).DeleteContact(ctx, storetest.CLI, keep.ID, got.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.Writes(db).DeleteContact(ctx, storetest.CLI, keep.ID, 0); crm.CodeOf(err) != crm.Conflict {
			t.Fatalf("deleting twice: %v", err)
		}
		if _, err := storetest.Writes(db).RestoreContact(ctx, storetest.CLI, keep.ID); err != nil {
			t.Fatal(err)
		}
		hist, _ := db.History(ctx, "contact", keep.ID, 100, "")
		fields := map[string]bool{}
		for _, h := range hist.Items {
			fields[h.Field] = true
		}
		for _, f := range []string{"created", "account_id", "title", "merged", "merged_into", "emails", "consent.email", "deleted", "restored"} {
			if !fields[f] {
				t.Errorf("history lacks %q: %+v", f, hist.Items)
			}
		}
		// the batch path refuses an address already taken, naming the row, and saves nothing of its batch
		batch := []*crm.Contact{{FirstName: "A", LastName: "Yksi"}, {FirstName: "B", LastName: "Kaksi", Emails: []string{"paivi@vanha.fi"}}}
		for _, c := range batch {
			c.Validate("FI")
		}
		n, err := storetest.Writes(db).CreateContacts(ctx, storetest.CLI, batch)
		if e, ok := crm.AsError(err); !ok || e.Code != crm.Duplicate || n != 0 || !strings.Contains(e.Message, "row 2") {
			t.Fatalf("batch with a taken address: %d, %v", n, err)
		}
	})
}
