package crm

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// letters that do not decompose into a base letter and a mark, folded by hand.
var foldSpecial = strings.NewReplacer(
	"ø", "o", "æ", "ae", "œ", "oe", "ß", "ss", "ł", "l", "đ", "d", "ð", "d", "þ", "th", "ı", "i", "ŀ", "l", "ħ", "h",
)

// Fold returns s as search compares it: lower case, diacritics removed, white space collapsed.
// Both databases store and compare folded text, so they find the same records.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	lower := strings.ToLower(s)
	folded, _, err := transform.String(t, lower)
	if err != nil {
		folded = lower
	}
	return strings.Join(strings.Fields(foldSpecial.Replace(folded)), " ")
}

// Words splits s into the words search indexes: Fold(s) cut at every character that is neither a letter
// nor a digit. Both databases receive only these plain words, so their tokenizers cannot disagree on
// punctuation, e-mail addresses or host names.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
