package crm

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestAccountValidateNormalises(t *testing.T) {
	t.Parallel()
	employees := int64(42)
	a := &Account{
		Name:             "  Äijälä \t Oy ",
		BusinessID:       " 01120389 ",
		VATID:            "fi 0112 0389",
		Stage:            " Key Account ",
		Tier:             "a",
		Segment:          "  SME ",
		IndustryCode:     " c ",
		Industry:         " Metal products ",
		Employees:        &employees,
		RevenueBand:      "1–10 M€",
		Website:          " www.Aijala.FI/Yhteystiedot ",
		Phones:           []string{"040-1234567", "", "+358 40 123 4567", "(09) 123 456"},
		Emails:           []string{" Info@Aijala.FI ", "info@aijala.fi", "  ", "MYYNTI@aijala.fi"},
		VisitingAddress:  Address{Street: " Teollisuuskatu 1 ", PostalCode: "00510", City: " Helsinki "},
		PostalAddress:    Address{Street: "PL 12", PostalCode: "111 22", City: "Stockholm", Country: "se"},
		EInvoiceAddress:  "0037 0112 0389",
		EInvoiceOperator: "okoyfihh",
		Tags:             []string{" VIP ", "vip", "  key   supplier ", "", "Äijälä", "aijala"},
		Description:      "Line one\nline two\twith a tab",
	}
	if err := a.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	want := Account{
		Name:             "Äijälä Oy",
		BusinessID:       "0112038-9",
		VATID:            "FI01120389",
		Stage:            KeyAccount,
		Tier:             "A",
		Segment:          "SME",
		IndustryCode:     "C",
		Industry:         "Metal products",
		Employees:        &employees,
		RevenueBand:      "1-10M",
		Website:          "https://www.aijala.fi/Yhteystiedot",
		Phones:           []string{"+358401234567", "+3589123456"},
		Emails:           []string{"Info@aijala.fi", "MYYNTI@aijala.fi"},
		VisitingAddress:  Address{Street: "Teollisuuskatu 1", PostalCode: "00510", City: "Helsinki", Country: "FI"},
		PostalAddress:    Address{Street: "PL 12", PostalCode: "111 22", City: "Stockholm", Country: "SE"},
		EInvoiceAddress:  "003701120389",
		EInvoiceOperator: "OKOYFIHH",
		Tags:             []string{"VIP", "key supplier", "Äijälä"},
		Description:      "Line one\nline two\twith a tab",
	}
	if !reflect.DeepEqual(*a, want) {
		t.Fatalf("validated:\n%+v\nwant\n%+v", *a, want)
	}
}

func TestAccountValidateDefaultsAndEmpties(t *testing.T) {
	t.Parallel()
	a := &Account{Name: "Nokia Oyj", BusinessID: "  ", VATID: " ", Phones: []string{" "}, Emails: []string{""},
		EInvoiceAddress: " ", EInvoiceOperator: " "}
	if err := a.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	if a.Stage != Prospect || a.BusinessID != "" || a.VATID != "" || a.Tier != "" || a.RevenueBand != "" ||
		a.Phones != nil || a.Emails != nil || a.EInvoiceAddress != "" || a.EInvoiceOperator != "" ||
		!a.VisitingAddress.IsZero() {
		t.Fatalf("validated: %+v; want stage prospect and everything else empty", a)
	}
}

