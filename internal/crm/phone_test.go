package crm

import (
	"slices"
	"strings"
	"testing"
)

func TestParsePhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, region, want string
	}{
		{"+358 40 123 4567", "FI", "+358401234567"},
		{"040-1234567", "FI", "+358401234567"},
		{"040 123 4567", "", "+358401234567"}, // no region: DefaultPhoneRegion
		{" (040) 123-4567 ", "FI", "+358401234567"},
		{"00358 40 123 4567", "FI", "+358401234567"},
		{"+358401234567", "SE", "+358401234567"}, // a country code wins over the region
		{"(09) 123 456", "FI", "+3589123456"},
		{"08-123 456 78", "SE", "+46812345678"}, // read as Swedish: Stockholm
		{"08-123 456 78", "se", "+46812345678"},
		{"040-1234567", "SE", "+46401234567"},
		{"+46 8 123 456 78", "FI", "+46812345678"},
		{"+44 20 7946 0958", "FI", "+442079460958"},
	} {
		got, err := ParsePhone(tc.in, tc.region)
		if err != nil || got != tc.want {
			t.Errorf("ParsePhone(%q, %q) = %q, %v; want %q", tc.in, tc.region, got, err, tc.want)
		}
	}
}

func TestParsePhoneRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, region string }{
		{"", "FI"},
		{"   ", "FI"},
		{"12", "FI"},
		{"040", "FI"},
		{"040 12", "FI"},
		{"abc", "FI"},
		{"call me", "FI"},
		{"matti@aijala.fi", "FI"},
		{"0000000000", "FI"},
		{"+358 40 123 456 789 0", "FI"}, // too long
		{"(09) 123 456", "SE"},          // not a Swedish number
		{"040 123 4567", "XX"},          // no such region to read it in
	} {
		got, err := ParsePhone(tc.in, tc.region)
		e, ok := AsError(err)
		if got != "" || !ok || e.Code != Invalid || e.Field != "phone" || e.Message == "" {
			t.Errorf("ParsePhone(%q, %q) = %q, %#v; want an Invalid error on phone", tc.in, tc.region, got, err)
		}
	}
}

func TestFormatPhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ e164, region, want string }{
		{"+358401234567", "FI", "040 1234567"},
		{"+358401234567", "fi", "040 1234567"},
		{"+358401234567", "SE", "+358 40 1234567"},
		{"+358401234567", "", "+358 40 1234567"},
		{"+3589123456", "FI", "09 123456"},
		{"+46812345678", "SE", "08-123 456 78"},
		{"+46812345678", "FI", "+46 8 123 456 78"},
		{"junk", "FI", "junk"}, // returned as is
		{"", "FI", ""},
	} {
		if got := FormatPhone(tc.e164, tc.region); got != tc.want {
			t.Errorf("FormatPhone(%q, %q) = %q, want %q", tc.e164, tc.region, got, tc.want)
		}
	}
	// What FormatPhone shows, ParsePhone reads back in the same region.
	for _, e164 := range []string{"+358401234567", "+3589123456", "+46812345678", "+442079460958"} {
		for _, region := range []string{"FI", "SE"} {
			if got, err := ParsePhone(FormatPhone(e164, region), region); err != nil || got != e164 {
				t.Errorf("%s shown in %s as %q reads back as %q, %v", e164, region, FormatPhone(e164, region), got, err)
			}
		}
	}
}

func TestPhoneWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e164 string
		want []string
	}{
		{"+358401234567", []string{"358401234567", "401234567", "0401234567"}},
		{"+3589123456", []string{"3589123456", "9123456", "09123456"}},
		{"+46812345678", []string{"46812345678", "812345678", "0812345678"}},
		{"+390612345678", []string{"390612345678", "0612345678"}}, // Italy keeps its 0: no third form
		{"+12025550123", []string{"12025550123", "2025550123"}},
		{"junk", []string{"junk"}},
	} {
		if got := phoneWords(tc.e164); !slices.Equal(got, tc.want) {
			t.Errorf("phoneWords(%q) = %q, want %q", tc.e164, got, tc.want)
		}
	}
}

