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

// emailWords are the words of the part of an e-mail address before the @.
func emailWords(email string) []string {
	return Words(email[:max(strings.LastIndexByte(email, '@'), 0)])
}

// EmailQuery returns typed text that holds an @ and no space as the start of an e-mail address to look
// up ("matti.vir@" → "matti.vir@"); ok is false for any other text.
func EmailQuery(text string) (prefix string, ok bool) {
	t := strings.TrimSpace(text)
	if !strings.Contains(t, "@") || strings.ContainsAny(t, " \t") {
		return "", false
	}
	return EmailKey(t), true
}

// SearchWords returns the words typed text is searched by: one word of digits when the text looks like a
// phone number or a business ID ("+358 40 123", "0112038-9"), its Words otherwise.
func SearchWords(text string) []string {
	if w, ok := phoneQuery(text); ok {
		return []string{w}
	}
	return Words(text)
}
