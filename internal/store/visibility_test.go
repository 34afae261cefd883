package store_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
)

// The rule of who sees what is written twice: crm.Viewer.CanSee for single records and store.Scope for
// lists. Over random worlds of users, teams, hierarchies, shares, sharing settings and records, every
// list must hold exactly the records the Go predicate allows, for every user.
func TestScopeAgreesWithViewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for world := 0; world < 8; world++ {
			t.Run(fmt.Sprint("world", world), func(t *testing.T) {
				checkWorld(t, db, world)
			})
		}
	})
}

func checkWorld(t *testing.T, db *store.DB, world int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(uint64(world), 99))
	// teams and users of this world; names carry the world so worlds can share one database
	var teams []int64
	for i := 0; i < 3; i++ {
		tm := &crm.Team{Name: fmt.Sprintf("w%d-team%d", world, i)}
		if err := db.CreateTeam(ctx, cli, tm); err != nil {
			t.Fatal(err)
		}
		teams = append(teams, tm.ID)
	}
	var users []*crm.User
	for i := 0; i < 9; i++ {
		u := &crm.User{Email: fmt.Sprintf("w%d-u%d@example.fi", world, i), Name: fmt.Sprint("User ", i),
			Role: crm.Roles[r.IntN(len(crm.Roles))]}
		for _, tm := range teams {
			if r.IntN(3) == 0 {
				u.TeamIDs = append(u.TeamIDs, tm)
			}
		}
		if len(users) > 0 && r.IntN(2) == 0 {
			u.ManagerID = users[r.IntN(len(users))].ID // earlier users only: no cycles
		}
		u.Validate()
		if err := db.CreateUser(ctx, cli, u); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	pickOwner := func() int64 {
		if r.IntN(5) == 0 {
			return 0
		}
		return users[r.IntN(len(users))].ID
	}
	pickTeam := func() int64 {
		if r.IntN(4) == 0 {
			return 0
		}
		return teams[r.IntN(len(teams))]
	}
	var accounts []*crm.Account
	for i := 0; i < 30; i++ {
		a := &crm.Account{Name: fmt.Sprintf("W%d Yritys %d", world, i), OwnerID: pickOwner(), TeamID: pickTeam()}
		a.Validate("FI")
		if err := db.CreateAccount(ctx, cli, a); err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, a)
	}
	var contacts []*crm.Contact
	for i := 0; i < 40; i++ {
		c := &crm.Contact{FirstName: "W" + fmt.Sprint(world), LastName: fmt.Sprint("Henkilö ", i), OwnerID: pickOwner(), TeamID: pickTeam()}
		if r.IntN(3) > 0 {
			c.AccountID = accounts[r.IntN(len(accounts))].ID
		}
		c.Validate("FI")
		if err := db.CreateContact(ctx, cli, c); err != nil {
			t.Fatal(err)
		}
		contacts = append(contacts, c)
	}
	shares := map[string][]crm.Share{}
	for i := 0; i < 25; i++ {
		s := &crm.Share{Entity: "account", Level: crm.ShareRead}
		if r.IntN(2) == 0 {
			s.Entity, s.EntityID = "contact", contacts[r.IntN(len(contacts))].ID
		} else {
			s.EntityID = accounts[r.IntN(len(accounts))].ID
		}
		if r.IntN(2) == 0 {
			s.Level = crm.ShareEdit
		}
		if r.IntN(2) == 0 {
			s.UserID = users[r.IntN(len(users))].ID
		} else {
			s.TeamID = teams[r.IntN(len(teams))]
		}
		if err := db.PutShare(ctx, cli, s); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range accounts {
		list, err := db.Shares(ctx, "account", a.ID)
		if err != nil {
			t.Fatal(err)
		}
		shares[fmt.Sprint("account", a.ID)] = list
	}
	for _, c := range contacts {
		list, err := db.Shares(ctx, "contact", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		shares[fmt.Sprint("contact", c.ID)] = list
	}
	// every setting for each record type across the worlds
	sharing := map[string]crm.Sharing{"account": crm.Sharings[world%4], "contact": crm.Sharings[(world+1)%4]}
	for e, s := range sharing {
		if err := db.SetSharing(ctx, cli, e, s); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := db.Sharing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accountAccess := map[int64]crm.Access{}
	for _, a := range accounts {
		accountAccess[a.ID] = crm.Access{Entity: "account", OwnerID: a.OwnerID, TeamID: a.TeamID, Shares: shares[fmt.Sprint("account", a.ID)]}
	}
	mine := func(id int64) bool {
		return slices.ContainsFunc(accounts, func(a *crm.Account) bool { return a.ID == id })
	}
	mineC := func(id int64) bool {
		return slices.ContainsFunc(contacts, func(c *crm.Contact) bool { return c.ID == id })
	}
	for _, u := range users {
		below, sharing, err := db.UsersBelowAndSharing(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(sharing, stored) {
			t.Fatalf("UsersBelowAndSharing read the sharing settings %v, Sharing %v", sharing, stored)
		}
		v := crm.Viewer{Principal: crm.Principal{UserID: u.ID, Role: u.Role}, Teams: u.TeamIDs, Below: below, Sharing: stored}
		var want, got []int64
		for _, a := range accounts {
			if v.CanSee(accountAccess[a.ID]) {
				want = append(want, a.ID)
			}
		}
		page, err := db.ListAccounts(ctx, store.Scope{V: v}, store.AccountFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Items {
			if mine(a.ID) {
				got = append(got, a.ID)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s (%s, teams %v, below %v, sharing %v): companies listed %v, predicate allows %v",
				u.Email, u.Role, u.TeamIDs, below, stored, got, want)
		}
		want, got = nil, nil
		for _, c := range contacts {
			ca := crm.ContactAccess{Access: crm.Access{Entity: "contact", OwnerID: c.OwnerID, TeamID: c.TeamID, Shares: shares[fmt.Sprint("contact", c.ID)]}}
			if c.AccountID != 0 {
				acc := accountAccess[c.AccountID]
				ca.Account = &acc
			}
			if v.CanSeeContact(ca) {
				want = append(want, c.ID)
			}
		}
		cpage, err := db.ListContacts(ctx, store.Scope{V: v}, store.ContactFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cpage.Items {
			if mineC(c.ID) {
				got = append(got, c.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s (%s, teams %v, below %v, sharing %v): people listed %v, predicate allows %v",
				u.Email, u.Role, u.TeamIDs, below, stored, got, want)
		}
		// search must keep to the same rule
		hits, err := db.Search(ctx, store.Scope{V: v}, fmt.Sprintf("W%d", world), 100, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits.Items {
			if h.Kind == "account" && !v.CanSee(accountAccess[h.ID]) {
				t.Errorf("%s finds company #%d it may not see", u.Email, h.ID)
			}
		}
	}
}
