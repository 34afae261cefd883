package service_test

import (
	"slices"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/services"
)

// movedIn tells whether a history holds the move of field from record from to record to.
func movedIn(h []services.Entry, field string, from, to int64) bool {
	return slices.ContainsFunc(h, func(e services.Entry) bool {
		return e.Field == field && e.Old == itoa(from) && e.New == itoa(to)
	})
}

// Merging two companies keeps one: its empty values are filled from the duplicate, the duplicate's people
// and subsidiaries move to it (each with a line in its history), and the duplicate goes to the bin
// marked as merged, out of the live lists.
func mergingCompaniesMovesPeopleAndSubsidiaries(t *testing.T, w *world) {
	ctx := t.Context()
	p := as(w.am)
	keep := w.company(t, "Äijälä Oy", w.am, "")
	dup := w.companyWith(t, &crm.Account{Name: "Äijälä Ab", OwnerID: w.am.ID, Website: "aijala.fi"}, "")
	person := w.person(t, "Eila", "Yhdistettävä", w.am, dup.ID)
	subsidiary := w.companyWith(t, &crm.Account{Name: "Pikkuyhtiö Oy", OwnerID: w.am.ID, ParentID: dup.ID}, "")

	merged, err := w.svc.Accounts.Merge(ctx, p, keep.ID, dup.ID)
	mustNot(t, "merge the companies", err)
	if merged.ID != keep.ID || merged.Name != keep.Name || merged.Website != dup.Website {
		t.Errorf("merged: #%d %q %q, want #%d %q with the duplicate's web address %q", merged.ID, merged.Name, merged.Website, keep.ID, keep.Name, dup.Website)
	}
	if got := w.account(t, dup.ID); got.DeletedAt == nil || got.MergedInto != keep.ID {
		t.Errorf("the duplicate: in the bin since %v, merged into #%d; want it in the bin, merged into #%d", got.DeletedAt, got.MergedInto, keep.ID)
	}
	if got := w.contact(t, person.ID); got.AccountID != keep.ID {
		t.Errorf("the duplicate's person works at #%d, want #%d", got.AccountID, keep.ID)
	}
	if h := w.history(t, p, "contact", person.ID); !movedIn(h, "account_id", dup.ID, keep.ID) {
		t.Errorf("the person's history does not show the move from #%d to #%d: %+v", dup.ID, keep.ID, h)
	}
	if got := w.account(t, subsidiary.ID); got.ParentID != keep.ID {
		t.Errorf("the duplicate's subsidiary has parent #%d, want #%d", got.ParentID, keep.ID)
	}
	if h := w.history(t, p, "account", subsidiary.ID); !movedIn(h, "parent_id", dup.ID, keep.ID) {
		t.Errorf("the subsidiary's history does not show the move from #%d to #%d: %+v", dup.ID, keep.ID, h)
	}
	if h := w.history(t, p, "account", keep.ID); !changed(h, "merged") {
		t.Errorf("the kept company's history does not show the merge: %+v", h)
	}
	live := w.listAccounts(t, p, "Äijälä")
	if len(live) != 1 || live[keep.ID] == nil {
		t.Errorf("the live companies called Äijälä are %v, want only #%d", live, keep.ID)
	}
	bin, err := w.svc.Accounts.List(ctx, p, services.AccountFilter{Name: "Äijälä", Binned: true})
	mustNot(t, "the bin", err)
	if !slices.ContainsFunc(bin.Items, func(a *crm.Account) bool { return a.ID == dup.ID }) {
		t.Errorf("the bin lacks the merged duplicate #%d", dup.ID)
	}
	people, err := w.svc.Contacts.List(ctx, p, services.ContactFilter{AccountID: keep.ID})
	mustNot(t, "the kept company's people", err)
	if len(people.Items) != 1 || people.Items[0].ID != person.ID {
		t.Errorf("the kept company's people are %v, want #%d", contactIDs(people.Items), person.ID)
	}
}