// A number typed the common ways is a prefix of one of the number's words, so search finds it.
func TestPhoneQueryFindsPhoneWords(t *testing.T) {
	t.Parallel()
	words := phoneWords("+358401234567")
	for _, typed := range []string{"+358 40 123 4567", "+358 40 12", "00358 40 1", "040-1234567", "040 123",
		"(040) 12", "40 123 45", "401-234"} {
		q, ok := phoneQuery(typed)
		if !ok {
			t.Errorf("phoneQuery(%q) is not a phone query", typed)
			continue
		}
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, q) }) {
			t.Errorf("phoneQuery(%q) = %q, which starts none of %q", typed, q, words)
		}
	}
}

func TestPhoneQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"+358 40 12", "3584012", true},
		{"0112038-9", "01120389", true}, // a business ID is searched as its digits
		{"040-123", "040123", true},
		{"(09) 1", "091", true},
		{"040", "040", true}, // a leading zero marks a phone number
		{" 040 ", "040", true},
		{"00358 40", "35840", true}, // the international call prefix 00 is +
		{"09/123.456", "09123456", true},
		{"+358", "358", true},
		{"2020", "", false}, // a plain number stays an ordinary word
		{"12", "", false},
		{"0 1", "", false}, // fewer than three digits
		{"+-()", "", false},
		{"", "", false},
		{"Äijälä Oy", "", false},
		{"040 abc", "", false},
		{"matti@aijala.fi", "", false},
		{"040\t123", "", false},
	} {
		got, ok := phoneQuery(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("phoneQuery(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSearchWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"+358 40 12", []string{"3584012"}},
		{"+358 40 123 4567", []string{"358401234567"}},
		{"040-1234567", []string{"0401234567"}},
		{"0112038-9", []string{"01120389"}},
		{"2020", []string{"2020"}},
		{"Äijälä Oy", []string{"aijala", "oy"}},
		{"matti.virtanen@aijala.fi", []string{"matti", "virtanen", "aijala", "fi"}},
		{"Oy 2020 Ab", []string{"oy", "2020", "ab"}},
		{"  ", nil},
	} {
		if got := SearchWords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SearchWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"+358 40 123 4567", "040-1234567", "(09) 123 456", "08-123 456 78", "00358401234567",
		"+46 8 123 456 78", "+44 20 7946 0958", "+1 202 555 0123", "12", "abc", "", "+", "++358", "0" + strings.Repeat("9", 40),
		"040 123 4567 ext. 12", "+358 40 123 4567;ext=1", "tel:+358-40-1234567", "٠٤٠١٢٣٤٥٦٧"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, swedish bool) {
		region := "FI"
		if swedish {
			region = "SE"
		}
		p, err := ParsePhone(s, region)
		if err != nil {
			if e, ok := AsError(err); !ok || e.Field != "phone" || p != "" {
				t.Fatalf("ParsePhone(%q, %s) = %q, %#v; want \"\" and a phone error", s, region, p, err)
			}
			return
		}
		if !strings.HasPrefix(p, "+") || len(p) < 4 || digitsOnly(p[1:]) != p[1:] {
			t.Fatalf("ParsePhone(%q, %s) = %q, not E.164", s, region, p)
		}
		for _, r := range []string{region, "FI", "SE", "US"} {
			if again, err := ParsePhone(p, r); err != nil || again != p {
				t.Fatalf("ParsePhone(%q, %s) = %q, which parses in %s to %q, %v", s, region, p, r, again, err)
			}
		}
		if again, err := ParsePhone(FormatPhone(p, region), region); err != nil || again != p {
			t.Fatalf("%q shown in %s as %q reads back as %q, %v", p, region, FormatPhone(p, region), again, err)
		}
		if words := phoneWords(p); len(words) < 2 || words[0] != p[1:] {
			t.Fatalf("phoneWords(%q) = %q", p, words)
		}
	})
}
