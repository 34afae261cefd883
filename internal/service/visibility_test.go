package service_test

import (
	"fmt"
	"slices"
	"testing"

	"tili/internal/crm"
	"tili/internal/services"
	"tili/internal/testutil"
)

// secret is the internal note every company of the matrix carries.
const secret = "luottamuksellinen"

// rolePrefix starts the names of the records made for one role's cells, so that a list or a search by
// it holds exactly those records.
var rolePrefix = map[crm.Role]string{crm.Admin: "Pääkäyttäjä", crm.SalesHead: "Myyntijohtaja",
	crm.AccountManager: "Asiakasvastaava", crm.Assistant: "Assistentti", crm.ReadOnly: "Lukija"}

// ownershipWord names a record after its ownership.
var ownershipWord = map[string]string{"own": "Oma", "same_team": "Tiimi", "other_team": "Vieras",
	"shared_read": "Luku", "shared_edit": "Muokkaus", "hierarchy": "Alainen"}

// matrixCell is one role × ownership cell: a company (with internal notes) and a person (without a
// company) of that ownership, and what the matrix says of them.
type matrixCell struct {
	ownership string
	want      testutil.Rights
	company   *crm.Account
	person    *crm.Contact
}

// Every cell of internal/api/testdata/authz.txt, asserted on the use cases themselves rather than
// through HTTP: what a role sees (Get, List, Search, History), what it may change, reassign and share,
// and whether it sees a company's internal notes. A record it does not see is NotFound, never Forbidden.
func visibilityFollowsTheMatrix(t *testing.T, w *world) {
	matrix := testutil.ReadMatrix(t, "../api/testdata/authz.txt")
	if len(matrix) != len(crm.Roles)*len(testutil.Ownerships) {
		t.Fatalf("authz.txt has %d rows, want one per role and ownership (%d)", len(matrix), len(crm.Roles)*len(testutil.Ownerships))
	}
	for _, role := range crm.Roles {
		t.Run(string(role), func(t *testing.T) {
			var cells []*matrixCell
			for _, own := range testutil.Ownerships {
				cells = append(cells, w.matrixCell(t, role, own, matrix[[2]string{string(role), own}]))
			}
			checkReads(t, w, role, cells)
			checkChanges(t, w, role, cells)
		})
	}
}

// matrixCell makes the records of one cell for the caller of role.
func (w *world) matrixCell(t *testing.T, role crm.Role, own string, want testutil.Rights) *matrixCell {
	t.Helper()
	owner := map[string]*crm.User{"own": w.callers[role], "same_team": w.mate, "other_team": w.stranger,
		"shared_read": w.stranger, "shared_edit": w.stranger, "hierarchy": w.reports[role]}[own]
	name := rolePrefix[role] + " " + ownershipWord[own]
	c := &matrixCell{ownership: own, want: want}
	c.company = w.company(t, name+" Oy", owner, secret)
	c.person = w.person(t, rolePrefix[role], ownershipWord[own], owner, 0)
	if level, ok := map[string]crm.ShareLevel{"shared_read": crm.ShareRead, "shared_edit": crm.ShareEdit}[own]; ok {
		w.share(t, "account", c.company.ID, w.callers[role], level)
		w.share(t, "contact", c.person.ID, w.callers[role], level)
	}
	return c
}

