package transfer

import "strings"

// The formula-injection rule (OWASP "CSV injection", ASVS 5 requirement 1.2.10, CWE-1236).
//
// A spreadsheet opening a CSV file reads a field that starts with '=', '+', '-' or '@' as a formula, and
// one starting with a tab, a carriage return or NUL may be read as one after the program trims it.
// Quoting the field does not help: quotes only delimit CSV fields, the spreadsheet parses what is inside.
// Neutralize puts a single quote before such a value. Excel, LibreOffice and Google Sheets treat a value
// starting with ' as text; at worst the quote is shown, and the value is still all there. For programs
// that trim a field before looking at it, the same holds when those characters follow leading spaces or
// line feeds (" =1+1", "\n@SUM(1)").
//
// Phone numbers get no exception, because leaving "+358 40 123 4567" bare keeps it neither inert nor
// readable. It has no letters, so as a formula it could call no function and read no cell, but Excel
// still evaluates it: the spaces become its range-intersection operator and an error shows instead of
// the number; "+1-1" shows 0; "+358401234567" becomes the number 358401234567 without its plus sign
// (LibreOffice does that one too). With the prefix it stays text everywhere, "'+358 40 123 4567" at
// worst (LibreOffice shows the quote), which a person still reads and dials. In XLSX nothing is
// prefixed: a text cell there is typed as a string and never evaluated, so "+358 40 123 4567" and
// "=1+1" arrive exactly as stored.
//
// Neutralize is idempotent: Neutralize(Neutralize(s)) == Neutralize(s). A value already starting with '
// is left alone: a value a person wrote as '=x is exported as it is, and a spreadsheet shows it as text.

// Neutralize returns s so that a spreadsheet reading it from a CSV field cannot run it as a formula: a
// value starting with '=', '+', '-', '@', tab, carriage return or NUL, also after leading spaces, line
// feeds, vertical tabs or form feeds, gets a leading single quote; any other value is returned unchanged.
func Neutralize(s string) string {
	if t := strings.TrimLeft(s, " \n\v\f"); t != "" && startsFormula(t[0]) {
		return "'" + s
	}
	return s
}

func startsFormula(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r', 0:
		return true
	}
	return false
}

// plainNumber reports whether the text of a number cell is a bare negative literal such as "-12", "-0.5"
// or "-1234,50": a minus sign, then digits and decimal or group marks. A spreadsheet reads that as the
// number it is, and with no letters, spaces or other operators it can do nothing else, so a number cell
// with such text is written to CSV without the prefix that would turn it into text and out of sums.
func plainNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && !(i > 1 && (c == '.' || c == ',')) {
			return false
		}
	}
	return true
}
