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
	accountstore "tili/internal/store/accounts"
	contactstore "tili/internal/store/contacts"
	searchstore "tili/internal/store/search"
	"tili/internal/store/storetest"
)

// The rule of who sees what is written twice: crm.Viewer.CanSee for single records and store.Scope for
// lists. Over random worlds of users, teams, hierarchies, shares, sharing settings and records, every
// list must hold exactly the records the Go predicate allows, for every user.
func TestScopeAgreesWithViewer(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for world := 0; world < 8; world++ {
			t.Run(fmt.Sprint("world", world), func(t *testing.T) {
				checkWorld(t, db, world)
			})
		}
	})
}

// makers add a record of each kind to the property test's worlds: with an owner, a team and, for a kind
// with a parent kind, a parent record (0 for none). A kind without a maker fails the test.
var makers = map[*crm.Kind]func(ctx context.Context, db *store.DB, world, i int, owner, team, parent int64) (int64, error){
	crm.KindAccount: func(ctx context.Context, db *store.DB, world, i int, owner, team, _ int64) (int64, error) {
		a := &crm.Account{Name: fmt.Sprintf("W%d Yritys %d", world, i), OwnerID: owner, TeamID: team}
		a.Validate("FI")
		err := storetest.Writes(db).CreateAccount(ctx, storetest.CLI, a)
		return a.ID, err
	},
	crm.KindContact: func(ctx context.Context, db *store.DB, world, i int, owner, team, parent int64) (int64, error) {
		c := &crm.Contact{FirstName: "W" + fmt.Sprint(world), LastName: fmt.Sprint("Henkilö ", i), OwnerID: owner, TeamID: team, AccountID: parent}
		c.Validate("FI")
		err := storetest.Writes(db).CreateContact(ctx, storetest.CLI, c)
		return c.ID, err
	},
}

// record is a record of a world and what decides who sees it.
type record struct {
	id     int64
	acc    crm.Access
	parent int64
}

func checkWorld(t *testing.T, db *store.DB, world int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(uint64(world), 99))
	// teams and users of this world; names carry the world so worlds can share one database
	var teams []int64
	for i := 0; i < 3; i++ {
		tm := &crm.Team{Name: fmt.Sprintf("w%d-team%d", world, i)}
		if err := storetest.Writes(db).CreateTeam(ctx, storetest.CLI, tm); err != nil {
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
		if err := storetest.Writes(db).CreateUser(ctx, storetest.CLI, u); err != nil {
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
	// records of every kind, parents first
	records := map[*crm.Kind][]*record{}
	for _, kind := range crm.Kinds() {
		mk := makers[kind]
		if mk == nil {
			t.Fatalf("the kind %s has no maker in the visibility property test; add one to makers", kind.Name)
		}
		for i := 0; i < 35; i++ {
			rec := &record{acc: crm.Access{Entity: kind.Name, OwnerID: pickOwner(), TeamID: pickTeam()}}
			if kind.Parent != nil && r.IntN(3) > 0 {
				parents := records[kind.Parent]
				rec.parent = parents[r.IntN(len(parents))].id
			}
			id, err := mk(ctx, db, world, i, rec.acc.OwnerID, rec.acc.TeamID, rec.parent)
			if err != nil {
				t.Fatal(err)
			}
			rec.id, rec.acc.ID = id, id
			records[kind] = append(records[kind], rec)
		}
	}
	shareable := crm.ShareableKinds()
	for i := 0; i < 30; i++ {
		kind := shareable[r.IntN(len(shareable))]
		list := records[kind]
		s := &crm.Share{Entity: kind.Name, EntityID: list[r.IntN(len(list))].id, Level: crm.ShareRead}
		if r.IntN(2) == 0 {
			s.Level = crm.ShareEdit
		}
		if r.IntN(2) == 0 {
			s.UserID = users[r.IntN(len(users))].ID
		} else {
			s.TeamID = teams[r.IntN(len(teams))]
		}
		if err := storetest.Writes(db).PutShare(ctx, storetest.CLI, s); err != nil {
			t.Fatal(err)
		}
	}
	byID := map[*crm.Kind]map[int64]*record{}
	for kind, list := range records {
		byID[kind] = map[int64]*record{}
		for _, rec := range list {
			if rec.acc.Shares, _ = db.Shares(ctx, kind.Name, rec.id); rec.acc.Shares == nil {
				rec.acc.Shares = []crm.Share{}
			}
			byID[kind][rec.id] = rec
		}
	}
	// every setting for each kind across the worlds
	for i, kind := range shareable {
		if err := storetest.Writes(db).SetSharing(ctx, storetest.CLI, kind.Name, crm.Sharings[(world+i)%4]); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := db.Sharing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	access := func(kind *crm.Kind, rec *record) crm.RecordAccess {
		ra := crm.RecordAccess{Access: rec.acc}
		if rec.parent != 0 {
			parent := byID[kind.Parent][rec.parent].acc
			ra.Parent = &parent
		}
		return ra
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
		who := fmt.Sprintf("%s (%s, teams %v, below %v, sharing %v)", u.Email, u.Role, u.TeamIDs, below, stored)
		wanted := map[*crm.Kind][]int64{}
		for _, kind := range crm.Kinds() {
			var ids []int64
			for _, rec := range records[kind] {
				ids = append(ids, rec.id)
				if v.CanSeeRecord(access(kind, rec)) {
					wanted[kind] = append(wanted[kind], rec.id)
				}
			}
			visible, err := db.Visible(ctx, store.Scope{V: v}, kind, ids)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, id := range ids {
				if visible[id] {
					got = append(got, id)
				}
			}
			if !slices.Equal(got, wanted[kind]) {
				t.Errorf("%s: %s records visible in SQL %v, the predicate allows %v", who, kind.Name, got, wanted[kind])
			}
		}
		// the lists of each kind keep to the same rule
		page, err := accountstore.List(ctx, db.Reader, store.Scope{V: v}, accountstore.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var listed []int64
		for _, a := range page.Items {
			if byID[crm.KindAccount][a.ID] != nil {
				listed = append(listed, a.ID)
			}
		}
		if slices.Sort(listed); !slices.Equal(listed, wanted[crm.KindAccount]) {
			t.Errorf("%s: companies listed %v, predicate allows %v", who, listed, wanted[crm.KindAccount])
		}
		cpage, err := contactstore.List(ctx, db.Reader, store.Scope{V: v}, contactstore.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		listed = nil
		for _, c := range cpage.Items {
			if byID[crm.KindContact][c.ID] != nil {
				listed = append(listed, c.ID)
			}
		}
		if slices.Sort(listed); !slices.Equal(listed, wanted[crm.KindContact]) {
			t.Errorf("%s: people listed %v, predicate allows %v", who, listed, wanted[crm.KindContact])
		}
		// search must keep to the same rule
		hits, err := searchstore.Find(ctx, db.Reader, store.Scope{V: v}, fmt.Sprintf("W%d", world), 100, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits.Items {
			kind, err := crm.KindNamed("kind", h.Kind)
			if err != nil {
				t.Fatal(err)
			}
			if rec := byID[kind][h.ID]; rec != nil && !v.CanSeeRecord(access(kind, rec)) {
				t.Errorf("%s finds %s #%d it may not see", u.Email, kind.Name, h.ID)
			}
		}
	}
}