func checkReads(t *testing.T, w *world, role crm.Role, cells []*matrixCell) {
	ctx := t.Context()
	p := as(w.callers[role])
	var wantCompanies, wantPeople []int64
	for _, c := range cells {
		label := fmt.Sprintf("%s / %s", role, c.ownership)
		if c.want.See {
			wantCompanies = append(wantCompanies, c.company.ID)
			wantPeople = append(wantPeople, c.person.ID)
		}

		a, err := w.svc.Accounts.Get(ctx, p, c.company.ID)
		if c.want.See {
			wantOK(t, label+" / get company", err)
			if err == nil && (a.InternalNotes == secret) != c.want.Conf {
				t.Errorf("%s / get company: internal notes %q, want them shown: %v", label, a.InternalNotes, c.want.Conf)
			}
		} else {
			wantCode(t, label+" / get company", err, crm.NotFound, "")
		}
		_, err = w.svc.Contacts.Get(ctx, p, c.person.ID)
		if c.want.See {
			wantOK(t, label+" / get person", err)
		} else {
			wantCode(t, label+" / get person", err, crm.NotFound, "")
		}

		h, err := w.svc.History.Of(ctx, p, "account", c.company.ID, 1000, "")
		if c.want.See {
			wantOK(t, label+" / history of the company", err)
			if notes := changed(h.Items, "internal_notes"); notes != c.want.Conf {
				t.Errorf("%s / history of the company: internal notes shown: %v, want %v", label, notes, c.want.Conf)
			}
			if !changed(h.Items, "created") {
				t.Errorf("%s / history of the company has no line of its creation: %+v", label, h.Items)
			}
		} else {
			wantCode(t, label+" / history of the company", err, crm.NotFound, "")
		}
		_, err = w.svc.History.Of(ctx, p, "contact", c.person.ID, 1000, "")
		if c.want.See {
			wantOK(t, label+" / history of the person", err)
		} else {
			wantCode(t, label+" / history of the person", err, crm.NotFound, "")
		}
	}
	wantCompanies, wantPeople = sorted(wantCompanies), sorted(wantPeople)

	listed := w.listAccounts(t, p, rolePrefix[role])
	var got []int64
	for id := range listed {
		got = append(got, id)
	}
	if got = sorted(got); !slices.Equal(got, wantCompanies) {
		t.Errorf("%s: the companies list holds %v, want %v", role, got, wantCompanies)
	}
	for _, c := range cells {
		if a := listed[c.company.ID]; a != nil && (a.InternalNotes == secret) != c.want.Conf {
			t.Errorf("%s / %s: internal notes in the companies list %q, want them shown: %v", role, c.ownership, a.InternalNotes, c.want.Conf)
		}
	}
	if got := w.listContacts(t, p, rolePrefix[role]); !slices.Equal(got, wantPeople) {
		t.Errorf("%s: the people list holds %v, want %v", role, got, wantPeople)
	}
	found := w.search(t, p, rolePrefix[role])
	if !slices.Equal(found["account"], wantCompanies) {
		t.Errorf("%s: search finds the companies %v, want %v", role, found["account"], wantCompanies)
	}
	if !slices.Equal(found["contact"], wantPeople) {
		t.Errorf("%s: search finds the people %v, want %v", role, found["contact"], wantPeople)
	}
}

