package i18n

import (
	"strconv"
	"strings"
	"testing"
)

func FuzzMatch(f *testing.F) {
	for _, s := range []string{
		"fi-FI,fi;q=0.9,en;q=0.8", "en-US,en;q=0.9", "sv-FI", "de", "", "*", "en;q=0.5, fi;q=0.9",
		"en;q=NaN", "en;q=1e-3", ";;;,,,", "fi_FI", "en-GB-oxendict;q=0.8", "x-klingon",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Match(s)
		if got != Fi && got != En {
			t.Fatalf("Match(%q) = %q", s, got)
		}
		// A header that is a single tag Parse understands picks that language.
		if l, ok := Parse(s); ok && !strings.ContainsAny(s, ",;") && got != l {
			t.Fatalf("Match(%q) = %q, but Parse says %q", s, got, l)
		}
	})
}

func FuzzDecimal(f *testing.F) {
	f.Add(int64(0), uint8(2))
	f.Add(int64(123456), uint8(2))
	f.Add(int64(-5), uint8(2))
	f.Add(int64(999), uint8(0))
	f.Add(int64(-9223372036854775808), uint8(4))
	f.Add(int64(9223372036854775807), uint8(19))
	f.Fuzz(func(t *testing.T, minor int64, scale uint8) {
		sc := int(scale % 24)
		for _, l := range Langs {
			s := Decimal(l, minor, sc)
			group, point, neg := "\u00a0", ",", "\u2212"
			if l == En {
				group, point, neg = ",", ".", "-"
			}
			body, isNeg := strings.CutPrefix(s, neg)
			whole, frac, _ := strings.Cut(body, point)
			if len(frac) != sc {
				t.Fatalf("Decimal(%s, %d, %d) = %q: %d decimals", l, minor, sc, s, len(frac))
			}
			groups := strings.Split(whole, group)
			for i, g := range groups {
				if i == 0 && (len(g) < 1 || len(g) > 3) || i > 0 && len(g) != 3 {
					t.Fatalf("Decimal(%s, %d, %d) = %q: bad digit groups", l, minor, sc, s)
				}
			}
			whole = strings.Join(groups, "")
			if len(whole) > 1 && whole[0] == '0' {
				t.Fatalf("Decimal(%s, %d, %d) = %q: leading zero", l, minor, sc, s)
			}
			// ParseInt reads the zeros a small value with many decimals begins with ("0,0005").
			digits := whole + frac
			if isNeg {
				digits = "-" + digits
			}
			back, err := strconv.ParseInt(digits, 10, 64)
			if err != nil || back != minor {
				t.Fatalf("Decimal(%s, %d, %d) = %q reads back as %d (%v)", l, minor, sc, s, back, err)
			}
		}
	})
}
