package api_test

import (
	"context"
	"testing"

	"tili/internal/crm"
	"tili/internal/store"
	"tili/internal/store/storetest"
	"tili/internal/testutil"
)

// The field-coverage tests live with the API because the API is the strictest door: it writes every field
// through its own input type and refuses by name what it does not know. They drive the service, the
// history and the web export too, through the same wired app.

// bookkeeping are the fields every kind of record has and tili alone sets.
func bookkeeping() []string {
	return []string{"id", "version", "created_at", "updated_at", "created_by", "updated_by", "deleted_at", "merged_into"}
}

// fieldsWorld is what the samples of both kinds point at: two owners, two teams, two companies.
type fieldsWorld struct {
	owner1, owner2     *crm.User
	team1, team2       int64
	company1, company2 int64
}

func newFieldsWorld(t *testing.T, app *testutil.App) fieldsWorld {
	t.Helper()
	var w fieldsWorld
	w.team1, w.team2 = app.Team("Etelä"), app.Team("Pohjoinen")
	w.owner1 = app.User("sanna@example.fi", crm.AccountManager, []int64{w.team1}, 0)
	w.owner2 = app.User("paivi@example.fi", crm.AccountManager, []int64{w.team2}, 0)
	for _, c := range []struct {
		name string
		id   *int64
	}{{"Emoyhtiö Oy", &w.company1}, {"Toinen Emo Oy", &w.company2}} {
		a := &crm.Account{Name: c.name}
		if _, err := app.Svc.Accounts.Create(context.Background(), crm.System(crm.SourceCLI), a); err != nil {
			t.Fatal(err)
		}
		*c.id = a.ID
	}
	return w
}

func ptr[T any](v T) *T { return &v }

func TestCompanyFields(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		w := newFieldsWorld(t, app)
		testutil.CoverFields(t, app, testutil.FieldKind[crm.Account]{
			Kind: crm.KindAccount, Service: app.Svc.Accounts, APIPath: "/api/v1/accounts", ExportQuery: "q=Kattavuus",
			// Full's VAT number is Swedish: a Finnish one must match the business ID, and the two change
			// one at a time.
			Full: crm.Account{Name: "Kattavuus Oy", BusinessID: "0112038-9", VATID: "SE556036079301", Stage: crm.Customer,
				Tier: "A", Segment: "Teollisuus", IndustryCode: "C", Industry: "Koneenrakennus", Employees: ptr[int64](120),
				RevenueBand: "10-50M", Website: "https://www.kattavuus.fi", Phones: []string{"+358401234567"},
				Emails:          []string{"info@kattavuus.fi"},
				VisitingAddress: crm.Address{Street: "Hämeenkatu 1", PostalCode: "33100", City: "Tampere", Country: "FI"},
				PostalAddress:   crm.Address{Street: "PL 10", PostalCode: "33101", City: "Tampere", Country: "FI"},
				BillingAddress:  crm.Address{Street: "PL 20", PostalCode: "00021", City: "Laskutus", Country: "FI"},
				EInvoiceAddress: "003701120389", EInvoiceOperator: "003723327487", ParentID: w.company1,
				OwnerID: w.owner1.ID, TeamID: w.team1, Tags: []string{"pirkanmaa"}, Description: "Koneita.",
				InternalNotes: "Maksaa myöhässä."},
			// Changed's addresses are on Åland, whose postal codes are Finnish in form: the postal code
			// changes before the country.
			Changed: crm.Account{Name: "Kattavuus Ab", BusinessID: "2345678-0", VATID: "FI23456780", Stage: crm.KeyAccount,
				Tier: "B", Segment: "Palvelut", IndustryCode: "J", Industry: "Ohjelmistot", Employees: ptr[int64](250),
				RevenueBand: "50-250M", Website: "https://kattavuus.ax", Phones: []string{"+358501112222", "+35831234567"},
				Emails:          []string{"myynti@kattavuus.ax"},
				VisitingAddress: crm.Address{Street: "Torggatan 2", PostalCode: "22100", City: "Mariehamn", Country: "AX"},
				PostalAddress:   crm.Address{Street: "PB 3", PostalCode: "22101", City: "Mariehamn", Country: "AX"},
				BillingAddress:  crm.Address{Street: "PB 4", PostalCode: "22102", City: "Jomala", Country: "AX"},
				EInvoiceAddress: "003723456780", EInvoiceOperator: "NDEAFIHH", ParentID: w.company2,
				OwnerID: w.owner2.ID, TeamID: w.team2, Tags: []string{"ahvenanmaa", "vip"}, Description: "Ohjelmia.",
				InternalNotes: "Maksaa ajallaan."},
			Managed:     bookkeeping(),
			NotByUpdate: map[string]string{"owner_id": "changes by reassigning (Accounts.Reassign, POST /api/v1/accounts/{id}/reassign)"},
		})
	})
}

func TestPersonFields(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		app := testutil.NewTestApp(t, db)
		w := newFieldsWorld(t, app)
		testutil.CoverFields(t, app, testutil.FieldKind[crm.Contact]{
			Kind: crm.KindContact, Service: app.Svc.Contacts, APIPath: "/api/v1/contacts", ExportQuery: "q=Kattava",
			Full: crm.Contact{FirstName: "Kaisa", LastName: "Kattava", Title: "Hankintajohtaja", Department: "Hankinta",
				Emails: []string{"kaisa@kattavuus.fi"}, Phones: []string{"+358401234567"}, AccountID: w.company1,
				Role: "decision_maker", Influence: "high", Attitude: "supporter", Language: "fi", Channel: "email",
				Kind: "b2b", Consent: crm.Consent{Email: "opt_in", Phone: "opt_out", Post: "objection", SMS: "opt_in"},
				OwnerID: w.owner1.ID, TeamID: w.team1, Description: "Tapasimme messuilla."},
			// A consumer (b2c) works at no company, so Changed has none: account_id is tested by clearing
			// it, before kind changes to b2c.
			Changed: crm.Contact{FirstName: "Kalle", LastName: "Kattavainen", Title: "Toimitusjohtaja", Department: "Johto",
				Emails: []string{"kalle@example.ax", "kalle.k@example.fi"}, Phones: []string{"+358501112222"},
				Role: "influencer", Influence: "low", Attitude: "critic", Language: "sv", Channel: "phone",
				Kind: "b2c", Consent: crm.Consent{Email: "opt_out", Phone: "opt_in", Post: "opt_in", SMS: "objection"},
				OwnerID: w.owner2.ID, TeamID: w.team2, Description: "Soitti itse."},
			Managed:     append(bookkeeping(), "past_accounts"), // written when the person's company changes
			NotByUpdate: map[string]string{"owner_id": "changes by reassigning (Contacts.Reassign, POST /api/v1/contacts/{id}/reassign)"},
		})
	})
}