// checkChanges edits, shares and finally reassigns each cell's records as the caller.
func checkChanges(t *testing.T, w *world, role crm.Role, cells []*matrixCell) {
	ctx := t.Context()
	p := as(w.callers[role])
	for _, c := range cells {
		label := fmt.Sprintf("%s / %s", role, c.ownership)

		// the company as the caller would send it back: notes they may not see are not in it
		a := w.account(t, c.company.ID)
		if !c.want.Conf {
			a.InternalNotes = ""
		}
		a.Description = "Muutettu " + string(role)
		_, err := w.svc.Accounts.Update(ctx, p, a)
		wantDecision(t, label+" / edit company", err, decision(c.want.See, c.want.Edit))
		if got := w.account(t, c.company.ID); (got.Description == a.Description) != (c.want.See && c.want.Edit) {
			t.Errorf("%s / edit company: description now %q", label, got.Description)
		} else if got.InternalNotes != secret {
			t.Errorf("%s / edit company: internal notes now %q, want them kept", label, got.InternalNotes)
		}

		person := w.contact(t, c.person.ID)
		person.Title = "Muutettu"
		_, err = w.svc.Contacts.Update(ctx, p, person)
		wantDecision(t, label+" / edit person", err, decision(c.want.See, c.want.Edit))

		for _, r := range []struct {
			entity string
			id     int64
		}{{"account", c.company.ID}, {"contact", c.person.ID}} {
			err := w.svc.Access.Share(ctx, p, &crm.Share{Entity: r.entity, EntityID: r.id, UserID: w.mate.ID, Level: crm.ShareRead})
			wantDecision(t, label+" / share "+r.entity, err, decision(c.want.See, c.want.Assign))
		}

		// reassigned to kaisa, the records join kaisa's first team (north)
		ra, err := w.svc.Accounts.Reassign(ctx, p, c.company.ID, w.newcomer.ID, 0)
		wantDecision(t, label+" / reassign company", err, decision(c.want.See, c.want.Assign))
		if err == nil && (ra.OwnerID != w.newcomer.ID || ra.TeamID != w.north) {
			t.Errorf("%s / reassign company: owner #%d team #%d, want #%d and #%d", label, ra.OwnerID, ra.TeamID, w.newcomer.ID, w.north)
		}
		if got := w.account(t, c.company.ID); (got.OwnerID == w.newcomer.ID) != (c.want.See && c.want.Assign) {
			t.Errorf("%s / reassign company: owner now #%d", label, got.OwnerID)
		}
		rc, err := w.svc.Contacts.Reassign(ctx, p, c.person.ID, w.newcomer.ID, 0)
		wantDecision(t, label+" / reassign person", err, decision(c.want.See, c.want.Assign))
		if err == nil && (rc.OwnerID != w.newcomer.ID || rc.TeamID != w.north) {
			t.Errorf("%s / reassign person: owner #%d team #%d, want #%d and #%d", label, rc.OwnerID, rc.TeamID, w.newcomer.ID, w.north)
		}
		if got := w.contact(t, c.person.ID); (got.OwnerID == w.newcomer.ID) != (c.want.See && c.want.Assign) {
			t.Errorf("%s / reassign person: owner now #%d", label, got.OwnerID)
		}
	}
}

// A sales head sees and changes the records of everyone below them, at any depth, and their
// confidential notes; the account manager in the middle of the chain sees only as account managers do.
func salesHeadSeesTheWholeHierarchyBelow(t *testing.T, w *world) {
	ctx := t.Context()
	deep := w.company(t, "Syvänoja Oy", w.deep, secret)
	person := w.person(t, "Sylvi", "Syvänoja", w.deep, 0)

	a, err := w.svc.Accounts.Get(ctx, as(w.head), deep.ID)
	wantOK(t, "sales head: get the company of a report's report", err)
	if err != nil {
		a = w.account(t, deep.ID)
	} else if a.InternalNotes != secret {
		t.Errorf("sales head: internal notes of a report's report %q, want %q", a.InternalNotes, secret)
	}
	_, err = w.svc.Contacts.Get(ctx, as(w.head), person.ID)
	wantOK(t, "sales head: get the person of a report's report", err)
	if got := w.listAccounts(t, as(w.head), "Syvänoja"); got[deep.ID] == nil {
		t.Errorf("sales head: the companies list lacks the company of a report's report")
	}
	a.Description = "Johdon muutos"
	_, err = w.svc.Accounts.Update(ctx, as(w.head), a)
	wantOK(t, "sales head: edit the company of a report's report", err)

	// the report in the middle is an account manager: they see only their own and their team's
	_, err = w.svc.Accounts.Get(ctx, as(w.reports[crm.SalesHead]), deep.ID)
	wantOK(t, "the report in the middle: get a teammate's company", err)
	_, err = w.svc.Accounts.Get(ctx, as(w.am), deep.ID)
	wantCode(t, "an account manager of another team", err, crm.NotFound, "")
}

