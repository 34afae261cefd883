package service_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/service"
	"tili/internal/services"
	"tili/internal/store"
)

// system is the command line's built-in administrator: it makes the worlds the tests look at.
var system = crm.System(crm.SourceCLI)

// world is a small sales organisation on one database, made through the use cases:
//
//	Etelä (south):     one caller per role — aino (admin), sakari (sales head), anna (account manager),
//	                   assi (assistant), lukija (read-only) — and matti, an account manager who is
//	                   everyone's teammate
//	Pohjoinen (north): vilja, an account manager who is a stranger to every caller; for each caller an
//	                   account manager who reports to them; and syvä, who reports to sakari's report
//	both, north first: kaisa, an account manager records are reassigned to
//
// Sharing is the default team_read for both kinds of record.
type world struct {
	svc          *services.Services
	south, north int64
	callers      map[crm.Role]*crm.User
	reports      map[crm.Role]*crm.User
	mate         *crm.User
	stranger     *crm.User
	deep         *crm.User
	newcomer     *crm.User
	admin, head  *crm.User
	am, assist   *crm.User
	reader       *crm.User
}

// callerNames are the callers' first names, by role.
var callerNames = map[crm.Role]string{crm.Admin: "aino", crm.SalesHead: "sakari", crm.AccountManager: "anna",
	crm.Assistant: "assi", crm.ReadOnly: "lukija"}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{svc: services.New(db, service.Options{}), callers: map[crm.Role]*crm.User{}, reports: map[crm.Role]*crm.User{}}
	w.south, w.north = w.team(t, "Etelä"), w.team(t, "Pohjoinen")
	w.mate = w.user(t, "matti", crm.AccountManager, []int64{w.south}, 0)
	w.stranger = w.user(t, "vilja", crm.AccountManager, []int64{w.north}, 0)
	for _, role := range crm.Roles {
		u := w.user(t, callerNames[role], role, []int64{w.south}, 0)
		w.callers[role] = u
		w.reports[role] = w.user(t, "alainen-"+callerNames[role], crm.AccountManager, []int64{w.north}, u.ID)
	}
	w.deep = w.user(t, "syva", crm.AccountManager, []int64{w.north}, w.reports[crm.SalesHead].ID)
	w.newcomer = w.user(t, "kaisa", crm.AccountManager, []int64{w.north, w.south}, 0)
	w.admin, w.head, w.am = w.callers[crm.Admin], w.callers[crm.SalesHead], w.callers[crm.AccountManager]
	w.assist, w.reader = w.callers[crm.Assistant], w.callers[crm.ReadOnly]
	return w
}

// team adds a team as the system.
func (w *world) team(t *testing.T, name string) int64 {
	t.Helper()
	tm := &crm.Team{Name: name}
	if err := w.svc.Users.CreateTeam(t.Context(), system, tm); err != nil {
		t.Fatalf("add team %s: %v", name, err)
	}
	return tm.ID
}

// user adds a user as the system; the e-mail address is name@example.fi.
func (w *world) user(t *testing.T, name string, role crm.Role, teams []int64, manager int64) *crm.User {
	t.Helper()
	u := &crm.User{Email: name + "@example.fi", Name: name, Role: role, TeamIDs: teams, ManagerID: manager}
	if err := w.svc.Users.Create(t.Context(), system, u); err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
	return u
}

// as is the principal of u signed in to the web UI.
func as(u *crm.User) crm.Principal {
	return crm.Principal{UserID: u.ID, Role: u.Role, Source: crm.SourceUI}
}