// Merging two people keeps one, with the duplicate's addresses, numbers and empty fields joined in, and
// bins the duplicate marked as merged; both histories show it.
func mergingPeopleJoinsThem(t *testing.T, w *world) {
	ctx := t.Context()
	p := as(w.am)
	at := w.company(t, "Yhdistelmä Oy", w.am, "")
	keep := w.personWith(t, &crm.Contact{FirstName: "Eero", LastName: "Yhdistelmä", OwnerID: w.am.ID, Emails: []string{"eero@yhdistelma.fi"}})
	dup := w.personWith(t, &crm.Contact{FirstName: "Eero", LastName: "Yhdistelmä", OwnerID: w.am.ID, AccountID: at.ID,
		Title: "Toimitusjohtaja", Emails: []string{"eero.yhdistelma@example.com"}, Phones: []string{"040 123 4567"}})

	merged, err := w.svc.Contacts.Merge(ctx, p, keep.ID, dup.ID)
	mustNot(t, "merge the people", err)
	got := w.contact(t, keep.ID)
	if !slices.Equal(got.Emails, []string{"eero@yhdistelma.fi", "eero.yhdistelma@example.com"}) || !slices.Equal(got.Phones, dup.Phones) ||
		got.Title != "Toimitusjohtaja" || got.AccountID != at.ID {
		t.Errorf("merged: %v %v %q at #%d; want both addresses, %v, the title and #%d", got.Emails, got.Phones, got.Title, got.AccountID, dup.Phones, at.ID)
	}
	if merged.ID != keep.ID {
		t.Errorf("the answer is #%d, want #%d", merged.ID, keep.ID)
	}
	if d := w.contact(t, dup.ID); d.DeletedAt == nil || d.MergedInto != keep.ID {
		t.Errorf("the duplicate: in the bin since %v, merged into #%d; want it binned, merged into #%d", d.DeletedAt, d.MergedInto, keep.ID)
	}
	if h := w.history(t, p, "contact", keep.ID); !changed(h, "merged") {
		t.Errorf("the kept person's history does not show the merge: %+v", h)
	}
	if h := w.history(t, p, "contact", dup.ID); !changed(h, "merged_into") {
		t.Errorf("the duplicate's history does not show the merge: %+v", h)
	}
	if got := w.listContacts(t, p, "Eero Yhdistelmä"); !slices.Equal(got, []int64{keep.ID}) {
		t.Errorf("the live people called Eero Yhdistelmä are %v, want only #%d", got, keep.ID)
	}
}

// Merging changes both records, so it needs the right to change both: a record the caller does not see
// is NotFound, one they only see is Forbidden, whichever side it is on; nothing is merged then.
func mergeNeedsTheRightToChangeBoth(t *testing.T, w *world) {
	ctx := t.Context()
	p := as(w.am)
	own := w.company(t, "Oikeus Oma Oy", w.am, "")
	mates := w.company(t, "Oikeus Tiimi Oy", w.mate, "")
	strangers := w.company(t, "Oikeus Vieras Oy", w.stranger, "")
	for _, tc := range []struct {
		what      string
		keep, dup *crm.Account
		want      crm.Code
	}{
		{"into their own, a teammate's company", own, mates, crm.Forbidden},
		{"their own into a teammate's company", mates, own, crm.Forbidden},
		{"into their own, a stranger's company", own, strangers, crm.NotFound},
		{"their own into a stranger's company", strangers, own, crm.NotFound},
	} {
		_, err := w.svc.Accounts.Merge(ctx, p, tc.keep.ID, tc.dup.ID)
		wantCode(t, "merge "+tc.what, err, tc.want, "")
	}
	for _, a := range []*crm.Account{own, mates, strangers} {
		if got := w.account(t, a.ID); got.DeletedAt != nil || got.Version != a.Version {
			t.Errorf("%s after refused merges: in the bin since %v, version %d (was %d)", a.Name, got.DeletedAt, got.Version, a.Version)
		}
	}

	ownPerson := w.person(t, "Oikeus", "Oma", w.am, 0)
	matesPerson := w.person(t, "Oikeus", "Tiimi", w.mate, 0)
	strangersPerson := w.person(t, "Oikeus", "Vieras", w.stranger, 0)
	for _, tc := range []struct {
		what      string
		keep, dup *crm.Contact
		want      crm.Code
	}{
		{"into their own, a teammate's person", ownPerson, matesPerson, crm.Forbidden},
		{"their own into a teammate's person", matesPerson, ownPerson, crm.Forbidden},
		{"into their own, a stranger's person", ownPerson, strangersPerson, crm.NotFound},
		{"their own into a stranger's person", strangersPerson, ownPerson, crm.NotFound},
	} {
		_, err := w.svc.Contacts.Merge(ctx, p, tc.keep.ID, tc.dup.ID)
		wantCode(t, "merge "+tc.what, err, tc.want, "")
	}
	for _, c := range []*crm.Contact{ownPerson, matesPerson, strangersPerson} {
		if got := w.contact(t, c.ID); got.DeletedAt != nil || got.Version != c.Version {
			t.Errorf("%s after refused merges: in the bin since %v, version %d (was %d)", c.Name(), got.DeletedAt, got.Version, c.Version)
		}
	}

	// with companies team_edit, the teammate's company is anna's to change, and so to merge
	w.setSharing(t, "account", crm.SharingTeamEdit)
	_, err := w.svc.Accounts.Merge(ctx, p, own.ID, mates.ID)
	wantOK(t, "merge a teammate's company under team_edit", err)
}