// A person is seen as their company is seen, or by their own owner, team and shares; and changed as their
// company is changed, or by their own access. Lists and search agree with Get.
func personIsSeenAsTheirCompanyOrByTheirOwn(t *testing.T, w *world) {
	ctx := t.Context()
	annas := w.company(t, "Annan Oy", w.am, "")
	strangers := w.company(t, "Viljan Oy", w.stranger, "")
	sharedRead := w.company(t, "Jaettu Oy", w.stranger, "")
	w.share(t, "account", sharedRead.ID, w.am, crm.ShareRead)
	mates := w.company(t, "Matin Oy", w.mate, "")

	type want struct{ see, edit bool }
	people := []struct {
		what string
		c    *crm.Contact
		want want
	}{
		{"a stranger's person at anna's company", w.person(t, "Henkilö", "Annan", w.stranger, annas.ID), want{true, true}},
		{"anna's person at a stranger's company", w.person(t, "Henkilö", "Oma", w.am, strangers.ID), want{true, true}},
		{"a stranger's person at a stranger's company", w.person(t, "Henkilö", "Vieras", w.stranger, strangers.ID), want{false, false}},
		{"a stranger's person at a company shared to read", w.person(t, "Henkilö", "Jaettu", w.stranger, sharedRead.ID), want{true, false}},
		{"a stranger's person at a teammate's company", w.person(t, "Henkilö", "Tiimi", w.stranger, mates.ID), want{true, false}},
		{"a stranger's person without a company", w.person(t, "Henkilö", "Yksin", w.stranger, 0), want{false, false}},
	}
	shared := w.person(t, "Henkilö", "Muokattava", w.stranger, strangers.ID)
	w.share(t, "contact", shared.ID, w.am, crm.ShareEdit)
	people = append(people, struct {
		what string
		c    *crm.Contact
		want want
	}{"a stranger's person shared to edit, at a stranger's company", shared, want{true, true}})

	p := as(w.am)
	var visible []int64
	for _, x := range people {
		_, err := w.svc.Contacts.Get(ctx, p, x.c.ID)
		wantDecision(t, x.what+" / get", err, decision(x.want.see, true))
		_, err = w.svc.History.Of(ctx, p, "contact", x.c.ID, 10, "")
		wantDecision(t, x.what+" / history", err, decision(x.want.see, true))
		if x.want.see {
			visible = append(visible, x.c.ID)
		}
		c := w.contact(t, x.c.ID)
		c.Department = "Osto"
		_, err = w.svc.Contacts.Update(ctx, p, c)
		wantDecision(t, x.what+" / edit", err, decision(x.want.see, x.want.edit))
	}
	visible = sorted(visible)
	if got := w.listContacts(t, p, "Henkilö"); !slices.Equal(got, visible) {
		t.Errorf("the people list holds %v, want %v", got, visible)
	}
	if got := w.search(t, p, "Henkilö")["contact"]; !slices.Equal(got, visible) {
		t.Errorf("search finds the people %v, want %v", got, visible)
	}

	// with companies private, the teammate's company is hidden and its people with it
	w.setSharing(t, "account", crm.SharingPrivate)
	tiimi := people[4].c.ID
	_, err := w.svc.Contacts.Get(ctx, p, tiimi)
	wantCode(t, "companies private: a stranger's person at a teammate's company", err, crm.NotFound, "")
	if got := w.listContacts(t, p, "Henkilö"); slices.Contains(got, tiimi) {
		t.Errorf("companies private: the people list still holds the person at a teammate's company: %v", got)
	}
	if got := w.search(t, p, "Henkilö")["contact"]; slices.Contains(got, tiimi) {
		t.Errorf("companies private: search still finds the person at a teammate's company: %v", got)
	}
}

