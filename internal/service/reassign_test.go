package service_test

import (
	"testing"

	"tili/internal/crm"
)

// Administrators may reassign any record, sales heads what they may change, account managers their own
// records only; assistants and read-only users nothing. A refused reassignment leaves the owner as it
// was.
func reassignIsForAdminsSalesHeadsAndOwners(t *testing.T, w *world) {
	ctx := t.Context()
	strangers := w.company(t, "Siirto Vieras Oy", w.stranger, "")
	mates := w.company(t, "Siirto Tiimi Oy", w.mate, "")
	matesToo := w.company(t, "Siirto Toinen Tiimi Oy", w.mate, "")
	sharedRead := w.company(t, "Siirto Luku Oy", w.stranger, "")
	w.share(t, "account", sharedRead.ID, w.head, crm.ShareRead)
	sharedEdit := w.company(t, "Siirto Muokkaus Oy", w.stranger, "")
	w.share(t, "account", sharedEdit.ID, w.am, crm.ShareEdit)
	reports := w.company(t, "Siirto Alainen Oy", w.reports[crm.SalesHead], "")
	own := w.company(t, "Siirto Oma Oy", w.am, "")
	far := w.company(t, "Siirto Kaukana Oy", w.stranger, "")

	for _, tc := range []struct {
		what string
		by   *crm.User
		a    *crm.Account
		to   *crm.User
		want crm.Code
	}{
		{"admin: a stranger's company", w.admin, strangers, w.am, ""},
		{"sales head: a teammate's company", w.head, matesToo, w.newcomer, ""},
		{"sales head: a report's company", w.head, reports, w.head, ""},
		{"sales head: a company shared to read", w.head, sharedRead, w.head, crm.Forbidden},
		{"sales head: a stranger's company", w.head, far, w.head, crm.NotFound},
		{"account manager: a company shared to edit", w.am, sharedEdit, w.am, crm.Forbidden},
		{"account manager: a teammate's company", w.am, mates, w.am, crm.Forbidden},
		{"assistant: a teammate's company", w.assist, mates, w.assist, crm.Forbidden},
		{"read-only user: a teammate's company", w.reader, mates, w.reader, crm.Forbidden},
		{"account manager: their own company", w.am, own, w.mate, ""},
		// no longer theirs, though they still see it in their team
		{"account manager: the company they gave away", w.am, own, w.am, crm.Forbidden},
	} {
		before := w.account(t, tc.a.ID)
		got, err := w.svc.Accounts.Reassign(ctx, as(tc.by), tc.a.ID, tc.to.ID, 0)
		wantDecision(t, tc.what, err, tc.want)
		after := w.account(t, tc.a.ID)
		if tc.want != "" {
			if after.OwnerID != before.OwnerID || after.Version != before.Version {
				t.Errorf("%s: refused, yet the owner went from #%d to #%d (version %d to %d)", tc.what, before.OwnerID, after.OwnerID, before.Version, after.Version)
			}
			continue
		}
		if err == nil && got.OwnerID != tc.to.ID {
			t.Errorf("%s: the answer says owner #%d, want #%d", tc.what, got.OwnerID, tc.to.ID)
		}
		if after.OwnerID != tc.to.ID || after.TeamID != tc.to.TeamIDs[0] {
			t.Errorf("%s: owner #%d team #%d, want #%d and their first team #%d", tc.what, after.OwnerID, after.TeamID, tc.to.ID, tc.to.TeamIDs[0])
		}
	}
}

// The team of a reassigned record becomes its new owner's first team; an owner without a team, or no
// owner at all, leaves the team as it was.
func reassignMovesTheTeamToTheNewOwners(t *testing.T, w *world) {
	ctx := t.Context()
	loner := w.user(t, "yksinainen", crm.AccountManager, nil, 0)
	a := w.company(t, "Tiiminvaihto Oy", w.am, "")
	c := w.person(t, "Tiina", "Tiiminvaihto", w.am, 0)
	for _, step := range []struct {
		what   string
		owner  int64
		team   int64
		person bool
	}{
		{"to someone without a team", loner.ID, w.south, false},
		{"to kaisa, whose first team is north", w.newcomer.ID, w.north, false},
		{"to no one", 0, w.north, false},
		{"back to anna, in the south", w.am.ID, w.south, false},
		{"the person to someone without a team", loner.ID, w.south, true},
		{"the person to kaisa", w.newcomer.ID, w.north, true},
		{"the person to no one", 0, w.north, true},
	} {
		var owner, team int64
		if step.person {
			_, err := w.svc.Contacts.Reassign(ctx, system, c.ID, step.owner, 0)
			mustNot(t, step.what, err)
			got := w.contact(t, c.ID)
			owner, team = got.OwnerID, got.TeamID
		} else {
			_, err := w.svc.Accounts.Reassign(ctx, system, a.ID, step.owner, 0)
			mustNot(t, step.what, err)
			got := w.account(t, a.ID)
			owner, team = got.OwnerID, got.TeamID
		}
		if owner != step.owner || team != step.team {
			t.Errorf("%s: owner #%d team #%d, want #%d and #%d", step.what, owner, team, step.owner, step.team)
		}
	}
}

