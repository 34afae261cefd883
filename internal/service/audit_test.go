package service_test

import (
	"fmt"
	"testing"

	"tili/internal/crm"
)

// A change refused for lack of rights answers Forbidden, is not made, and leaves one access.refused
// event in the audit log naming who tried and on what: the README promises that the audit log records
// every refused change, and the refused attempt must outlive the rollback of the change.
func refusedChangesAreAudited(t *testing.T, w *world) {
	ctx := t.Context()
	mates := w.company(t, "Torjunta Tiimi Oy", w.mate, "Matin muistio")
	own := w.company(t, "Torjunta Oma Oy", w.am, "")
	matesPerson := w.person(t, "Torjunta", "Tiimihenkilö", w.mate, 0)
	matesOther := w.company(t, "Torjunta Toinen Oy", w.mate, "Toinen muistio")

	unchanged := func(t *testing.T) {
		t.Helper()
		if got := w.account(t, mates.ID); got.Version != mates.Version || got.OwnerID != w.mate.ID || got.DeletedAt != nil || got.InternalNotes != "Matin muistio" {
			t.Errorf("the teammate's company changed: version %d (was %d), owner #%d, binned %v, notes %q", got.Version, mates.Version, got.OwnerID, got.DeletedAt, got.InternalNotes)
		}
		if got := w.account(t, matesOther.ID); got.DeletedAt != nil {
			t.Errorf("the teammate's other company went to the bin")
		}
		if got := w.account(t, own.ID); got.DeletedAt != nil || got.Version != own.Version {
			t.Errorf("anna's own company changed: version %d (was %d), binned %v", got.Version, own.Version, got.DeletedAt)
		}
		if got := w.contact(t, matesPerson.ID); got.DeletedAt != nil || got.Version != matesPerson.Version {
			t.Errorf("the teammate's person changed: version %d (was %d), binned %v", got.Version, matesPerson.Version, got.DeletedAt)
		}
		if got := w.listAccounts(t, system, "Torjunta Uusi"); len(got) != 0 {
			t.Errorf("a refused new company was saved: %v", got)
		}
		if got := w.listContacts(t, system, "Torjunta Uusi"); len(got) != 0 {
			t.Errorf("a refused new person was saved: %v", got)
		}
		shares, err := w.svc.Access.Shares(ctx, system, "account", mates.ID)
		mustNot(t, "shares", err)
		if len(shares) != 0 {
			t.Errorf("a refused share was saved: %+v", shares)
		}
	}

	for _, tc := range []struct {
		what   string
		by     *crm.User
		entity string // "": not about one kind of record
		id     int64  // -1: about one of the records, whichever the service names
		do     func(t *testing.T, p crm.Principal) error
	}{
		{"an account manager edits a teammate's company under team_read", w.am, "account", mates.ID, func(t *testing.T, p crm.Principal) error {
			a := w.account(t, mates.ID)
			a.InternalNotes, a.Description = "", "Annan muutos"
			_, err := w.svc.Accounts.Update(ctx, p, a)
			return err
		}},
		{"a read-only user adds a company", w.reader, "account", 0, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Accounts.Create(ctx, p, &crm.Account{Name: "Torjunta Uusi Oy"})
			return err
		}},
		{"a read-only user adds a person", w.reader, "contact", 0, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Contacts.Create(ctx, p, &crm.Contact{FirstName: "Torjunta", LastName: "Uusi"})
			return err
		}},
		{"an assistant imports people", w.assist, "contact", 0, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Contacts.CreateMany(ctx, p, []*crm.Contact{{FirstName: "Torjunta", LastName: "Uusi Tuotu"}})
			return err
		}},
		{"an account manager deletes a teammate's person", w.am, "contact", matesPerson.ID, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Contacts.Delete(ctx, p, matesPerson.ID, 0)
			return err
		}},
		{"an account manager reassigns a teammate's company", w.am, "account", mates.ID, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Accounts.Reassign(ctx, p, mates.ID, w.am.ID, 0)
			return err
		}},
		{"an account manager shares a teammate's company", w.am, "account", mates.ID, func(t *testing.T, p crm.Principal) error {
			return w.svc.Access.Share(ctx, p, &crm.Share{Entity: "account", EntityID: mates.ID, UserID: w.stranger.ID})
		}},
		{"an account manager merges a teammate's company into their own", w.am, "account", mates.ID, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Accounts.Merge(ctx, p, own.ID, mates.ID)
			return err
		}},
		{"a sales head writes the internal notes of a teammate's company", w.head, "account", mates.ID, func(t *testing.T, p crm.Principal) error {
			a, err := w.svc.Accounts.Get(ctx, p, mates.ID)
			mustNot(t, "the sales head reads the company", err)
			a.InternalNotes = "Myyntijohtajan muistio"
			_, err = w.svc.Accounts.Update(ctx, p, a)
			return err
		}},
		{"a sales head picks the hidden notes of a teammate's company in a merge", w.head, "account", -1, func(t *testing.T, p crm.Principal) error {
			_, err := w.svc.Accounts.Merge(ctx, p, mates.ID, matesOther.ID, "internal_notes")
			return err
		}},
		{"an account manager changes the sharing setting", w.am, "", 0, func(t *testing.T, p crm.Principal) error {
			return w.svc.Access.SetSharing(ctx, p, "account", crm.SharingEveryoneRead)
		}},
		{"an account manager adds a user", w.am, "", 0, func(t *testing.T, p crm.Principal) error {
			return w.svc.Users.Create(ctx, p, &crm.User{Email: "torjunta-uusi@example.fi", Name: "Torjunta Uusi", Role: crm.Admin})
		}},
	} {
		t.Run(tc.what, func(t *testing.T) {
			var last int64
			if before := w.refusals(t); len(before) > 0 {
				last = before[0].ID
			}
			err := tc.do(t, as(tc.by))
			wantCode(t, "the change", err, crm.Forbidden, "")
			unchanged(t)
			var events []string
			found := 0
			for _, e := range w.refusals(t) {
				if e.ID <= last {
					break
				}
				events = append(events, e.Entity+" #"+itoa(e.EntityID)+" by #"+itoa(e.ActorID)+": "+e.Detail)
				if e.ActorID == tc.by.ID && e.Source == crm.SourceUI && (tc.entity == "" || e.Entity == tc.entity &&
					(e.EntityID == tc.id || tc.id == -1 && (e.EntityID == mates.ID || e.EntityID == matesOther.ID))) {
					found++
				}
			}
			if found != 1 || len(events) != 1 {
				about := "any record"
				switch {
				case tc.id == -1:
					about = fmt.Sprintf("%s #%d or #%d", tc.entity, mates.ID, matesOther.ID)
				case tc.entity != "":
					about = fmt.Sprintf("%s #%d", tc.entity, tc.id)
				}
				t.Errorf("the audit log has %d new refusals %q, want one by %s about %s", len(events), events, tc.by.Email, about)
			}
		})
	}
	if got, err := w.svc.Access.Sharing(ctx, system); err != nil || got["account"] != crm.SharingTeamRead {
		t.Errorf("the sharing setting of companies is %q (%v) after a refused change, want team_read", got["account"], err)
	}
	if u, err := w.svc.Users.ByEmail(ctx, system, "torjunta-uusi@example.fi"); err == nil {
		t.Errorf("a refused user was added: #%d", u.ID)
	}

	// and the audit log itself is for administrators
	_, err := w.svc.Users.AuditLog(ctx, as(w.head), "access.refused", 10, "")
	wantCode(t, "a sales head reads the audit log", err, crm.Forbidden, "")
	_, err = w.svc.Users.AuditLog(ctx, as(w.admin), "access.refused", 10, "")
	wantOK(t, "an administrator reads the audit log", err)
}
