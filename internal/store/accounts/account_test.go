package accounts_test

import (
	"context"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	accountstore "tili/internal/store/accounts"
	"tili/internal/store/storetest"
)

var cli = storetest.CLI

func newAccount(t *testing.T, db *store.DB, a *crm.Account) *crm.Account {
	return storetest.Account(t, db, a)
}

func TestAccountRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		emp := int64(240)
		a := newAccount(t, db, &crm.Account{Name: "Äijälä Oy", BusinessID: "0112038-9", VATID: "FI01120389",
			Stage: "key_account", Tier: "a", IndustryCode: "c", Employees: &emp, RevenueBand: "10-50M",
			Website: "www.aijala.fi", Phones: []string{"040-1234567", "+358 9 123 4567"}, Emails: []string{"info@Aijala.FI"},
			VisitingAddress:  crm.Address{Street: "Hatanpään valtatie 24", PostalCode: "33100", City: "Tampere"},
			EInvoiceAddress:  "003701120389",
			EInvoiceOperator: "OKOYFIHH", Tags: []string{"messut-2026", "Pirkanmaa"}})
		got, err := accountstore.Get(ctx, db.Reader, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Äijälä Oy" || got.Tier != "A" || got.Stage != crm.KeyAccount || *got.Employees != 240 ||
			got.Website != "https://www.aijala.fi" || len(got.Phones) != 2 || got.Phones[0] != "+358401234567" ||
			got.Emails[0] != "info@aijala.fi" || got.VisitingAddress.Country != "FI" || got.Version != 1 ||
			len(got.Tags) != 2 || got.EInvoiceOperator != "OKOYFIHH" {
			t.Fatalf("read back: %+v", got)
		}
	})
}

func TestAccountUniqueBusinessIDAndEmail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first := newAccount(t, db, &crm.Account{Name: "Äijälä Oy", BusinessID: "0112038-9", Emails: []string{"info@aijala.fi"}})
		dup := &crm.Account{Name: "Aijala Group", BusinessID: "01120389"}
		dup.Validate("FI")
		err := storetest.Writes(db).CreateAccount(ctx, cli, dup)
		if e, ok := crm.AsError(err); !ok || e.Code != crm.Duplicate || e.Field != "business_id" {
			t.Fatalf("second company with the same business ID: %v", err)
		}
		dup = &crm.Account{Name: "Other", Emails: []string{"INFO@aijala.fi"}}
		dup.Validate("FI")
		if err := storetest.Writes(db).CreateAccount(ctx, cli, dup); crm.CodeOf(err) != crm.Duplicate {
			t.Fatalf("second company with the same e-mail: %v", err)
		}
		// once the first is in the bin, the ID is free; restoring the first is then refused
		if _, err := storetest.Writes(db).DeleteAccount(ctx, cli, first.ID, 0); err != nil {
			t.Fatal(err)
		}
		second := newAccount(t, db, &crm.Account{Name: "Äijälä Group Oy", BusinessID: "0112038-9"})
		_, err = storetest.Writes(db).RestoreAccount(ctx, cli, first.ID)
		if e, ok := crm.AsError(err); !ok || e.Code != crm.Duplicate {
			t.Fatalf("restore into a taken business ID: %v", err)
		}
		if _, err := storetest.Writes(db).DeleteAccount(ctx, cli, second.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.Writes(db).RestoreAccount(ctx, cli, first.ID); err != nil {
			t.Fatalf("restore once the ID is free again: %v", err)
		}
	})
}

func TestUpdateAccountRefusesStaleVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAccount(t, db, &crm.Account{Name: "Äijälä Oy", BusinessID: "0112038-9", Stage: crm.Prospect})
		first, second := *a, *a // two people open the same company
		first.Stage = crm.Customer
		if err := storetest.Writes(db).UpdateAccount(ctx, cli, &first); err != nil {
			t.Fatal(err)
		}
		second.Name = "Äijälä Group Oy"
		err := storetest.Writes(db).UpdateAccount(ctx, cli, &second)
		if crm.CodeOf(err) != crm.Stale {
			t.Fatalf("stale update: got %v, want a conflict", err)
		}
		got, err := accountstore.Get(ctx, db.Reader, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Äijälä Oy" || got.Stage != crm.Customer || got.Version != 2 {
			t.Fatalf("after the refused update: %+v", got)
		}
		hist, err := db.History(ctx, "account", a.ID, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(hist.Items) != 2 || hist.Items[0].Field != "stage" || hist.Items[0].Old != "prospect" || hist.Items[0].New != "customer" {
			t.Fatalf("history: %+v", hist.Items)
		}
	})
}

func TestParentCycleRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		group := newAccount(t, db, &crm.Account{Name: "Konserni Oyj"})
		sub := newAccount(t, db, &crm.Account{Name: "Tytär Oy", ParentID: group.ID})
		subsub := newAccount(t, db, &crm.Account{Name: "Lapsenlapsi Oy", ParentID: sub.ID})
		g := *group
		g.ParentID = subsub.ID
		if err := storetest.Writes(db).UpdateAccount(ctx, cli, &g); crm.CodeOf(err) != crm.Invalid {
			t.Fatalf("cycle: %v", err)
		}
	})
}

func TestMergeAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keep := newAccount(t, db, &crm.Account{Name: "Äijälä Oy", Emails: []string{"info@aijala.fi"}, Tags: []string{"a"}})
		dup := newAccount(t, db, &crm.Account{Name: "Aijala Oy", BusinessID: "0112038-9", Segment: "Teollisuus",
			Emails: []string{"myynti@aijala.fi"}, Tags: []string{"b"}})
		child := newAccount(t, db, &crm.Account{Name: "Äijälä Tytär Oy", ParentID: dup.ID})
		merged, err := storetest.Writes(db).MergeAccounts(ctx, cli, keep.ID, dup.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := accountstore.Get(ctx, db.Reader, keep.ID)
		if got.BusinessID != "0112038-9" || got.Segment != "Teollisuus" || got.Name != "Äijälä Oy" ||
			len(got.Emails) != 2 || len(got.Tags) != 2 || got.Version != merged.Version {
			t.Fatalf("kept company after merge: %+v", got)
		}
		gone, _ := accountstore.Get(ctx, db.Reader, dup.ID)
		if gone.DeletedAt == nil || gone.MergedInto != keep.ID {
			t.Fatalf("merged duplicate: %+v", gone)
		}
		c, _ := accountstore.Get(ctx, db.Reader, child.ID)
		if c.ParentID != keep.ID {
			t.Fatalf("subsidiary's parent after merge: %d, want %d", c.ParentID, keep.ID)
		}
		hist, _ := db.History(ctx, "account", keep.ID, 50, "")
		var merges, mergedInto int
		for _, h := range hist.Items {
			switch h.Field {
			case "merged":
				merges++
			case "merged_into":
				mergedInto++
			}
		}
		if merges != 1 || mergedInto != 1 {
			t.Fatalf("history of the kept company should show the merge from both sides: %+v", hist.Items)
		}
		if _, err := storetest.Writes(db).RestoreAccount(ctx, cli, dup.ID); crm.CodeOf(err) != crm.Conflict {
			t.Fatalf("restoring a merged company: %v", err)
		}
	})
}

func TestListAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, name := range []string{"Öljy Oy", "Aalto Ab", "Bertta Oy", "Ähtäri Ky", "Cesium Oy"} {
			stage := crm.Prospect
			if i%2 == 0 {
				stage = crm.Customer
			}
			newAccount(t, db, &crm.Account{Name: name, Stage: stage, Tags: []string{"x", string([]rune(name)[:1])}})
		}
		var names []string
		after := ""
		for {
			page, err := accountstore.List(ctx, db.Reader, store.ScopeAll, accountstore.Filter{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				names = append(names, a.Name)
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		want := "Aalto Ab|Ähtäri Ky|Bertta Oy|Cesium Oy|Öljy Oy"
		if got := join(names); got != want {
			t.Fatalf("all pages: %s, want %s", got, want)
		}
		page, err := accountstore.List(ctx, db.Reader, store.ScopeAll, accountstore.Filter{Stages: []crm.Stage{crm.Customer}, Tags: []string{"X"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 3 {
			t.Fatalf("customers tagged x: %d", len(page.Items))
		}
		page, _ = accountstore.List(ctx, db.Reader, store.ScopeAll, accountstore.Filter{Tags: []string{"x", "B"}})
		if len(page.Items) != 1 || page.Items[0].Name != "Bertta Oy" {
			t.Fatalf("all tags must match: %+v", page.Items)
		}
		if _, err := accountstore.List(ctx, db.Reader, store.ScopeAll, accountstore.Filter{After: "garbage"}); crm.CodeOf(err) != crm.Invalid {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "|"
		}
		out += s
	}
	return out
}

func TestListAccountsSorted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ids []int64
		for _, name := range []string{"Cesium Oy", "Aalto Ab", "Bertta Oy", "Delta Oy"} {
			ids = append(ids, newAccount(t, db, &crm.Account{Name: name}).ID)
		}
		// touch Aalto last: it becomes the most recently changed
		a, _ := accountstore.Get(ctx, db.Reader, ids[1])
		a.Segment = "x"
		if err := storetest.Writes(db).UpdateAccount(ctx, cli, a); err != nil {
			t.Fatal(err)
		}
		for sort, want := range map[string]string{
			"name": "Aalto Ab|Bertta Oy|Cesium Oy|Delta Oy", "-name": "Delta Oy|Cesium Oy|Bertta Oy|Aalto Ab",
			"-updated": "Aalto Ab|Delta Oy|Bertta Oy|Cesium Oy", "created": "Cesium Oy|Aalto Ab|Bertta Oy|Delta Oy",
		} {
			var names []string
			after := ""
			for {
				page, err := accountstore.List(ctx, db.Reader, store.ScopeAll, accountstore.Filter{Sort: sort, Limit: 1, After: after})
				if err != nil {
					t.Fatalf("sort %s: %v", sort, err)
				}
				for _, a := range page.Items {
					names = append(names, a.Name)
				}
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			if got := join(names); got != want {
				t.Errorf("sort %s, page by page: %s, want %s", sort, got, want)
			}
		}
		if _, err := accountstore.List(ctx, db.Reader, store.ScopeAll, accountstore.Filter{Sort: "size"}); crm.CodeOf(err) != crm.Invalid {
			t.Fatalf("unknown sort: %v", err)
		}
	})
}

func TestListAccountsFiltersAndSorts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := &crm.User{Email: "asa@example.fi", Name: "Åsa Öberg"}
		u.Validate()
		if err := storetest.Writes(db).CreateUser(ctx, cli, u); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*crm.Account{
			{Name: "Yksi Oy", Stage: crm.Former, Tier: "B", VisitingAddress: crm.Address{City: "Jyväskylä"}},
			{Name: "Kaksi Oy", Stage: crm.Suspect, Tier: "A", VisitingAddress: crm.Address{City: "Helsinki"}, OwnerID: u.ID},
			{Name: "Kolme Oy", Stage: crm.KeyAccount, VisitingAddress: crm.Address{City: "JYVASKYLA"}},
			{Name: "Neljä Metalli Oy", Stage: crm.Customer, Tier: "C"},
		} {
			newAccount(t, db, a)
		}
		list := func(f accountstore.Filter) string {
			t.Helper()
			var names []string
			for {
				f.Limit = 1
				page, err := accountstore.List(ctx, db.Reader, store.ScopeAll, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range page.Items {
					names = append(names, a.Name)
				}
				if page.Next == "" {
					return join(names)
				}
				f.After = page.Next
			}
		}
		for _, tc := range []struct {
			f    accountstore.Filter
			want string
		}{
			{accountstore.Filter{Sort: "stage"}, "Kaksi Oy|Neljä Metalli Oy|Kolme Oy|Yksi Oy"},
			{accountstore.Filter{Sort: "-stage"}, "Yksi Oy|Kolme Oy|Neljä Metalli Oy|Kaksi Oy"},
			{accountstore.Filter{Sort: "tier"}, "Kaksi Oy|Yksi Oy|Neljä Metalli Oy|Kolme Oy"},
			{accountstore.Filter{Sort: "-owner"}, "Kaksi Oy|Neljä Metalli Oy|Kolme Oy|Yksi Oy"}, // the unowned by id, backwards too
			{accountstore.Filter{City: "jyvaskyla"}, "Kolme Oy|Yksi Oy"},
			{accountstore.Filter{Name: "ko"}, "Kolme Oy"},
			{accountstore.Filter{Name: "metal"}, "Neljä Metalli Oy"},
		} {
			if got := list(tc.f); got != tc.want {
				t.Errorf("%+v: %s, want %s", tc.f, got, tc.want)
			}
		}
	})
}
