package crm

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseBusinessID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0112038-9", "0112038-9", true},
		{" 0112038-9\t", "0112038-9", true},
		{"01120389", "0112038-9", true}, // as a spreadsheet stores it
		{" 01120389 ", "0112038-9", true},
		{"112038-9", "0112038-9", true}, // the leading zero dropped by a spreadsheet
		{"1234567-1", "1234567-1", true},
		{"2345678-0", "2345678-0", true}, // remainder 0 gives check digit 0
		{"0112038-8", "", false},         // wrong check digit
		{"1234567-2", "", false},
		{"0000014-0", "", false}, // remainder 1: no ID is issued for these digits
		{"0000014-1", "", false},
		{"0000014-9", "", false},
		{"112038-8", "", false},
		{"12038-9", "", false},
		{"00112038-9", "", false},
		{"0112038 9", "", false},
		{"0112038_9", "", false},
		{"011203a-9", "", false},
		{"0112038-x", "", false},
		{"0112038--", "", false},
		{"-0112038-9", "", false},
		{"0112038-９", "", false}, // a full-width digit is no digit here
		{"0112038-", "", false},
		{"-", "", false},
		{"", "", false},
		{"   ", "", false},
	} {
		got, err := ParseBusinessID(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBusinessID(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil {
			if e, ok := AsError(err); !ok || e.Code != Invalid || e.Field != "business_id" || e.Message == "" {
				t.Errorf("ParseBusinessID(%q): error %#v, want an Invalid error on business_id", tc.in, err)
			}
		}
	}
}

func TestParseBusinessIDExplainsCheckDigit(t *testing.T) {
	t.Parallel()
	_, err := ParseBusinessID("0112038-8")
	if e, ok := AsError(err); !ok || !strings.Contains(e.Message, "0112038-8") || !strings.Contains(e.Message, "check digit") {
		t.Fatalf("wrong check digit: %v, want the message to name the ID and its check digit", err)
	}
	_, err = ParseBusinessID("Nokia")
	if e, ok := AsError(err); !ok || !strings.Contains(e.Message, "e.g. 0112038-9") {
		t.Fatalf("not a business ID: %v, want the message to show an example", err)
	}
}

func TestBusinessIDFromDigits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		digits, want string
		ok           bool
	}{
		{"0112038", "0112038-9", true},
		{"1234567", "1234567-1", true},
		{"2345678", "2345678-0", true},
		{"0000000", "0000000-0", true},
		{"0000014", "", false}, // remainder 1
		{"0000049", "", false}, // remainder 1
		{"112038", "", false},
		{"01120389", "", false},
		{"011203a", "", false},
		{"", "", false},
	} {
		got, ok := BusinessIDFromDigits(tc.digits)
		if ok != tc.ok || got != tc.want {
			t.Errorf("BusinessIDFromDigits(%q) = %q, %v; want %q, %v", tc.digits, got, ok, tc.want, tc.ok)
		}
	}
}

// Exactly one check digit is right for digits that can be issued, none for the rest.
func TestBusinessIDCheckDigitIsUnique(t *testing.T) {
	t.Parallel()
	issued := 0
	for n := 0; n < 10_000_000; n += 9973 {
		digits := strconv.Itoa(n + 10_000_000)[1:]
		id, ok := BusinessIDFromDigits(digits)
		accepted := 0
		for c := '0'; c <= '9'; c++ {
			if got, err := ParseBusinessID(digits + "-" + string(c)); err == nil {
				accepted++
				if got != id {
					t.Errorf("%s-%c parsed to %q, want %q", digits, c, got, id)
				}
			}
		}
		switch {
		case ok && accepted != 1:
			t.Errorf("%s: %d check digits accepted, want only %q", digits, accepted, id)
		case !ok && accepted != 0:
			t.Errorf("%s: no ID can be issued, yet %d check digits were accepted", digits, accepted)
		}
		if ok {
			issued++
		}
	}
	if issued < 900 { // about 10/11 of the 1003 numbers tried can be issued
		t.Fatalf("only %d of the numbers tried could be issued", issued)
	}
}

func FuzzParseBusinessID(f *testing.F) {
	for _, s := range []string{"0112038-9", "01120389", "112038-9", "1234567-1", "2345678-0", "0000014-1",
		"0112038-8", "-", "ääääääää-", "0112038-９", " 0112038-9 ", "\x000112038-9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseBusinessID(s)
		if err == nil {
			if again, err := ParseBusinessID(id); err != nil || again != id {
				t.Fatalf("%q normalised to %q, which does not parse to itself (%q, %v)", s, id, again, err)
			}
			if len(id) != 9 || id[7] != '-' {
				t.Fatalf("%q normalised to %q, not NNNNNNN-C", s, id)
			}
		} else if CodeOf(err) != Invalid {
			t.Fatalf("%q: %v is not an Invalid error", s, err)
		}
		// Any seven digits taken from the input: the completed ID, when one exists, must parse to itself.
		digits := digitsOnly(s + "0000000")[:7]
		if id, ok := BusinessIDFromDigits(digits); ok {
			if again, err := ParseBusinessID(id); err != nil || again != id || id[:7] != digits {
				t.Fatalf("BusinessIDFromDigits(%q) = %q, which parses to %q, %v", digits, id, again, err)
			}
		}
	})
}
