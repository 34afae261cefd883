package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// roundTripWorld is a customer base with an administrator and an account manager, statistics
// gathered, for counting what requests send to the database.
type roundTripWorld struct {
	app                 *testutil.App
	admin, anna         *testutil.Client
	annaID              int64
	companies, people   []int64 // anna's
	companyAt, personAt int     // the next ones to read or change
}

func newRoundTripWorld(t *testing.T, db *store.DB) *roundTripWorld {
	app := testutil.NewTestApp(t, db)
	team := app.Team("Etelä")
	other := app.Team("Pohjoinen")
	boss := app.User("admin@example.fi", crm.Admin, nil, 0)
	anna := app.User("anna@example.fi", crm.AccountManager, []int64{team}, 0)
	bert := app.User("bert@example.fi", crm.AccountManager, []int64{other}, 0)
	w := &roundTripWorld{app: app, admin: app.As(app.Token(boss, "write")), anna: app.As(app.Token(anna, "write")), annaID: anna.ID}
	ctx := context.Background()
	system := crm.System(crm.SourceImport)
	for i := range 300 {
		owner := anna.ID
		if i%3 == 0 {
			owner = bert.ID
		}
		a := &crm.Account{Name: fmt.Sprintf("Yritys %03d Oy", i), OwnerID: owner, Stage: crm.Customer,
			Phones: []string{"040 123 4567"}, Emails: []string{fmt.Sprintf("info@yritys%d.fi", i)}, Tags: []string{"vip"}}
		if _, err := app.Svc.Accounts.Create(ctx, system, a); err != nil {
			t.Fatal(err)
		}
		c := &crm.Contact{FirstName: "Matti", LastName: fmt.Sprintf("Virta%03d", i), AccountID: a.ID, OwnerID: owner,
			Emails: []string{fmt.Sprintf("matti%d@yritys%d.fi", i, i)}, Phones: []string{"050 765 4321"}}
		if _, err := app.Svc.Contacts.Create(ctx, system, c); err != nil {
			t.Fatal(err)
		}
		if owner == anna.ID {
			w.companies, w.people = append(w.companies, a.ID), append(w.people, c.ID)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// request is one kind of request the test counts: as whom, and what it sends.
type request struct {
	name string
	as   func(w *roundTripWorld) *testutil.Client
	do   func(t *testing.T, w *roundTripWorld, c *testutil.Client)
}

func asAdmin(w *roundTripWorld) *testutil.Client { return w.admin }
func asAnna(w *roundTripWorld) *testutil.Client  { return w.anna }

func (w *roundTripWorld) nextCompany() int64 {
	w.companyAt++
	return w.companies[w.companyAt%len(w.companies)]
}

func (w *roundTripWorld) nextPerson() int64 {
	w.personAt++
	return w.people[w.personAt%len(w.people)]
}

var (
	readPerson = func(t *testing.T, w *roundTripWorld, c *testutil.Client) {
		expect(t, c.Do("GET", fmt.Sprintf("/api/v1/contacts/%d", w.nextPerson()), nil), http.StatusOK)
	}
	readCompany = func(t *testing.T, w *roundTripWorld, c *testutil.Client) {
		expect(t, c.Do("GET", fmt.Sprintf("/api/v1/accounts/%d", w.nextCompany()), nil), http.StatusOK)
	}
	createPerson = func(t *testing.T, w *roundTripWorld, c *testutil.Client) {
		w.personAt++
		expect(t, c.Do("POST", "/api/v1/contacts", map[string]any{"first_name": "Liisa", "last_name": fmt.Sprintf("Uusi%d", w.personAt),
			"emails": []string{fmt.Sprintf("liisa%d@example.fi", w.personAt)}, "owner_id": w.annaID}), http.StatusCreated)
	}
	createCompany = func(t *testing.T, w *roundTripWorld, c *testutil.Client) {
		w.companyAt++
		expect(t, c.Do("POST", "/api/v1/accounts", map[string]any{"name": fmt.Sprintf("Uusi %d Oy", w.companyAt), "owner_id": w.annaID}), http.StatusCreated)
	}
	updateCompany = func(t *testing.T, w *roundTripWorld, c *testutil.Client) {
		id := w.nextCompany()
		r := c.Do("GET", fmt.Sprintf("/api/v1/accounts/%d", id), nil)
		expect(t, r, http.StatusOK)
		expect(t, c.Do("PATCH", fmt.Sprintf("/api/v1/accounts/%d", id), map[string]any{"segment": fmt.Sprintf("Segmentti %d", w.companyAt)},
			"If-Match", r.Header.Get("ETag"), "Content-Type", "application/merge-patch+json"), http.StatusOK)
	}
)

// roundTrips are the interactive requests, with the statements each sends at most. A change that adds
// a statement fails here, with the list of what the request sent.
var roundTrips = []struct {
	request
	most int
}{
	// the token with its user and teams; the person; their e-mails, phones and past companies; who
	// sees their company
	{request{"read a person as an account manager", asAnna, readPerson}, 5},
	{request{"read a company as an account manager", asAnna, readCompany}, 4},
	// the token; the owner (another user); the e-mail's holder; the person, the e-mail, the history
	// line; the duplicate check
	{request{"create a person as an administrator", asAdmin, createPerson}, 7},
	{request{"create a person as an account manager", asAnna, createPerson}, 7},
	{request{"create a company as an administrator", asAdmin, createCompany}, 5},
	{request{"create a company as an account manager", asAnna, createCompany}, 5},
	// GET, then PATCH: the token, the company read once (the patch's base, with the right to change
	// it), the update of what changed and its history line
	{request{"read and update a company as an administrator", asAdmin, updateCompany}, 8},
	{request{"read and update a company as an account manager", asAnna, updateCompany}, 10},
}

func TestRoundTrips(t *testing.T) {
	t.Parallel()
	storetest.EachWith(t, store.Options{CountCompiles: true}, func(t *testing.T, db *store.DB) {
		w := newRoundTripWorld(t, db)
		for _, rt := range roundTrips {
			rt.do(t, w, rt.as(w)) // the first of a kind prepares its statements
			log := w.app.Queries(func() { rt.do(t, w, rt.as(w)) })
			if log.Len() > rt.most {
				t.Errorf("%s sends %d statements, more than %d:\n%s", rt.name, log.Len(), rt.most, log)
			} else {
				t.Logf("%s: %d statements\n%s", rt.name, log.Len(), log)
			}
		}
	})
}

// TestStatementsStayPrepared checks that once every kind of request has run, the same requests for
// other records compile nothing: no statement is prepared anew, none re-prepared because statistics
// exist, none of a write transaction parsed again.
func TestStatementsStayPrepared(t *testing.T) {
	t.Parallel()
	storetest.EachWith(t, store.Options{CountCompiles: true}, func(t *testing.T, db *store.DB) {
		w := newRoundTripWorld(t, db)
		requests := []request{
			{"read a person", asAnna, readPerson},
			{"read a company", asAnna, readCompany},
			{"create a person", asAnna, createPerson},
			{"create a company", asAnna, createCompany},
			{"read and update a company", asAnna, updateCompany},
		}
		for range 3 {
			for _, r := range requests {
				r.do(t, w, r.as(w))
			}
		}
		db.WaitKept() // SQLite prepares the statements of writes after their commit
		for _, r := range requests {
			before := db.Compiles()
			for range 20 {
				r.do(t, w, r.as(w))
			}
			if n := db.Compiles() - before; n != 0 {
				t.Errorf("%s, 20 times for other records, compiled %d statements", r.name, n)
			}
		}
	})
}
