package crm

import (
	"strings"
	"testing"
)

// vatCases holds, for every prefix in vatFormats, a number of the right shape and one of a wrong shape.
var vatCases = map[string]struct{ valid, invalid string }{
	"AT": {"ATU12345678", "AT12345678"},      // the U is part of the number
	"BE": {"BE0123456789", "BE2123456789"},   // starts with 0 or 1
	"BG": {"BG1234567890", "BG12345678"},     // 9 or 10 digits
	"CY": {"CY12345678X", "CY123456789"},     // ends in a letter
	"CZ": {"CZ1234567890", "CZ1234567"},      // 8 to 10 digits
	"DE": {"DE123456789", "DE12345678"},      // 9 digits
	"DK": {"DK12345678", "DK123456789"},      // 8 digits
	"EE": {"EE123456789", "EE12345678A"},     // 9 digits
	"EL": {"EL123456789", "EL1234567890"},    // 9 digits
	"ES": {"ESB12345674", "ES123456789X"},    // letter or digit, 7 digits, letter or digit
	"FI": {"FI01120389", "FI0112038"},        // 8 digits
	"FR": {"FRAB123456789", "FRIO123456789"}, // I and O are not used in the key
	"HR": {"HR12345678901", "HR1234567890"},  // 11 digits
	"HU": {"HU12345678", "HU1234567"},        // 8 digits
	"IE": {"IE1X23456A", "IE1234567"},        // old form; a modern number ends in a letter
	"IT": {"IT12345678901", "IT123456789012"},
	"LT": {"LT123456789012", "LT1234567890"}, // 9 or 12 digits
	"LU": {"LU12345678", "LU1234567"},
	"LV": {"LV12345678901", "LV1234567890"},
	"MT": {"MT12345678", "MT1234567A"},
	"NL": {"NL123456789B01", "NL123456789A01"},
	"PL": {"PL1234567890", "PL123456789"},
	"PT": {"PT123456789", "PT12345678"},
	"RO": {"RO12", "RO0123456789"}, // 2 to 10 digits, no leading zero
	"SE": {"SE123456789701", "SE123456789702"},
	"SI": {"SI12345678", "SI123456789"},
	"SK": {"SK1234567890", "SK123456789"},
	"XI": {"XIGD123", "XIAB123"},
}

func TestParseVATIDEveryPrefix(t *testing.T) {
	t.Parallel()
	for prefix, f := range vatFormats {
		tc, ok := vatCases[prefix]
		if !ok {
			t.Errorf("%s: no test case; add one to vatCases", prefix)
			continue
		}
		// The example is shown to users in the error message, so it must itself be accepted.
		if got, err := ParseVATID(f.example); err != nil || got != f.example {
			t.Errorf("%s: the example %q parses to %q, %v", prefix, f.example, got, err)
		}
		if got, err := ParseVATID(tc.valid); err != nil || got != tc.valid {
			t.Errorf("ParseVATID(%q) = %q, %v; want it accepted", tc.valid, got, err)
		}
		if got, err := ParseVATID(strings.ToLower(tc.valid)); err != nil || got != tc.valid {
			t.Errorf("ParseVATID(%q) = %q, %v; want %q", strings.ToLower(tc.valid), got, err, tc.valid)
		}
		got, err := ParseVATID(tc.invalid)
		e, ok := AsError(err)
		if got != "" || !ok || e.Field != "vat_id" || !strings.Contains(e.Message, f.example) {
			t.Errorf("ParseVATID(%q) = %q, %v; want a vat_id error showing the example %s", tc.invalid, got, err, f.example)
		}
	}
	for prefix := range vatCases {
		if _, ok := vatFormats[prefix]; !ok {
			t.Errorf("vatCases has %s, which vatFormats lacks", prefix)
		}
	}
}