func TestAccountValidateEnums(t *testing.T) {
	t.Parallel()
	for in, want := range map[Stage]Stage{
		"suspect": Suspect, "PROSPECT": Prospect, "Customer": Customer, "key_account": KeyAccount,
		"key-account": KeyAccount, "KEY ACCOUNT": KeyAccount, "former": Former, "": Prospect,
	} {
		a := &Account{Name: "X Oy", Stage: in}
		if err := a.Validate("FI"); err != nil || a.Stage != want {
			t.Errorf("stage %q: %q, %v; want %q", in, a.Stage, err, want)
		}
	}
	for in, want := range map[Tier]Tier{"a": "A", "B": "B", " c ": "C", "": ""} {
		a := &Account{Name: "X Oy", Tier: in}
		if err := a.Validate("FI"); err != nil || a.Tier != want {
			t.Errorf("tier %q: %q, %v; want %q", in, a.Tier, err, want)
		}
	}
	for in, want := range map[RevenueBand]RevenueBand{
		"0-1M": "0-1M", "<1M": "0-1M", "< 1 M€": "0-1M", "1-10m": "1-10M", "1–10 M€": "1-10M",
		"1-10 M EUR": "1-10M", "1-10 meur": "1-10M", "10-50 Meur": "10-50M", "50-250M": "50-250M",
		"250M+": "250M+", "250M": "250M+", "> 250 M€": "250M+", "250 m eur": "250M+", "": "",
	} {
		a := &Account{Name: "X Oy", RevenueBand: in}
		if err := a.Validate("FI"); err != nil || a.RevenueBand != want {
			t.Errorf("revenue band %q: %q, %v; want %q", in, a.RevenueBand, err, want)
		}
	}
	for in, want := range map[string]string{"c": "C", " U ": "U", "a": "A", "": ""} {
		a := &Account{Name: "X Oy", IndustryCode: in}
		if err := a.Validate("FI"); err != nil || a.IndustryCode != want {
			t.Errorf("industry code %q: %q, %v; want %q", in, a.IndustryCode, err, want)
		}
	}
}

func TestAccountValidateWebsite(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"www.aijala.fi":              "https://www.aijala.fi",
		"aijala.fi/":                 "https://aijala.fi/",
		"WWW.AIJALA.FI/Tuotteet?x=Y": "https://www.aijala.fi/Tuotteet?x=Y",
		"http://aijala.fi":           "http://aijala.fi",
		"HTTPS://Aijala.fi":          "https://aijala.fi",
		"":                           "",
	} {
		a := &Account{Name: "X Oy", Website: in}
		if err := a.Validate("FI"); err != nil || a.Website != want {
			t.Errorf("website %q: %q, %v; want %q", in, a.Website, err, want)
		}
		if a.Website != "" {
			if again, err := ParseWebsite(a.Website); err != nil || again != a.Website {
				t.Errorf("website %q: %q reads back as %q, %v", in, a.Website, again, err)
			}
		}
	}
}

func TestAccountValidatePhonesInRegion(t *testing.T) {
	t.Parallel()
	a := &Account{Name: "Ikea AB", Phones: []string{"08-123 456 78", "+358 40 123 4567", "+46 8 123 456 78"}}
	if err := a.Validate("SE"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"+46812345678", "+358401234567"}; !slices.Equal(a.Phones, want) {
		t.Fatalf("phones read in SE: %q, want %q", a.Phones, want)
	}
}

