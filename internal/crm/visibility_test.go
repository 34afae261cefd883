package crm

import "testing"

// The people in these tests: users 2–6 hold one role each and belong to team 10; user 4 reports to the
// sales head 2; user 9 is in team 20 only, nobody's report.
var (
	adminViewer     = Viewer{Principal: Principal{UserID: 1, Role: Admin}, Teams: []int64{10}}
	systemViewer    = Viewer{Principal: System("cli")}
	salesHeadViewer = Viewer{Principal: Principal{UserID: 2, Role: SalesHead}, Teams: []int64{10}, Below: []int64{3, 4}}
	managerViewer   = Viewer{Principal: Principal{UserID: 3, Role: AccountManager}, Teams: []int64{10}}
	assistantViewer = Viewer{Principal: Principal{UserID: 5, Role: Assistant}, Teams: []int64{10}}
	readOnlyViewer  = Viewer{Principal: Principal{UserID: 6, Role: ReadOnly}, Teams: []int64{10}}
)

// records a viewer is tested against, in the column order of the expectations below.
func records(v Viewer) []Access {
	return []Access{
		{Entity: "account", OwnerID: v.UserID, TeamID: 20}, // own, in another team
		{Entity: "account", OwnerID: 9, TeamID: 10},        // same team, someone else's
		{Entity: "account", OwnerID: 9, TeamID: 20},        // another team's
		{Entity: "account", OwnerID: 4, TeamID: 20},        // owned by user 4, below the sales head, in another team
		{Entity: "account"},                                // unassigned, no team
		{Entity: "account", TeamID: 10},                    // unassigned, same team
		{Entity: "account", TeamID: 20},                    // unassigned, another team
	}
}

const recordColumns = "own, same team, other team, below me, unassigned, unassigned in my team, unassigned in another team"

func TestViewerRecords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		v         Viewer
		see, edit string // one letter per record: T or F
		create    bool
	}{
		{"admin", adminViewer, "TTTTTTT", "TTTTTTT", true},
		{"system", systemViewer, "TTTTTTT", "TTTTTTT", true},
		{"sales head", salesHeadViewer, "TTFTFTF", "TTFTFTF", true},
		{"account manager", managerViewer, "TTFFFTF", "TFFFFFF", true},
		{"assistant", assistantViewer, "FTFFFTF", "FFFFFFF", false},
		{"read only", readOnlyViewer, "FTFFFTF", "FFFFFFF", false},
		{"zero principal", Viewer{}, "FFFFFFF", "FFFFFFF", false},
		{"no role, in a team", Viewer{Principal: Principal{UserID: 9}, Teams: []int64{10}}, "FFFFFFF", "FFFFFFF", false},
		{"unknown role", Viewer{Principal: Principal{UserID: 9, Role: "superuser"}, Teams: []int64{10}}, "FFFFFFF", "FFFFFFF", false},
		// An account manager without a user id owns nothing, least of all the unassigned records.
		{"account manager without a user", Viewer{Principal: Principal{Role: AccountManager}}, "FFFFFFF", "FFFFFFF", false},
		// Zeros in the lists must not make unassigned records someone's.
		{"sales head with 0 below", Viewer{Principal: Principal{UserID: 2, Role: SalesHead}, Teams: []int64{0}, Below: []int64{0}},
			"TFFFFFF", "TFFFFFF", true},
		{"assistant in team 0", Viewer{Principal: Principal{UserID: 5, Role: Assistant}, Teams: []int64{0}}, "FFFFFFF", "FFFFFFF", false},
		{"sales head with nobody below", Viewer{Principal: Principal{UserID: 2, Role: SalesHead}, Teams: []int64{10}},
			"TTFFFTF", "TTFFFTF", true},
	} {
		for i, o := range records(tc.v) {
			if got := tc.v.CanSee(o); got != (tc.see[i] == 'T') {
				t.Errorf("%s: CanSee(%+v) = %v (column %d of %s)", tc.name, o, got, i+1, recordColumns)
			}
			if got := tc.v.CanEdit(o); got != (tc.edit[i] == 'T') {
				t.Errorf("%s: CanEdit(%+v) = %v (column %d of %s)", tc.name, o, got, i+1, recordColumns)
			}
			if tc.v.CanEdit(o) && !tc.v.CanSee(o) {
				t.Errorf("%s: may edit %+v without seeing it", tc.name, o)
			}
		}
		if got := tc.v.CanCreate(); got != tc.create {
			t.Errorf("%s: CanCreate() = %v, want %v", tc.name, got, tc.create)
		}
	}
}

// people a viewer is tested against, in the column order of the expectations below.
func people(v Viewer) []RecordAccess {
	acc := func(owner, team int64) Access { return Access{Entity: "account", OwnerID: owner, TeamID: team} }
	con := func(owner, team int64) Access { return Access{Entity: "contact", OwnerID: owner, TeamID: team} }
	own, sameTeam, otherTeam, below := acc(v.UserID, 20), acc(9, 10), acc(9, 20), acc(4, 20)
	return []RecordAccess{
		{Access: con(v.UserID, 20)},              // mine, no company
		{Access: con(0, 0), Parent: &own},        // unassigned, at my company
		{Access: con(0, 0), Parent: &sameTeam},   // unassigned, at my team's company
		{Access: con(9, 20), Parent: &own},       // another team's, at my company
		{Access: con(9, 10), Parent: &otherTeam}, // my team's, at another team's company
		{Access: con(9, 20), Parent: &otherTeam}, // another team's, at another team's company
		{Access: con(9, 20), Parent: &below},     // another team's, at a company of someone below me
		{Access: con(0, 0)},                      // unassigned, no company
		{Access: con(9, 20)},                     // another team's, no company
	}
}