// Reassigning with the version one saw is refused when someone changed the record meanwhile, and
// nothing of it is saved.
func reassignRefusesAStaleVersion(t *testing.T, w *world) {
	ctx := t.Context()
	a := w.company(t, "Vanhentunut Oy", w.am, "")
	seen := a.Version
	a.Description = "Joku ehti ensin"
	_, err := w.svc.Accounts.Update(ctx, as(w.am), a)
	mustNot(t, "edit the company", err)
	_, err = w.svc.Accounts.Reassign(ctx, as(w.am), a.ID, w.mate.ID, seen)
	wantCode(t, "reassign a company at an old version", err, crm.Stale, "")
	if got := w.account(t, a.ID); got.OwnerID != w.am.ID || got.TeamID != w.south || got.Version != a.Version {
		t.Errorf("after a stale reassignment: owner #%d team #%d version %d, want #%d, #%d, %d", got.OwnerID, got.TeamID, got.Version, w.am.ID, w.south, a.Version)
	}
	if changed(w.history(t, system, "account", a.ID), "owner_id") {
		t.Errorf("a stale reassignment left an owner change in the history")
	}
	_, err = w.svc.Accounts.Reassign(ctx, as(w.am), a.ID, w.mate.ID, a.Version)
	wantOK(t, "reassign the company at its current version", err)

	c := w.person(t, "Vanha", "Versio", w.am, 0)
	seen = c.Version
	c.Title = "Johtaja"
	_, err = w.svc.Contacts.Update(ctx, as(w.am), c)
	mustNot(t, "edit the person", err)
	_, err = w.svc.Contacts.Reassign(ctx, as(w.am), c.ID, w.mate.ID, seen)
	wantCode(t, "reassign a person at an old version", err, crm.Stale, "")
	if got := w.contact(t, c.ID); got.OwnerID != w.am.ID || got.Version != c.Version {
		t.Errorf("after a stale reassignment: owner #%d version %d, want #%d and %d", got.OwnerID, got.Version, w.am.ID, c.Version)
	}
	if changed(w.history(t, system, "contact", c.ID), "owner_id") {
		t.Errorf("a stale reassignment left an owner change in the person's history")
	}
}

// Only an active user can own records: reassigning to an unknown or a disabled user is refused about the
// owner, and changes nothing.
func reassignRefusesAnOwnerWhoCannotOwn(t *testing.T, w *world) {
	ctx := t.Context()
	gone := w.user(t, "lahtenyt", crm.AccountManager, []int64{w.north}, 0)
	mustNot(t, "disable a user", w.svc.Users.Disable(ctx, system, gone.ID))
	a := w.company(t, "Omistajaton Oy", w.am, "")
	c := w.person(t, "Olli", "Omistajaton", w.am, 0)
	for _, owner := range []struct {
		what string
		id   int64
	}{{"an unknown user", 987654}, {"a disabled user", gone.ID}} {
		_, err := w.svc.Accounts.Reassign(ctx, system, a.ID, owner.id, 0)
		wantCode(t, "company to "+owner.what, err, crm.Invalid, "owner")
		_, err = w.svc.Contacts.Reassign(ctx, system, c.ID, owner.id, 0)
		wantCode(t, "person to "+owner.what, err, crm.Invalid, "owner")
	}
	if got := w.account(t, a.ID); got.OwnerID != w.am.ID || got.Version != a.Version {
		t.Errorf("the company's owner is #%d at version %d, want #%d at %d", got.OwnerID, got.Version, w.am.ID, a.Version)
	}
	if got := w.contact(t, c.ID); got.OwnerID != w.am.ID || got.Version != c.Version {
		t.Errorf("the person's owner is #%d at version %d, want #%d at %d", got.OwnerID, got.Version, w.am.ID, c.Version)
	}
}