func TestAccountValidateRefuses(t *testing.T) {
	t.Parallel()
	neg := int64(-1)
	for _, tc := range []struct {
		name  string
		a     Account
		field string
	}{
		{"no name", Account{Name: " \t "}, "name"},
		{"name too long", Account{Name: strings.Repeat("ä", 201)}, "name"},
		{"name not UTF-8", Account{Name: "\xffjälä Oy"}, "name"},
		{"name with a NUL", Account{Name: "Äijälä\x00 Oy"}, "name"},
		{"name with an escape", Account{Name: "Äijälä \x1b[31mOy"}, "name"},
		{"business ID check digit", Account{Name: "X Oy", BusinessID: "0112038-8"}, "business_id"},
		{"business ID shape", Account{Name: "X Oy", BusinessID: "Nokia"}, "business_id"},
		{"VAT prefix", Account{Name: "X Oy", VATID: "US123456789"}, "vat_id"},
		{"VAT of another company", Account{Name: "X Oy", BusinessID: "0112038-9", VATID: "FI12345671"}, "vat_id"},
		{"stage", Account{Name: "X Oy", Stage: "lead"}, "stage"},
		{"tier", Account{Name: "X Oy", Tier: "D"}, "tier"},
		{"industry code", Account{Name: "X Oy", IndustryCode: "Z"}, "industry_code"},
		{"industry code as number", Account{Name: "X Oy", IndustryCode: "25"}, "industry_code"},
		{"employees", Account{Name: "X Oy", Employees: &neg}, "employees"},
		{"revenue band", Account{Name: "X Oy", RevenueBand: "huge"}, "revenue_band"},
		{"website without a dot", Account{Name: "X Oy", Website: "aijala"}, "website"},
		{"website scheme", Account{Name: "X Oy", Website: "ftp://aijala.fi"}, "website"},
		{"website with a space", Account{Name: "X Oy", Website: "www.aija la.fi"}, "website"},
		{"phone", Account{Name: "X Oy", Phones: []string{"+358 40 123 4567", "123"}}, "phone"},
		{"e-mail", Account{Name: "X Oy", Emails: []string{"info@aijala.fi", "info(at)aijala.fi"}}, "email"},
		{"e-mail with a name", Account{Name: "X Oy", Emails: []string{"Info <info@aijala.fi>"}}, "email"},
		{"e-mail without a domain dot", Account{Name: "X Oy", Emails: []string{"info@localhost"}}, "email"},
		{"country", Account{Name: "X Oy", VisitingAddress: Address{City: "Helsinki", Country: "Finland"}}, "visiting_address.country"},
		{"postal code", Account{Name: "X Oy", PostalAddress: Address{PostalCode: "0010"}}, "postal_address.postal_code"},
		{"street", Account{Name: "X Oy", BillingAddress: Address{Street: "Katu\x001"}}, "billing_address.street"},
		{"city", Account{Name: "X Oy", VisitingAddress: Address{City: strings.Repeat("x", 201)}}, "visiting_address.city"},
		{"e-invoice operator alone", Account{Name: "X Oy", EInvoiceOperator: "OKOYFIHH"}, "einvoice_address"},
		{"e-invoice address alone", Account{Name: "X Oy", EInvoiceAddress: "003701120389"}, "einvoice_operator"},
		{"e-invoice address", Account{Name: "X Oy", EInvoiceAddress: "12345", EInvoiceOperator: "OKOYFIHH"}, "einvoice_address"},
		{"OVT check digit", Account{Name: "X Oy", EInvoiceAddress: "003701120388", EInvoiceOperator: "OKOYFIHH"}, "einvoice_address"},
		{"e-invoice operator", Account{Name: "X Oy", EInvoiceAddress: "003701120389", EInvoiceOperator: "OK!"}, "einvoice_operator"},
		{"own parent", Account{ID: 7, ParentID: 7, Name: "X Oy"}, "parent_id"},
		{"tag with a control character", Account{Name: "X Oy", Tags: []string{"vip", "a\x07b"}}, "tags"},
		{"tag too long", Account{Name: "X Oy", Tags: []string{strings.Repeat("t", 51)}}, "tags"},
		{"segment", Account{Name: "X Oy", Segment: "a\x00"}, "segment"},
		{"industry", Account{Name: "X Oy", Industry: "\xc3"}, "industry"},
		{"description not UTF-8", Account{Name: "X Oy", Description: "ok\xff"}, "description"},
		{"description with DEL", Account{Name: "X Oy", Description: "ok\x7f"}, "description"},
		{"description too long", Account{Name: "X Oy", Description: strings.Repeat("x", 20001)}, "description"},
	} {
		a := tc.a
		err := a.Validate("FI")
		e, ok := AsError(err)
		if !ok || e.Code != Invalid || e.Field != tc.field || e.Message == "" {
			t.Errorf("%s: %#v; want an Invalid error on %s", tc.name, err, tc.field)
		}
	}
}

func TestAccountValidateAcceptsLimits(t *testing.T) {
	t.Parallel()
	a := &Account{ID: 7, ParentID: 8, Name: strings.Repeat("ä", 200), Tags: []string{strings.Repeat("t", 50)},
		Description: strings.Repeat("x", 20000), BusinessID: "0112038-9", VATID: "SE123456789701",
		EInvoiceAddress: "FI21 1234 5600 0007 85", EInvoiceOperator: "003723327487"}
	if err := a.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	if a.VATID != "SE123456789701" || a.EInvoiceAddress != "FI2112345600000785" {
		t.Fatalf("validated: VAT %q, e-invoice address %q", a.VATID, a.EInvoiceAddress)
	}
}

