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
func records(v Viewer) []Ownership {
	return []Ownership{
		{OwnerID: v.UserID, TeamID: 20}, // own, in another team
		{OwnerID: 9, TeamID: 10},        // same team, someone else's
		{OwnerID: 9, TeamID: 20},        // another team's
		{OwnerID: 4, TeamID: 20},        // owned by user 4, below the sales head, in another team
		{},                              // unassigned, no team
		{TeamID: 10},                    // unassigned, same team
		{TeamID: 20},                    // unassigned, another team
	}
}

const recordColumns = "own, same team, other team, below me, unassigned, unassigned in my team, unassigned in another team"

func TestViewerRecords(t *testing.T) {
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
		{"account manager without a user", Viewer{Principal: Principal{Role: AccountManager}}, "FFFFFFF", "FFFFFFF", true},
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
func people(v Viewer) []ContactOwnership {
	own := Ownership{OwnerID: v.UserID, TeamID: 20}
	sameTeam := Ownership{OwnerID: 9, TeamID: 10}
	otherTeam := Ownership{OwnerID: 9, TeamID: 20}
	below := Ownership{OwnerID: 4, TeamID: 20}
	return []ContactOwnership{
		{Ownership: own},                             // mine, no company
		{Ownership: Ownership{}, Account: &own},      // unassigned, at my company
		{Ownership: Ownership{}, Account: &sameTeam}, // unassigned, at my team's company
		{Ownership: otherTeam, Account: &own},        // another team's, at my company
		{Ownership: sameTeam, Account: &otherTeam},   // my team's, at another team's company
		{Ownership: otherTeam, Account: &otherTeam},  // another team's, at another team's company
		{Ownership: otherTeam, Account: &below},      // another team's, at a company of someone below me
		{Ownership: Ownership{}},                     // unassigned, no company
		{Ownership: otherTeam},                       // another team's, no company
	}
}

const peopleColumns = "mine; unassigned at my company; unassigned at my team's company; other team's at my company; " +
	"my team's at other team's company; other team's at other team's company; other team's at below-me company; " +
	"unassigned without company; other team's without company"

func TestViewerPeople(t *testing.T) {
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
			if got := tc.v.CanSeeContact(o); got != (tc.see[i] == 'T') {
				t.Errorf("%s: CanSeeContact(%+v, company %+v) = %v (column %d of %s)", tc.name, o.Ownership, o.Account, got, i+1, peopleColumns)
			}
			if got := tc.v.CanEditContact(o); got != (tc.edit[i] == 'T') {
				t.Errorf("%s: CanEditContact(%+v, company %+v) = %v (column %d of %s)", tc.name, o.Ownership, o.Account, got, i+1, peopleColumns)
			}
		}
	}
}