// The sharing setting of a kind decides how far account managers see and change their teammates'
// records of that kind, and everyone_read lets every user see every record of it. Assistants and sales
// heads see their teams' records whatever the setting; the setting of one kind leaves the other alone.
func sharingSettingsWidenAndNarrowWhatAccountManagersSee(t *testing.T, w *world) {
	ctx := t.Context()
	own := w.company(t, "Asetus Oma Oy", w.am, "")
	mates := w.company(t, "Asetus Tiimi Oy", w.mate, "")
	strangers := w.company(t, "Asetus Vieras Oy", w.stranger, "")
	matesPerson := w.person(t, "Asetus", "Tiimihenkilö", w.mate, 0)

	type rights struct{ see, edit bool }
	for _, tc := range []struct {
		sharing                   crm.Sharing
		own, mates, strangers     rights
		readerSeesStrangers       bool
		assistantSeesMates        bool
		accountManagerSeesPersons bool
	}{
		{crm.SharingPrivate, rights{true, true}, rights{false, false}, rights{false, false}, false, true, true},
		{crm.SharingTeamRead, rights{true, true}, rights{true, false}, rights{false, false}, false, true, true},
		{crm.SharingTeamEdit, rights{true, true}, rights{true, true}, rights{false, false}, false, true, true},
		{crm.SharingEveryoneRead, rights{true, true}, rights{true, false}, rights{true, false}, true, true, true},
	} {
		t.Run(string(tc.sharing), func(t *testing.T) {
			w.setSharing(t, "account", tc.sharing)
			p := as(w.am)
			var visible []int64
			for _, x := range []struct {
				what string
				a    *crm.Account
				want rights
			}{{"own", own, tc.own}, {"teammate's", mates, tc.mates}, {"stranger's", strangers, tc.strangers}} {
				_, err := w.svc.Accounts.Get(ctx, p, x.a.ID)
				wantDecision(t, x.what+" company / get", err, decision(x.want.see, true))
				a := w.account(t, x.a.ID)
				a.Description = "Asetuksella " + string(tc.sharing)
				_, err = w.svc.Accounts.Update(ctx, p, a)
				wantDecision(t, x.what+" company / edit", err, decision(x.want.see, x.want.edit))
				if x.want.see {
					visible = append(visible, x.a.ID)
				}
			}
			var got []int64
			for id := range w.listAccounts(t, p, "Asetus") {
				got = append(got, id)
			}
			if got, visible = sorted(got), sorted(visible); !slices.Equal(got, visible) {
				t.Errorf("the companies list holds %v, want %v", got, visible)
			}
			if found := w.search(t, p, "Asetus")["account"]; !slices.Equal(found, visible) {
				t.Errorf("search finds the companies %v, want %v", found, visible)
			}

			_, err := w.svc.Accounts.Get(ctx, as(w.reader), strangers.ID)
			wantDecision(t, "read-only user / a stranger's company", err, decision(tc.readerSeesStrangers, true))
			_, err = w.svc.Accounts.Get(ctx, as(w.assist), mates.ID)
			wantDecision(t, "assistant / a teammate's company", err, decision(tc.assistantSeesMates, true))
			_, err = w.svc.Accounts.Get(ctx, as(w.head), mates.ID)
			wantOK(t, "sales head / a teammate's company", err)
			// people have their own setting, still team_read
			_, err = w.svc.Contacts.Get(ctx, p, matesPerson.ID)
			wantDecision(t, "account manager / a teammate's person", err, decision(tc.accountManagerSeesPersons, true))
		})
	}

	t.Run("people private", func(t *testing.T) {
		w.setSharing(t, "contact", crm.SharingPrivate)
		_, err := w.svc.Contacts.Get(ctx, as(w.am), matesPerson.ID)
		wantCode(t, "a teammate's person", err, crm.NotFound, "")
		if got := w.listContacts(t, as(w.am), "Asetus"); len(got) != 0 {
			t.Errorf("the people list holds %v, want none", got)
		}
		_, err = w.svc.Accounts.Get(ctx, as(w.am), mates.ID)
		wantOK(t, "a teammate's company, companies still team_read", err)
	})
}

