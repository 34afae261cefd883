package service_test

import (
	"strings"
	"testing"

	"tili/internal/crm"
)

// A company's internal notes are seen only by its owner, the managers above the owner (at any depth) and
// administrators: in Get, in the list and in the history, where the lines about them are left out for
// everyone else. Search does not find a company by its notes.
func confidentialNotesAreForOwnerManagersAndAdmins(t *testing.T, w *world) {
	ctx := t.Context()
	director := w.user(t, "johtaja", crm.SalesHead, []int64{w.north}, 0)
	manager := w.user(t, "esihenkilo", crm.SalesHead, []int64{w.north}, director.ID)
	owner := w.user(t, "myyja", crm.AccountManager, []int64{w.south}, manager.ID)
	const notes = "Salainen hintajousto"
	a := w.company(t, "Salaisuus Oy", owner, "Ensimmäinen muistio")
	a.InternalNotes = notes
	_, err := w.svc.Accounts.Update(ctx, as(owner), a)
	mustNot(t, "the owner writes the notes", err)
	w.share(t, "account", a.ID, w.stranger, crm.ShareRead)

	for _, v := range []struct {
		what string
		p    crm.Principal
		conf bool
	}{
		{"the owner", as(owner), true},
		{"the owner's manager", as(manager), true},
		{"the manager's manager", as(director), true},
		{"an administrator", as(w.admin), true},
		{"the system", system, true},
		{"a sales head of the owner's team", as(w.head), false},
		{"an account manager of the owner's team", as(w.am), false},
		{"an assistant of the owner's team", as(w.assist), false},
		{"a read-only user of the owner's team", as(w.reader), false},
		{"someone the company is shared with", as(w.stranger), false},
	} {
		got, err := w.svc.Accounts.Get(ctx, v.p, a.ID)
		mustNot(t, v.what+" gets the company", err)
		if (got.InternalNotes == notes) != v.conf || (!v.conf && got.InternalNotes != "") {
			t.Errorf("%s: Get answers the notes %q, want them shown: %v", v.what, got.InternalNotes, v.conf)
		}
		listed := w.listAccounts(t, v.p, "Salaisuus")[a.ID]
		if listed == nil {
			t.Errorf("%s: the company is not in the list", v.what)
		} else if (listed.InternalNotes == notes) != v.conf || (!v.conf && listed.InternalNotes != "") {
			t.Errorf("%s: the list shows the notes %q, want them shown: %v", v.what, listed.InternalNotes, v.conf)
		}
		h := w.history(t, v.p, "account", a.ID)
		if changed(h, "internal_notes") != v.conf {
			t.Errorf("%s: the history shows the notes' changes: %v, want %v", v.what, changed(h, "internal_notes"), v.conf)
		}
		if !v.conf {
			for _, e := range h {
				if strings.Contains(e.Old+e.New, "muistio") || strings.Contains(e.Old+e.New, "hintajousto") {
					t.Errorf("%s: a history line tells the notes: %+v", v.what, e)
				}
			}
		}
		if !changed(h, "created") {
			t.Errorf("%s: the history lacks the company's creation", v.what)
		}
	}
	if hits := w.search(t, system, "hintajousto"); len(hits["account"]) != 0 {
		t.Errorf("search finds companies by their internal notes: %v", hits["account"])
	}
}

// Someone who may change a company but not see its notes cannot write them: Forbidden about
// internal_notes, and nothing is saved. Their other changes keep the stored notes, which they never saw.
// Nor may anyone give a new company of another owner notes they could not see.
func confidentialNotesCannotBeWrittenByThoseWhoMayNotSeeThem(t *testing.T, w *world) {
	ctx := t.Context()
	const notes = "Vain omistajalle"
	a := w.company(t, "Kirjoitus Oy", w.mate, notes)

	// the sales head may change a teammate's company, not see its notes
	seen, err := w.svc.Accounts.Get(ctx, as(w.head), a.ID)
	mustNot(t, "the sales head reads the company", err)
	edit := *seen
	edit.InternalNotes = "Myyntijohtajan muistio"
	_, err = w.svc.Accounts.Update(ctx, as(w.head), &edit)
	wantCode(t, "the sales head writes the notes", err, crm.Forbidden, "internal_notes")
	if got := w.account(t, a.ID); got.InternalNotes != notes || got.Version != a.Version {
		t.Errorf("after a refused write: notes %q at version %d, want %q at %d", got.InternalNotes, got.Version, notes, a.Version)
	}

	edit = *seen
	edit.Description = "Myyntijohtaja kävi"
	_, err = w.svc.Accounts.Update(ctx, as(w.head), &edit)
	mustNot(t, "the sales head changes the description", err)
	got := w.account(t, a.ID)
	if got.Description != "Myyntijohtaja kävi" || got.InternalNotes != notes {
		t.Errorf("after the sales head's edit: description %q, notes %q; want the new description and the notes kept", got.Description, got.InternalNotes)
	}
	h := w.history(t, system, "account", a.ID)
	if len(h) == 0 || h[0].Field != "description" || h[0].Actor != w.head.Email {
		t.Errorf("the history is %+v, want the sales head's description newest", h)
	}
	for _, e := range h {
		if e.Field == "internal_notes" && e.Actor == w.head.Email {
			t.Errorf("the sales head's edit changed the notes: %+v", e)
		}
	}

	// a new company for a stranger, with notes anna could never read back
	_, err = w.svc.Accounts.Create(ctx, as(w.am), &crm.Account{Name: "Kirjoitus Vieraalle Oy", OwnerID: w.stranger.ID, InternalNotes: "Annan muistio"})
	wantCode(t, "an account manager gives a stranger's new company notes", err, crm.Forbidden, "internal_notes")
	if got := w.listAccounts(t, system, "Kirjoitus Vieraalle"); len(got) != 0 {
		t.Errorf("the refused company was saved: %v", got)
	}
}