func TestParseVATID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"FI01120389", "FI01120389", true},
		{"fi 0112 0389", "FI01120389", true},
		{"FI-0112.0389", "FI01120389", true},
		{"\tFI 01120389 ", "FI01120389", true},
		{"FI 0112038-9", "FI01120389", true}, // the business ID as written, with the prefix
		{"FI23456780", "FI23456780", true},   // check digit 0
		{"FI01120388", "", false},            // the Finnish check digit does not match
		{"FI00000141", "", false},            // no business ID is issued for 0000014
		{"GR123456789", "EL123456789", true}, // Greece's ISO code for its VAT prefix EL
		{"gr 123.456.789", "EL123456789", true},
		{"el123456789", "EL123456789", true},
		{"GR12345678", "", false},
		{"se 1234567897-01", "SE123456789701", true},
		{"nl123456789b01", "NL123456789B01", true},
		{"atu12345678", "ATU12345678", true},
		{"DE 123 456 789", "DE123456789", true},
		{"US123456789", "", false}, // not an EU prefix
		{"GB123456789", "", false}, // no longer an EU prefix
		{"NO123456789MVA", "", false},
		{"0112038-9", "", false}, // the prefix is missing
		{"FI", "", false},
		{"F", "", false},
		{"", "", false},
		{" - . ", "", false},
		{"FI0112038９", "", false}, // a full-width digit
		{"FI01120389\n", "", false},
	} {
		got, err := ParseVATID(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseVATID(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil {
			if e, ok := AsError(err); !ok || e.Code != Invalid || e.Field != "vat_id" {
				t.Errorf("ParseVATID(%q): error %#v, want an Invalid error on vat_id", tc.in, err)
			}
		}
	}
}

// Each refusal tells what to fix: the check digit, the prefix, or the shape with an example.
func TestParseVATIDMessages(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"FI01120388":  "check digit",
		"US123456789": `"US" is not an EU VAT country prefix`,
		"DE12345":     "DE123456789",
		"gr1":         "EL123456789",
		"x":           "FI01120389",
	} {
		_, err := ParseVATID(in)
		if e, ok := AsError(err); !ok || !strings.Contains(e.Message, want) {
			t.Errorf("ParseVATID(%q): %v; want the message to say %q", in, err, want)
		}
	}
}

func TestVATIDFromBusinessID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{"0112038-9": "FI01120389", "2345678-0": "FI23456780"} {
		got := VATIDFromBusinessID(id)
		if got != want {
			t.Errorf("VATIDFromBusinessID(%q) = %q, want %q", id, got, want)
		}
		if v, err := ParseVATID(got); err != nil || v != got {
			t.Errorf("VATIDFromBusinessID(%q) = %q, which parses to %q, %v", id, got, v, err)
		}
	}
}

func FuzzParseVATID(f *testing.F) {
	for _, s := range []string{"FI01120389", "fi 0112 0389", "FI01120388", "GR123456789", "el-123.456.789",
		"ATU12345678", "NL123456789B01", "IE1X23456A", "IE1234567WA", "FRAB123456789", "XIGD123", "RO12",
		"SE123456789701", "ES B1234567 4", "US123456789", "F", "", "ää", "FIääää", "\xff\xfe1234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVATID(s)
		if err != nil {
			if e, ok := AsError(err); !ok || e.Field != "vat_id" || v != "" {
				t.Fatalf("%q: %q, %#v; want \"\" and a vat_id error", s, v, err)
			}
			return
		}
		if again, err := ParseVATID(v); err != nil || again != v {
			t.Fatalf("%q normalised to %q, which parses to %q, %v", s, v, again, err)
		}
		if len(v) < 3 {
			t.Fatalf("%q normalised to %q, too short", s, v)
		}
		if _, ok := vatFormats[v[:2]]; !ok {
			t.Fatalf("%q normalised to %q, whose prefix is not in vatFormats", s, v)
		}
		if strings.ContainsAny(v, " .-\t") || strings.ToUpper(v) != v {
			t.Fatalf("%q normalised to %q, which is not upper case without separators", s, v)
		}
	})
}