// A record shared with a team is seen by every member of it, and changed by those of them who may change
// records at all when it is shared to edit; assistants and read-only users never change it.
func teamSharesReachEveryMember(t *testing.T, w *world) {
	ctx := t.Context()
	read := w.company(t, "Tiimijako Luku Oy", w.stranger, "")
	edit := w.company(t, "Tiimijako Muokkaus Oy", w.stranger, "")
	for _, x := range []struct {
		a     *crm.Account
		level crm.ShareLevel
	}{{read, crm.ShareRead}, {edit, crm.ShareEdit}} {
		err := w.svc.Access.Share(ctx, system, &crm.Share{Entity: "account", EntityID: x.a.ID, TeamID: w.south, Level: x.level})
		mustNot(t, "share with the south", err)
	}
	outsider := w.user(t, "ulkopuolinen", crm.AccountManager, []int64{w.team(t, "Länsi")}, 0)
	for _, m := range []struct {
		u          *crm.User
		see, write bool
	}{
		{w.head, true, true}, {w.am, true, true}, {w.mate, true, true}, {w.assist, true, false}, {w.reader, true, false},
		{outsider, false, false},
	} {
		p := as(m.u)
		var want []int64
		if m.see {
			want = sorted([]int64{read.ID, edit.ID})
		}
		var got []int64
		for id := range w.listAccounts(t, p, "Tiimijako") {
			got = append(got, id)
		}
		if got = sorted(got); !slices.Equal(got, want) {
			t.Errorf("%s: the list holds %v, want %v", m.u.Email, got, want)
		}
		if found := w.search(t, p, "Tiimijako")["account"]; !slices.Equal(found, want) {
			t.Errorf("%s: search finds %v, want %v", m.u.Email, found, want)
		}
		for _, x := range []struct {
			a   *crm.Account
			may bool
		}{{read, false}, {edit, m.write}} {
			a := w.account(t, x.a.ID)
			a.Description = "Tiimin muutos " + m.u.Name
			_, err := w.svc.Accounts.Update(ctx, p, a)
			wantDecision(t, m.u.Email+" edits "+a.Name, err, decision(m.see, x.may))
		}
	}
}

// Where a user may add a record that looks like another, the warning names only the records they see:
// a record they may not see does not exist for them.
func lookalikesNameOnlyVisibleRecords(t *testing.T, w *world) {
	ctx := t.Context()
	hidden := w.company(t, "Kaksoisolento Oy", w.stranger, "")
	seen := w.company(t, "Kaksoisolento Ab", w.mate, "")
	out, err := w.svc.Accounts.Create(ctx, as(w.am), &crm.Account{Name: "Oy Kaksoisolento Ab"})
	mustNot(t, "add a lookalike company", err)
	var names []int64
	for _, l := range out.Likely {
		names = append(names, l.ID)
	}
	if !slices.Contains(names, seen.ID) || slices.Contains(names, hidden.ID) {
		t.Errorf("the warning names %v, want #%d (a teammate's) and not #%d (a stranger's)", names, seen.ID, hidden.ID)
	}

	hiddenPerson := w.person(t, "Kaisu", "Kaksoisolento", w.stranger, 0)
	seenPerson := w.person(t, "Kaisu", "Kaksoisolento", w.mate, 0)
	pout, err := w.svc.Contacts.Create(ctx, as(w.am), &crm.Contact{FirstName: "Kaisu", LastName: "Kaksoisolento"})
	mustNot(t, "add a lookalike person", err)
	names = nil
	for _, l := range pout.Likely {
		names = append(names, l.ID)
	}
	if !slices.Contains(names, seenPerson.ID) || slices.Contains(names, hiddenPerson.ID) {
		t.Errorf("the warning names %v, want #%d (a teammate's) and not #%d (a stranger's)", names, seenPerson.ID, hiddenPerson.ID)
	}
}

// A user who has been disabled sees nothing and changes nothing, whatever their principal still says.
func disabledUserSeesNothing(t *testing.T, w *world) {
	ctx := t.Context()
	gone := w.user(t, "poistunut", crm.SalesHead, []int64{w.south}, 0)
	a := w.company(t, "Poistuneen Oy", gone, "")
	_, err := w.svc.Accounts.Get(ctx, as(gone), a.ID)
	mustNot(t, "read one's own company", err)
	mustNot(t, "disable the user", w.svc.Users.Disable(ctx, system, gone.ID))
	_, err = w.svc.Accounts.Get(ctx, as(gone), a.ID)
	wantCode(t, "a disabled user reads their company", err, crm.Unauthenticated, "")
	_, err = w.svc.Accounts.List(ctx, as(gone), services.AccountFilter{Name: "Poistuneen"})
	wantCode(t, "a disabled user lists companies", err, crm.Unauthenticated, "")
	_, err = w.svc.Accounts.Create(ctx, as(gone), &crm.Account{Name: "Poistuneen Uusi Oy"})
	wantCode(t, "a disabled user adds a company", err, crm.Unauthenticated, "")
	if got := w.listAccounts(t, system, "Poistuneen Uusi"); len(got) != 0 {
		t.Errorf("a disabled user's company was saved")
	}
}