func idOf(u *crm.User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

// company adds a company owned by owner (nil: unassigned) as the system. Internal notes, when given, are
// written as a change of their own, so that the history holds them too.
func (w *world) company(t *testing.T, name string, owner *crm.User, notes string) *crm.Account {
	t.Helper()
	return w.companyWith(t, &crm.Account{Name: name, OwnerID: idOf(owner)}, notes)
}

// companyWith adds a as the system, then its internal notes as a change.
func (w *world) companyWith(t *testing.T, a *crm.Account, notes string) *crm.Account {
	t.Helper()
	if _, err := w.svc.Accounts.Create(t.Context(), system, a); err != nil {
		t.Fatalf("add company %s: %v", a.Name, err)
	}
	if notes != "" {
		a.InternalNotes = notes
		if _, err := w.svc.Accounts.Update(t.Context(), system, a); err != nil {
			t.Fatalf("write the notes of %s: %v", a.Name, err)
		}
	}
	return a
}

// person adds a person owned by owner (nil: unassigned) at company accountID (0: none) as the system.
func (w *world) person(t *testing.T, first, last string, owner *crm.User, accountID int64) *crm.Contact {
	t.Helper()
	return w.personWith(t, &crm.Contact{FirstName: first, LastName: last, OwnerID: idOf(owner), AccountID: accountID})
}

func (w *world) personWith(t *testing.T, c *crm.Contact) *crm.Contact {
	t.Helper()
	if _, err := w.svc.Contacts.Create(t.Context(), system, c); err != nil {
		t.Fatalf("add person %s: %v", c.Name(), err)
	}
	return c
}

// share gives u read or edit on a record, as the system.
func (w *world) share(t *testing.T, entity string, id int64, u *crm.User, level crm.ShareLevel) {
	t.Helper()
	if err := w.svc.Access.Share(t.Context(), system, &crm.Share{Entity: entity, EntityID: id, UserID: u.ID, Level: level}); err != nil {
		t.Fatalf("share %s #%d with %s: %v", entity, id, u.Email, err)
	}
}

// setSharing sets the sharing setting of a kind of record, and sets it back to the default when the test
// ends.
func (w *world) setSharing(t *testing.T, entity string, s crm.Sharing) {
	t.Helper()
	if err := w.svc.Access.SetSharing(t.Context(), system, entity, s); err != nil {
		t.Fatalf("sharing of %s: %v", entity, err)
	}
	t.Cleanup(func() { // t.Context is over by now
		if err := w.svc.Access.SetSharing(context.Background(), system, entity, crm.SharingTeamRead); err != nil {
			t.Errorf("sharing of %s back to team_read: %v", entity, err)
		}
	})
}

// account reads a company as the system, bin included, notes included.
func (w *world) account(t *testing.T, id int64) *crm.Account {
	t.Helper()
	a, err := w.svc.Accounts.Get(t.Context(), system, id)
	if err != nil {
		t.Fatalf("company #%d: %v", id, err)
	}
	return a
}

// contact reads a person as the system, bin included.
func (w *world) contact(t *testing.T, id int64) *crm.Contact {
	t.Helper()
	c, err := w.svc.Contacts.Get(t.Context(), system, id)
	if err != nil {
		t.Fatalf("person #%d: %v", id, err)
	}
	return c
}

// listAccounts returns the live companies p sees whose names start with name, by id.
func (w *world) listAccounts(t *testing.T, p crm.Principal, name string) map[int64]*crm.Account {
	t.Helper()
	page, err := w.svc.Accounts.List(t.Context(), p, services.AccountFilter{Name: name, Limit: 1000})
	if err != nil {
		t.Fatalf("list companies %q: %v", name, err)
	}
	out := map[int64]*crm.Account{}
	for _, a := range page.Items {
		out[a.ID] = a
	}
	return out
}

// listContacts returns the ids of the live people p sees whose names start with name.
func (w *world) listContacts(t *testing.T, p crm.Principal, name string) []int64 {
	t.Helper()
	page, err := w.svc.Contacts.List(t.Context(), p, services.ContactFilter{Name: name, Limit: 1000})
	if err != nil {
		t.Fatalf("list people %q: %v", name, err)
	}
	var out []int64
	for _, c := range page.Items {
		out = append(out, c.ID)
	}
	return sorted(out)
}

// firstNames returns the first names of all the live people whose names start with name, as the system
// lists them page by page.
func (w *world) firstNames(t *testing.T, name string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	after := ""
	for {
		page, err := w.svc.Contacts.List(t.Context(), system, services.ContactFilter{Name: name, Limit: 1000, After: after})
		if err != nil {
			t.Fatalf("list people %q: %v", name, err)
		}
		for _, c := range page.Items {
			out[c.FirstName] = true
		}
		if after = page.Next; after == "" {
			return out
		}
	}
}

// search returns what p finds for text, by kind: the ids of the hits.
func (w *world) search(t *testing.T, p crm.Principal, text string) map[string][]int64 {
	t.Helper()
	page, err := w.svc.Search.Find(t.Context(), p, text, 100, "")
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	out := map[string][]int64{}
	for _, h := range page.Items {
		out[h.Kind] = append(out[h.Kind], h.ID)
	}
	for k := range out {
		out[k] = sorted(out[k])
	}
	return out
}

// history returns the whole history of a record as p reads it.
func (w *world) history(t *testing.T, p crm.Principal, entity string, id int64) []services.Entry {
	t.Helper()
	page, err := w.svc.History.Of(t.Context(), p, entity, id, 1000, "")
	if err != nil {
		t.Fatalf("history of %s #%d: %v", entity, id, err)
	}
	return page.Items
}

// changed tells whether a history holds a change of field.
func changed(h []services.Entry, field string) bool {
	return slices.ContainsFunc(h, func(e services.Entry) bool { return e.Field == field })
}

// refusals returns the refused changes in the audit log, newest first, read as the system.
func (w *world) refusals(t *testing.T) []service.AuditEvent {
	t.Helper()
	page, err := w.svc.Users.AuditLog(t.Context(), system, "access.refused", 1000, "")
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	return page.Items
}

// wantCode fails the test unless err is a crm.Error with code (and field, when not "").
func wantCode(t *testing.T, what string, err error, code crm.Code, field string) {
	t.Helper()
	e, ok := crm.AsError(err)
	switch {
	case err == nil:
		t.Errorf("%s: no error, want %s", what, code)
	case !ok:
		t.Errorf("%s: %v (%T), want a %s error", what, err, err, code)
	case e.Code != code:
		t.Errorf("%s: %s error %q, want %s", what, e.Code, err, code)
	case field != "" && e.Field != field:
		t.Errorf("%s: %s error about %q (%v), want it about %q", what, e.Code, e.Field, err, field)
	}
}

// wantOK fails the test on an error.
func wantOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// decision is what a caller should get from a change: success, crm.Forbidden for a record they see but
// may not change that way, crm.NotFound for one they do not see.
func decision(see, may bool) crm.Code {
	switch {
	case !see:
		return crm.NotFound
	case !may:
		return crm.Forbidden
	}
	return ""
}

// wantDecision fails the test unless err is what decision says.
func wantDecision(t *testing.T, what string, err error, want crm.Code) {
	t.Helper()
	if want == "" {
		wantOK(t, what, err)
		return
	}
	wantCode(t, what, err, want, "")
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func sorted(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

// contactIDs returns the ids of people, sorted.
func contactIDs(cs []*crm.Contact) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return sorted(out)
}

// mustNot fails the test at once on an error that setting up a case should never meet.
func mustNot(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// contains tells whether err's message contains every word.
func contains(err error, words ...string) bool {
	if err == nil {
		return false
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			return false
		}
	}
	return true
}