const peopleColumns = "mine; unassigned at my company; unassigned at my team's company; other team's at my company; " +
	"my team's at other team's company; other team's at other team's company; other team's at below-me company; " +
	"unassigned without company; other team's without company"

func TestViewerPeople(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		v         Viewer
		see, edit string
	}{
		{"admin", adminViewer, "TTTTTTTTT", "TTTTTTTTT"},
		{"system", systemViewer, "TTTTTTTTT", "TTTTTTTTT"},
		{"sales head", salesHeadViewer, "TTTTTFTFF", "TTTTTFTFF"},
		{"account manager", managerViewer, "TTTTTFFFF", "TTFTFFFFF"},
		{"assistant", assistantViewer, "FFTFTFFFF", "FFFFFFFFF"},
		{"read only", readOnlyViewer, "FFTFTFFFF", "FFFFFFFFF"},
		{"zero principal", Viewer{}, "FFFFFFFFF", "FFFFFFFFF"},
	} {
		for i, o := range people(tc.v) {
			if got := tc.v.CanSeeRecord(o); got != (tc.see[i] == 'T') {
				t.Errorf("%s: CanSeeRecord(%+v, company %+v) = %v (column %d of %s)", tc.name, o.Access, o.Parent, got, i+1, peopleColumns)
			}
			if got := tc.v.CanEditRecord(o); got != (tc.edit[i] == 'T') {
				t.Errorf("%s: CanEditRecord(%+v, company %+v) = %v (column %d of %s)", tc.name, o.Access, o.Parent, got, i+1, peopleColumns)
			}
		}
	}
}

// Sharing settings widen or narrow what account managers see of their teams' records; explicit shares
// open single records to a user or a team.
func TestViewerSharingAndShares(t *testing.T) {
	t.Parallel()
	teamRecord := Access{Entity: "account", OwnerID: 9, TeamID: 10}
	otherRecord := Access{Entity: "account", OwnerID: 9, TeamID: 20}
	for _, tc := range []struct {
		name      string
		v         Viewer
		a         Access
		see, edit bool
	}{
		{"private hides the team's records", withSharing(managerViewer, SharingPrivate), teamRecord, false, false},
		{"team read shows them", withSharing(managerViewer, SharingTeamRead), teamRecord, true, false},
		{"team edit lets change them", withSharing(managerViewer, SharingTeamEdit), teamRecord, true, true},
		{"everyone read shows all", withSharing(managerViewer, SharingEveryoneRead), otherRecord, true, false},
		{"everyone read for read-only users too", withSharing(readOnlyViewer, SharingEveryoneRead), otherRecord, true, false},
		{"private does not hide the team from an assistant", withSharing(assistantViewer, SharingPrivate), teamRecord, true, false},
		{"a contact setting does not open accounts", Viewer{Principal: managerViewer.Principal, Teams: managerViewer.Teams,
			Sharing: map[string]Sharing{"contact": SharingEveryoneRead}}, otherRecord, false, false},
		{"shared with me to read", managerViewer, withShare(otherRecord, Share{UserID: 3, Level: ShareRead}), true, false},
		{"shared with me to edit", managerViewer, withShare(otherRecord, Share{UserID: 3, Level: ShareEdit}), true, true},
		{"shared with my team to edit", managerViewer, withShare(otherRecord, Share{TeamID: 10, Level: ShareEdit}), true, true},
		{"shared with someone else", managerViewer, withShare(otherRecord, Share{UserID: 7, Level: ShareEdit}), false, false},
		{"an assistant shared to edit still only reads", assistantViewer, withShare(otherRecord, Share{UserID: 5, Level: ShareEdit}), true, false},
		{"a read-only token edits nothing", Viewer{Principal: Principal{UserID: 3, Role: AccountManager, ReadOnly: true}},
			Access{Entity: "account", OwnerID: 3}, true, false},
	} {
		if got := tc.v.CanSee(tc.a); got != tc.see {
			t.Errorf("%s: CanSee = %v", tc.name, got)
		}
		if got := tc.v.CanEdit(tc.a); got != tc.edit {
			t.Errorf("%s: CanEdit = %v", tc.name, got)
		}
	}
}

func TestViewerConfidentialAndReassign(t *testing.T) {
	t.Parallel()
	mine := Access{Entity: "account", OwnerID: 3, TeamID: 10}
	below := Access{Entity: "account", OwnerID: 4, TeamID: 10}
	for _, tc := range []struct {
		name                 string
		v                    Viewer
		a                    Access
		confidential, assign bool
	}{
		{"owner", managerViewer, mine, true, true},
		{"teammate", Viewer{Principal: Principal{UserID: 8, Role: AccountManager}, Teams: []int64{10}}, mine, false, false},
		{"manager above the owner", salesHeadViewer, below, true, true},
		{"sales head of the team, not above the owner", Viewer{Principal: Principal{UserID: 2, Role: SalesHead}, Teams: []int64{10}}, below, false, true},
		{"admin", adminViewer, below, true, true},
		{"assistant", assistantViewer, mine, false, false},
	} {
		if got := tc.v.CanSeeConfidential(tc.a); got != tc.confidential {
			t.Errorf("%s: CanSeeConfidential = %v", tc.name, got)
		}
		if got := tc.v.CanReassign(tc.a); got != tc.assign {
			t.Errorf("%s: CanReassign = %v", tc.name, got)
		}
	}
}

func withSharing(v Viewer, s Sharing) Viewer {
	v.Sharing = map[string]Sharing{"account": s, "contact": s}
	return v
}

func withShare(a Access, s Share) Access {
	a.Shares = append(append([]Share(nil), a.Shares...), s)
	return a
}
