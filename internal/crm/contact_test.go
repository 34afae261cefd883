package crm

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestContactValidateNormalises(t *testing.T) {
	t.Parallel()
	c := &Contact{
		FirstName:  "  Matti \t Juhani ",
		LastName:   " Virtanen ",
		Title:      "  CEO ",
		Department: " Sales  ",
		Emails:     []string{" Matti.Virtanen@Aijala.FI", "matti.virtanen@aijala.fi", "", "M.V@Gmail.com"},
		Phones:     []string{"040-1234567", "+358 40 123 4567", " ", "(09) 123 456"},
		AccountID:  3,
		Role:       "Decision Maker",
		Influence:  "HIGH",
		Attitude:   " Supporter ",
		Language:   "sv-fi",
		Channel:    " Email ",
		Kind:       "B2B",
		Consent:    Consent{Email: "Opt-In", Phone: "OPT OUT", Post: "objection"},
	}
	if err := c.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	want := Contact{
		FirstName:  "Matti Juhani",
		LastName:   "Virtanen",
		Title:      "CEO",
		Department: "Sales",
		Emails:     []string{"Matti.Virtanen@aijala.fi", "M.V@gmail.com"},
		Phones:     []string{"+358401234567", "+3589123456"},
		AccountID:  3,
		Role:       "decision_maker",
		Influence:  "high",
		Attitude:   "supporter",
		Language:   "sv-FI",
		Channel:    "email",
		Kind:       "b2b",
		Consent:    Consent{Email: "opt_in", Phone: "opt_out", Post: "objection", SMS: "unknown"},
	}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("validated:\n%+v\nwant\n%+v", *c, want)
	}
	if c.Name() != "Matti Juhani Virtanen" || c.NameNorm() != "matti juhani virtanen" || c.SortNorm() != "virtanen matti juhani" {
		t.Fatalf("names: %q %q %q", c.Name(), c.NameNorm(), c.SortNorm())
	}
}

func TestContactValidateDefaults(t *testing.T) {
	t.Parallel()
	c := &Contact{LastName: "Virtanen", Language: " "}
	if err := c.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	want := Contact{LastName: "Virtanen", Kind: "b2b",
		Consent: Consent{Email: "unknown", Phone: "unknown", Post: "unknown", SMS: "unknown"}}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("validated:\n%+v\nwant\n%+v", *c, want)
	}
	c = &Contact{FirstName: "Madonna", Kind: "B2C"}
	if err := c.Validate("FI"); err != nil || c.Kind != "b2c" || c.Name() != "Madonna" {
		t.Fatalf("a consumer with a first name only: %+v, %v", c, err)
	}
}

func TestContactValidateEnums(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    Contact
		want func(*Contact) string
		is   string
	}{
		{Contact{Role: "CHAMPION"}, func(c *Contact) string { return string(c.Role) }, "champion"},
		{Contact{Role: "decision-maker"}, func(c *Contact) string { return string(c.Role) }, "decision_maker"},
		{Contact{Influence: " Low"}, func(c *Contact) string { return string(c.Influence) }, "low"},
		{Contact{Attitude: "CRITIC"}, func(c *Contact) string { return string(c.Attitude) }, "critic"},
		{Contact{Channel: "SMS"}, func(c *Contact) string { return string(c.Channel) }, "sms"},
		{Contact{Channel: "Meeting"}, func(c *Contact) string { return string(c.Channel) }, "meeting"},
		{Contact{Language: "FI"}, func(c *Contact) string { return c.Language }, "fi"},
		{Contact{Language: "en-us"}, func(c *Contact) string { return c.Language }, "en-US"},
		{Contact{Consent: Consent{SMS: "opt in"}}, func(c *Contact) string { return string(c.Consent.SMS) }, "opt_in"},
		{Contact{Consent: Consent{Email: "OBJECTION"}}, func(c *Contact) string { return string(c.Consent.Email) }, "objection"},
	} {
		c := tc.c
		c.LastName = "Virtanen"
		if err := c.Validate("FI"); err != nil || tc.want(&c) != tc.is {
			t.Errorf("%+v: got %q, %v; want %q", tc.c, tc.want(&c), err, tc.is)
		}
	}
}

