package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// letters that do not decompose into a base letter and a mark, folded by hand.
var foldSpecial = strings.NewReplacer(
	"ø", "o", "æ", "ae", "œ", "oe", "ß", "ss", "ł", "l", "đ", "d", "ð", "d", "þ", "th", "ı", "i", "ŀ", "l", "ħ", "h",
)

// Fold returns s as search compares it: lower case, diacritics removed, compatibility forms reduced
// ("ﬁ" → "fi", full-width letters → plain ones), white space collapsed. Both databases store and compare
// folded text, so they find the same records.
func Fold(s string) string {
	s = PlainText(s)
	if folded, ok := foldFast(s); ok {
		return folded
	}
	return foldSlow(s)
}

// PlainText drops what no database keeps in text, a NUL byte and bytes that are not UTF-8, so that what a
// broken client sends is searched for as the text around it.
func PlainText(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
}

// foldSlow is Fold by its definition, for any text.
func foldSlow(s string) string {
	return strings.Join(strings.Fields(foldPiece(s)), " ")
}

// foldPiece is Fold without the white-space collapsing. Lower case and the hand-folded letters are
// applied before decomposition ("Ø") and again after it, for what decomposition uncovers ("Ǿ" → "ø",
// "ϓ" → "Υ").
func foldPiece(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	lower := foldSpecial.Replace(strings.ToLower(s))
	folded, _, err := transform.String(t, lower)
	if err != nil {
		folded = lower
	}
	return foldSpecial.Replace(strings.ToLower(folded))
}

// foldLatin holds foldPiece of each character from U+0080 to U+024F (Latin-1 and Latin Extended), so
// names in Latin scripts fold without the normalisation machinery. Within that range a character folds
// alone: none of them combines with its neighbours, which a test checks.
var foldLatin = func() [0x250 - 0x80]string {
	var t [0x250 - 0x80]string
	for r := rune(0x80); r < 0x250; r++ {
		t[r-0x80] = foldPiece(string(r))
	}
	return t
}()

// foldFast folds s when it holds only characters below U+0250; ok is false otherwise.
func foldFast(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0x250:
			return "", false
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		default:
			b.WriteString(foldLatin[r-0x80])
		}
	}
	folded := b.String()
	if strings.Contains(folded, "  ") || strings.ContainsAny(folded, "\t\n\v\f\r\u0085\u00a0") ||
		strings.HasPrefix(folded, " ") || strings.HasSuffix(folded, " ") {
		folded = strings.Join(strings.Fields(folded), " ")
	}
	return folded, true
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