// Picking the internal notes of the duplicate is for those who may see them. A sales head who may change
// a teammate's companies but not see their notes is refused when picking them, and merges nothing; the
// same merge without picking keeps the stored notes; the owner may pick.
func mergePickingHiddenInternalNotesIsForbidden(t *testing.T, w *world) {
	ctx := t.Context()
	keep := w.company(t, "Muistio Pidä Oy", w.mate, "pidettävä muistio")
	dup := w.company(t, "Muistio Ota Oy", w.mate, "otettava muistio")

	_, err := w.svc.Accounts.Merge(ctx, as(w.head), keep.ID, dup.ID, "internal_notes")
	wantCode(t, "sales head picks the duplicate's notes", err, crm.Forbidden, "internal_notes")
	if got := w.account(t, dup.ID); got.DeletedAt != nil {
		t.Errorf("a refused merge put the duplicate in the bin")
	}
	if got := w.account(t, keep.ID); got.InternalNotes != "pidettävä muistio" || got.Version != keep.Version {
		t.Errorf("a refused merge left the kept company at version %d (was %d) with the notes %q", got.Version, keep.Version, got.InternalNotes)
	}

	merged, err := w.svc.Accounts.Merge(ctx, as(w.head), keep.ID, dup.ID)
	mustNot(t, "sales head merges without picking the notes", err)
	if merged.InternalNotes != "" {
		t.Errorf("the merge answers the sales head with the notes %q, which they may not see", merged.InternalNotes)
	}
	if got := w.account(t, keep.ID); got.InternalNotes != "pidettävä muistio" {
		t.Errorf("after the merge the notes are %q, want the kept company's", got.InternalNotes)
	}

	keep2 := w.company(t, "Muistio Toinen Oy", w.mate, "pidettävä muistio")
	dup2 := w.company(t, "Muistio Kolmas Oy", w.mate, "otettava muistio")
	merged, err = w.svc.Accounts.Merge(ctx, as(w.mate), keep2.ID, dup2.ID, "internal_notes")
	mustNot(t, "the owner picks the duplicate's notes", err)
	if got := w.account(t, keep2.ID); got.InternalNotes != "otettava muistio" || merged.InternalNotes != "otettava muistio" {
		t.Errorf("the owner picked the duplicate's notes; stored %q, answered %q", got.InternalNotes, merged.InternalNotes)
	}
}

// A record cannot be merged into itself; the attempt changes nothing.
func mergingARecordIntoItselfIsRefused(t *testing.T, w *world) {
	ctx := t.Context()
	a := w.company(t, "Itse Oy", w.am, "")
	_, err := w.svc.Accounts.Merge(ctx, as(w.am), a.ID, a.ID)
	wantCode(t, "merge a company into itself", err, crm.Invalid, "")
	if got := w.account(t, a.ID); got.DeletedAt != nil || got.Version != a.Version {
		t.Errorf("the company after merging into itself: in the bin since %v, version %d (was %d)", got.DeletedAt, got.Version, a.Version)
	}
	c := w.person(t, "Iida", "Itse", w.am, 0)
	_, err = w.svc.Contacts.Merge(ctx, as(w.am), c.ID, c.ID)
	wantCode(t, "merge a person into themselves", err, crm.Invalid, "")
	if got := w.contact(t, c.ID); got.DeletedAt != nil || got.Version != c.Version {
		t.Errorf("the person after merging into themselves: in the bin since %v, version %d (was %d)", got.DeletedAt, got.Version, c.Version)
	}
}

// Merging may not hand the caller notes they could not see. A sales head may change a teammate's
// company but not read its notes; after merging it into a company of their own, neither the kept
// company nor its history (which takes in the duplicate's) may tell them the duplicate's notes.
func mergeDoesNotRevealTheDuplicatesHiddenNotes(t *testing.T, w *world) {
	ctx := t.Context()
	p := as(w.head)
	const hidden = "Matin kätketty muistio"
	leaks := func(what string, keepID int64) {
		t.Helper()
		if a, err := w.svc.Accounts.Get(ctx, p, keepID); err == nil && strings.Contains(a.InternalNotes, hidden) {
			t.Errorf("%s: the kept company shows the sales head the duplicate's notes %q", what, a.InternalNotes)
		}
		if h, err := w.svc.History.Of(ctx, p, "account", keepID, 1000, ""); err == nil {
			for _, e := range h.Items {
				if strings.Contains(e.Old+e.New, hidden) {
					t.Errorf("%s: the kept company's history shows the sales head the duplicate's notes: %+v", what, e)
				}
			}
		}
	}

	keep := w.company(t, "Vuoto Oma Oy", w.head, "Sakarin oma muistio")
	dup := w.company(t, "Vuoto Matin Oy", w.mate, hidden)
	if _, err := w.svc.Accounts.Merge(ctx, p, keep.ID, dup.ID); err != nil && crm.CodeOf(err) != crm.Forbidden {
		t.Fatalf("merge: %v", err)
	}
	leaks("kept company with notes of its own", keep.ID)

	bare := w.company(t, "Vuoto Tyhjä Oy", w.head, "")
	dup = w.company(t, "Vuoto Matin Toinen Oy", w.mate, hidden)
	if _, err := w.svc.Accounts.Merge(ctx, p, bare.ID, dup.ID); err != nil && crm.CodeOf(err) != crm.Forbidden {
		t.Fatalf("merge: %v", err)
	}
	leaks("kept company without notes", bare.ID)
}