func TestContactValidatePhonesInRegion(t *testing.T) {
	t.Parallel()
	c := &Contact{LastName: "Svensson", Phones: []string{"08-123 456 78"}}
	if err := c.Validate("SE"); err != nil || !slices.Equal(c.Phones, []string{"+46812345678"}) {
		t.Fatalf("phone read in SE: %q, %v", c.Phones, err)
	}
}

func TestContactValidateRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		c     Contact
		field string
	}{
		{"no name", Contact{FirstName: " ", LastName: "\t"}, "last_name"},
		{"first name not UTF-8", Contact{FirstName: "Ma\xfftti", LastName: "Virtanen"}, "first_name"},
		{"first name with NUL", Contact{FirstName: "Matti\x00"}, "first_name"},
		{"last name with an escape", Contact{LastName: "Virtanen\x1b[2J"}, "last_name"},
		{"last name too long", Contact{LastName: strings.Repeat("ä", 201)}, "last_name"},
		{"title", Contact{LastName: "V", Title: "CEO\x00"}, "title"},
		{"department", Contact{LastName: "V", Department: "\xe4"}, "department"},
		{"e-mail", Contact{LastName: "V", Emails: []string{"matti@aijala"}}, "email"},
		{"phone", Contact{LastName: "V", Phones: []string{"040"}}, "phone"},
		{"role", Contact{LastName: "V", Role: "boss"}, "role"},
		{"influence", Contact{LastName: "V", Influence: "huge"}, "influence"},
		{"attitude", Contact{LastName: "V", Attitude: "angry"}, "attitude"},
		{"channel", Contact{LastName: "V", Channel: "fax"}, "channel"},
		{"kind", Contact{LastName: "V", Kind: "b2x"}, "kind"},
		{"consumer at a company", Contact{LastName: "V", Kind: "b2c", AccountID: 3}, "kind"},
		{"language", Contact{LastName: "V", Language: "english"}, "language"},
		{"language with a control character", Contact{LastName: "V", Language: "f\x00i"}, "language"},
		{"e-mail consent", Contact{LastName: "V", Consent: Consent{Email: "yes"}}, "consent.email"},
		{"phone consent", Contact{LastName: "V", Consent: Consent{Phone: "no"}}, "consent.phone"},
		{"post consent", Contact{LastName: "V", Consent: Consent{Post: "maybe"}}, "consent.post"},
		{"SMS consent", Contact{LastName: "V", Consent: Consent{SMS: "optin!"}}, "consent.sms"},
		{"description", Contact{LastName: "V", Description: "a\x0cb"}, "description"},
		{"description not UTF-8", Contact{LastName: "V", Description: "\xc3\x28"}, "description"},
	} {
		c := tc.c
		err := c.Validate("FI")
		e, ok := AsError(err)
		if !ok || e.Code != Invalid || e.Field != tc.field || e.Message == "" {
			t.Errorf("%s: %#v; want an Invalid error on %s", tc.name, err, tc.field)
		}
	}
}

func TestContactValidateIsIdempotent(t *testing.T) {
	t.Parallel()
	c := &Contact{FirstName: " Matti", LastName: "Virtanen ", Emails: []string{"M@Aijala.fi"}, Phones: []string{"040 1234567"},
		Role: "User", Language: "SV-fi", Consent: Consent{Email: "opt-out"}}
	if err := c.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	again := *c
	if err := again.Validate("SE"); err != nil || !reflect.DeepEqual(again, *c) {
		t.Fatalf("validating again: %v\n%+v\nwas\n%+v", err, again, *c)
	}
}