func TestAccountValidateIsIdempotent(t *testing.T) {
	t.Parallel()
	a := &Account{Name: " Äijälä  Oy", BusinessID: "01120389", VATID: "fi01120389", Stage: "Customer", Tier: "b",
		RevenueBand: "<1M", Website: "aijala.fi", Phones: []string{"040 1234567"}, Emails: []string{"a@Aijala.fi"},
		VisitingAddress: Address{PostalCode: "00100"}, EInvoiceAddress: "003701120389", EInvoiceOperator: "003723327487",
		Tags: []string{" a  b "}}
	if err := a.Validate("FI"); err != nil {
		t.Fatal(err)
	}
	again := *a
	if err := again.Validate("SE"); err != nil || !reflect.DeepEqual(again, *a) {
		t.Fatalf("validating again: %v\n%+v\nwas\n%+v", err, again, *a)
	}
}

func TestNameKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Oy Äijälä Ab":          "aijala",
		"Äijälä Oy":             "aijala",
		"ÄIJÄLÄ OY":             "aijala",
		"Äijälä":                "aijala",
		"Nokia Oyj":             "nokia",
		"Kone-ja Silta Oy":      "konejasilta",
		"Acme Ltd.":             "acme",
		"Siemens AG":            "siemens",
		"Ab Oy":                 "aboy", // nothing but legal forms: keep them all
		"Øresund GmbH & Co. KG": "oresund",
		"":                      "",
	} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
	if NameKey("Oy Äijälä Ab") != NameKey("Äijälä Oy") {
		t.Fatal(`"Oy Äijälä Ab" and "Äijälä Oy" have different keys`)
	}
}

func TestSimilarNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"aijala", "aijala", true},
		{"aijala", "aijale", true},    // one substitution
		{"aijala", "aijalla", true},   // one insertion
		{"aijala", "ajala", true},     // one deletion, five letters left
		{"aijala", "ajiala", false},   // a transposition is two edits; short names allow one
		{"aijala", "aijalaab", false}, // two longer
		{"nokia", "nokio", true},
		{"nokia", "kone", false},
		{"kone", "kane", false}, // under five letters: too short to tell
		{"abcd", "abcd", false},
		{"helsinginenergia", "helsinginenergai", true}, // long names allow two edits
		{"helsinginenergia", "helsinkienergia", true},
		{"helsinginenergia", "helsingienergi", true},
		{"helsinginenergia", "helsinginsahko", false},
		{"helsinginenergia", "helsinginenergiaoyj", false},
		{"aaaaaaaaaa", "aaaaaaaaab", true},
		{"aaaaaaaaaa", "aaaaaaaabb", true},
		{"aaaaaaaaaa", "aaaaaaabbb", false},
		{"aaaaaaaaa", "aaaaaaabb", false}, // nine letters: one edit only
		{"äijälä", "äijäla", true},        // runes, not bytes
		{"äijälä", "aijala", false},
	} {
		if got := SimilarNames(tc.a, tc.b); got != tc.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := SimilarNames(tc.b, tc.a); got != tc.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestMergeAccounts(t *testing.T) {
	t.Parallel()
	twenty, fifty := int64(20), int64(50)
	keep := &Account{ID: 1, Name: "Äijälä Oy", BusinessID: "0112038-9", Stage: Customer, Tier: "A",
		Employees: &twenty, Website: "https://aijala.fi", Phones: []string{"+358401234567"},
		Emails: []string{"info@aijala.fi"}, Tags: []string{"VIP"}, OwnerID: 7,
		VisitingAddress: Address{Street: "Teollisuuskatu 1", City: "Helsinki", Country: "FI"}, Version: 4}
	dup := &Account{ID: 2, Name: "Aijala", BusinessID: "1234567-1", VATID: "FI01120389", Stage: Prospect, Tier: "C",
		Segment: "SME", IndustryCode: "C", Industry: "Metal", Employees: &fifty, RevenueBand: "1-10M",
		Website: "https://www.aijala.com", Phones: []string{"+358401234567", "+3589123456"},
		Emails: []string{"INFO@aijala.fi", "myynti@aijala.fi"}, Tags: []string{"vip", "Supplier"},
		VisitingAddress: Address{Street: "Other 2", City: "Espoo", Country: "FI"},
		PostalAddress:   Address{Street: "PL 12", PostalCode: "00101", City: "Helsinki", Country: "FI"},
		EInvoiceAddress: "003701120389", EInvoiceOperator: "OKOYFIHH", ParentID: 9, OwnerID: 8, TeamID: 3,
		Description: "From the import", Version: 9}
	keepBefore, dupBefore := cloneAccount(keep), cloneAccount(dup)
	m := MergeAccounts(keep, dup)
	want := Account{ID: 1, Name: "Äijälä Oy", BusinessID: "0112038-9", VATID: "FI01120389", Stage: Customer, Tier: "A",
		Segment: "SME", IndustryCode: "C", Industry: "Metal", Employees: &twenty, RevenueBand: "1-10M",
		Website: "https://aijala.fi", Phones: []string{"+358401234567", "+3589123456"},
		Emails: []string{"info@aijala.fi", "myynti@aijala.fi"}, Tags: []string{"VIP", "Supplier"},
		VisitingAddress: Address{Street: "Teollisuuskatu 1", City: "Helsinki", Country: "FI"},
		PostalAddress:   Address{Street: "PL 12", PostalCode: "00101", City: "Helsinki", Country: "FI"},
		EInvoiceAddress: "003701120389", EInvoiceOperator: "OKOYFIHH", ParentID: 9, OwnerID: 7, TeamID: 3,
		Description: "From the import", Version: 4}
	if !reflect.DeepEqual(*m, want) {
		t.Fatalf("merged:\n%+v\nwant\n%+v", *m, want)
	}
	if !reflect.DeepEqual(keep, keepBefore) || !reflect.DeepEqual(dup, dupBefore) {
		t.Fatal("MergeAccounts changed its arguments")
	}
	m.Phones[0] = "changed"
	if keep.Phones[0] != "+358401234567" {
		t.Fatal("the merged phones share their array with keep's")
	}
}

func TestMergeAccountsParent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		keepParent, dupParent int64
		want                  int64
	}{
		{"keep's parent stays", 5, 6, 5},
		{"dup's parent fills", 0, 6, 6},
		{"keep's parent was dup", 2, 6, 6},
		{"dup's parent was keep", 0, 1, 0},
		{"each the other's parent", 2, 1, 0},
		{"neither has a parent", 0, 0, 0},
	} {
		m := MergeAccounts(&Account{ID: 1, ParentID: tc.keepParent}, &Account{ID: 2, ParentID: tc.dupParent})
		if m.ParentID != tc.want {
			t.Errorf("%s: parent %d, want %d", tc.name, m.ParentID, tc.want)
		}
	}
}

func TestMergeAccountsEInvoiceTravelsAsAPair(t *testing.T) {
	t.Parallel()
	keep := &Account{ID: 1, EInvoiceAddress: "003701120389", EInvoiceOperator: "003723327487"}
	dup := &Account{ID: 2, EInvoiceAddress: "003712345671", EInvoiceOperator: "OKOYFIHH"}
	if m := MergeAccounts(keep, dup); m.EInvoiceAddress != "003701120389" || m.EInvoiceOperator != "003723327487" {
		t.Fatalf("keep's e-invoice: %q %q", m.EInvoiceAddress, m.EInvoiceOperator)
	}
	if m := MergeAccounts(&Account{ID: 1}, dup); m.EInvoiceAddress != "003712345671" || m.EInvoiceOperator != "OKOYFIHH" {
		t.Fatalf("dup's e-invoice: %q %q", m.EInvoiceAddress, m.EInvoiceOperator)
	}
}

func cloneAccount(a *Account) *Account {
	c := *a
	c.Phones = slices.Clone(a.Phones)
	c.Emails = slices.Clone(a.Emails)
	c.Tags = slices.Clone(a.Tags)
	return &c
}
