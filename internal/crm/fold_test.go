package crm

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Äijälä  Oy":               "aijala oy",
		"Äijälä":                   "aijala",
		"Øresund Æblegård":         "oresund aeblegard",
		"Straße Łódź":              "strasse lodz",
		"ÅSTRÖM":                   "astrom",
		"Œuvre Þór Đukić":          "oeuvre thor dukic",
		"İstanbul":                 "istanbul",
		"A\u0308ijala":             "aijala", // decomposed Ä, as macOS writes file names
		" \t Äijälä \n\u00a0 Oy  ": "aijala oy",
		"matti.VIRTANEN@Aijala.FI": "matti.virtanen@aijala.fi",
		"":                         "",
		"   ":                      "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every character folds to something Fold leaves as it is and that has no lower-case form left.
func TestFoldEveryRune(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if utf8.ValidRune(r) && !unicode.IsSpace(r) {
			b.WriteRune(r)
			b.WriteByte(' ')
		}
	}
	folded := Fold(b.String())
	if again := Fold(folded); again != folded {
		t.Fatal("Fold(Fold(s)) != Fold(s) for some character")
	}
	if strings.ToLower(folded) != folded {
		for _, w := range strings.Fields(folded) {
			if strings.ToLower(w) != w {
				t.Errorf("Fold leaves %q, which has a lower-case form", w)
			}
		}
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Äijälä Oy", []string{"aijala", "oy"}},
		{"Matti.Virtanen@Äijälä.fi", []string{"matti", "virtanen", "aijala", "fi"}},
		{"info@aijala.fi, myynti@aijala.fi", []string{"info", "aijala", "fi", "myynti", "aijala", "fi"}},
		{"https://www.aijala.fi/yhteystiedot?x=1", []string{"https", "www", "aijala", "fi", "yhteystiedot", "x", "1"}},
		{"O'Brien & Sons (UK) Ltd.", []string{"o", "brien", "sons", "uk", "ltd"}},
		{"Kone-ja Silta Oy #2", []string{"kone", "ja", "silta", "oy", "2"}},
		{"0112038-9", []string{"0112038", "9"}},
		{"\"); drop table accounts; --", []string{"drop", "table", "accounts"}},
		{"Ωμέγα ΑΕ", []string{"ωμεγα", "αε"}},
		{"", nil},
		{"-- .. --", nil},
	} {
		if got := Words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Äijälä  Oy", "Øresund Æblegård", "Straße Łódź", "ÅSTRÖM", " \t\n\u00a0 ", "A\u0308",
		"İı", "ǅǄ", "ϓ", "ﬁ", "Ａ", "\xff\xfe", "a\u0301\u0301", "\u200b", "ẞ", "Ǿ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold(%q) = %q, but Fold(%q) = %q", s, folded, folded, again)
		}
		// Letters such as ϒ are upper case yet have no lower-case form; Fold cannot lower them.
		if strings.ToLower(folded) != folded {
			t.Fatalf("Fold(%q) = %q, which still has upper-case letters", s, folded)
		}
		if strings.Contains(folded, "  ") || strings.TrimSpace(folded) != folded {
			t.Fatalf("Fold(%q) = %q, whose white space is not collapsed", s, folded)
		}
		if strings.ContainsFunc(folded, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) {
			t.Fatalf("Fold(%q) = %q, which holds white space other than a plain space", s, folded)
		}
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) = %q, which is not valid UTF-8", s, folded)
		}
	})
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"Äijälä Oy", "Matti.Virtanen@Äijälä.fi", "O'Brien & Sons", "0112038-9", "a\u0301b",
		"\xff", "x\u200by", "١٢٣", "ﬁ", "-- ..", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := Words(s)
		for _, w := range words {
			if w == "" {
				t.Fatalf("Words(%q) = %q holds an empty word", s, words)
			}
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("Words(%q) = %q: %q holds %q, neither a letter nor a digit", s, words, w, r)
				}
			}
		}
		// Words are what search indexes; folding a word again must not change it.
		for _, w := range words {
			if Fold(w) != w {
				t.Fatalf("Words(%q) = %q: Fold(%q) = %q", s, words, w, Fold(w))
			}
		}
	})
}

// The fast path must agree with the definition for every character it handles, alone and in company.
func TestFoldFastAgreesWithSlow(t *testing.T) {
	t.Parallel()
	for r := rune(0); r < 0x250; r++ {
		for _, s := range []string{string(r), "A" + string(r) + "b", " " + string(r) + " x", string(r) + string(r)} {
			fast, ok := foldFast(s)
			if !ok {
				t.Fatalf("foldFast refused %q", s)
			}
			if slow := foldSlow(s); fast != slow {
				t.Errorf("Fold(%q): fast %q, slow %q", s, fast, slow)
			}
		}
	}
	for _, s := range []string{"Äijälä  Oy", "  Øresund\tÆblegård\n", "Straße Łódź", "ÅSTRÖM", "ﬁnland", "Ｆｕｌｌ", "a\u0308b"} {
		if fast, ok := foldFast(s); ok && fast != foldSlow(s) {
			t.Errorf("Fold(%q): fast %q, slow %q", s, fast, foldSlow(s))
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Päivi Hämäläinen-Åström")
	}
}