func TestMergeContacts(t *testing.T) {
	t.Parallel()
	until := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	keep := &Contact{ID: 1, FirstName: "Matti", Title: "CEO", Emails: []string{"matti@aijala.fi"},
		Phones: []string{"+358401234567"}, Role: "decision_maker", Language: "fi", Kind: "b2b", OwnerID: 7,
		PastAccounts: []PastAccount{{AccountID: 4, Title: "CTO", Until: until}},
		Consent:      Consent{Email: "opt_in", Phone: "unknown", Post: "opt_out", SMS: "objection"}, Version: 3}
	dup := &Contact{ID: 2, FirstName: "Matias", LastName: "Virtanen", Title: "Director", Department: "Sales",
		Emails: []string{"MATTI@aijala.fi", "matti.virtanen@gmail.com"}, Phones: []string{"+3589123456", "+358401234567"},
		AccountID: 3, Role: "champion", Influence: "high", Attitude: "critic", Language: "sv", Channel: "phone",
		Kind: "b2b", OwnerID: 8, TeamID: 5, Description: "Met at the fair",
		PastAccounts: []PastAccount{{AccountID: 6, Until: until}},
		Consent:      Consent{Email: "objection", Phone: "opt_out", Post: "opt_in", SMS: "opt_in"}, Version: 9}
	m := MergeContacts(keep, dup)
	want := Contact{ID: 1, FirstName: "Matti", LastName: "Virtanen", Title: "CEO", Department: "Sales",
		Emails: []string{"matti@aijala.fi", "matti.virtanen@gmail.com"}, Phones: []string{"+358401234567", "+3589123456"},
		AccountID: 3, Role: "decision_maker", Influence: "high", Attitude: "critic", Language: "fi", Channel: "phone",
		Kind: "b2b", OwnerID: 7, TeamID: 5, Description: "Met at the fair",
		PastAccounts: []PastAccount{{AccountID: 4, Title: "CTO", Until: until}, {AccountID: 6, Until: until}},
		Consent:      Consent{Email: "objection", Phone: "opt_out", Post: "opt_out", SMS: "objection"}, Version: 3}
	if !reflect.DeepEqual(*m, want) {
		t.Fatalf("merged:\n%+v\nwant\n%+v", *m, want)
	}
	if len(keep.PastAccounts) != 1 || len(keep.Emails) != 1 || keep.Consent.Email != "opt_in" || keep.LastName != "" {
		t.Fatalf("MergeContacts changed keep: %+v", keep)
	}
}

// For every pair of answers the stricter one wins, whichever record it was given to.
func TestMergeContactsConsentStricterWins(t *testing.T) {
	t.Parallel()
	order := []ConsentState{"unknown", "opt_in", "opt_out", "objection"}
	for i, a := range order {
		for j, b := range order {
			want := order[max(i, j)]
			m := MergeContacts(&Contact{Consent: Consent{Email: a, Phone: b, Post: a, SMS: b}},
				&Contact{Consent: Consent{Email: b, Phone: a, Post: b, SMS: a}})
			if m.Consent != (Consent{want, want, want, want}) {
				t.Errorf("%s and %s: %+v, want %s everywhere", a, b, m.Consent, want)
			}
		}
	}
	if m := MergeContacts(&Contact{}, &Contact{Consent: Consent{Email: "opt_out"}}); m.Consent.Email != "opt_out" {
		t.Errorf("an empty answer and opt_out: %q", m.Consent.Email)
	}
}

// A consumer merged with a record of someone at a company becomes a business contact, so the merged
// person still validates.
func TestMergeContactsConsumerTakingACompany(t *testing.T) {
	t.Parallel()
	keep := &Contact{LastName: "Virtanen", Kind: "b2c"}
	dup := &Contact{LastName: "Virtanen", Kind: "b2b", AccountID: 7}
	m := MergeContacts(keep, dup)
	if m.AccountID != 7 || m.Kind != "b2b" {
		t.Fatalf("merged: company %d, kind %s", m.AccountID, m.Kind)
	}
	if err := m.Validate("FI"); err != nil {
		t.Fatalf("the merged person does not validate: %v", err)
	}
}
