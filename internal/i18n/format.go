package i18n

import (
	"strconv"
	"strings"
	"time"
	// tili shows times in Europe/Helsinki unless told otherwise; embedding the zone database keeps that
	// true on a host (or a scratch container) without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// helsinki is the time zone used when a caller passes a nil location: tili's users are in Finland.
var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic("i18n: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return loc
}()

const (
	nbsp  = "\u00a0" // no-break space: Finnish digit groups, and between an amount and its currency
	minus = "\u2212" // minus sign: Finnish typography writes −5, not the hyphen-minus of -5
)

func local(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = helsinki
	}
	return t.In(loc)
}

// Date formats the calendar date of t in loc (nil: Europe/Helsinki): "29.11.2026" in Finnish,
// "29 Nov 2026" in English.
func Date(l Lang, t time.Time, loc *time.Location) string {
	t = local(t, loc)
	if l == En {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2.1.2006")
}

// Time formats the clock time of t in loc (nil: Europe/Helsinki) on the 24-hour clock, the hour without
// a leading zero: "14.05" and "9.30" in Finnish, "14:05" and "9:30" in English.
func Time(l Lang, t time.Time, loc *time.Location) string {
	t = local(t, loc)
	sep := "."
	if l == En {
		sep = ":"
	}
	m := strconv.Itoa(t.Minute())
	if len(m) == 1 {
		m = "0" + m
	}
	return strconv.Itoa(t.Hour()) + sep + m
}

// DateTime formats t in loc (nil: Europe/Helsinki): "29.11.2026 klo 14.05" in Finnish,
// "29 Nov 2026, 14:05" in English.
func DateTime(l Lang, t time.Time, loc *time.Location) string {
	if l == En {
		return Date(l, t, loc) + ", " + Time(l, t, loc)
	}
	return Date(l, t, loc) + " klo " + Time(l, t, loc)
}

// Relative formats t for a list read at now: "tänään 14.05" / "today 14:05" when t falls on now's
// calendar day in loc (nil: Europe/Helsinki), "eilen 9.30" / "yesterday 9:30" on the day before, and
// DateTime otherwise (the future included). Days are calendar days in loc, not 24-hour spans, so the
// answer stays right across midnight and daylight saving changes.
func Relative(l Lang, t, now time.Time, loc *time.Location) string {
	t, now = local(t, loc), local(now, loc)
	y, m, d := now.Date()
	yy, ym, yd := time.Date(y, m, d-1, 12, 0, 0, 0, now.Location()).Date()
	ty, tm, td := t.Date()
	switch {
	case ty == y && tm == m && td == d:
		return word(l, "tänään", "today") + " " + Time(l, t, t.Location())
	case ty == yy && tm == ym && td == yd:
		return word(l, "eilen", "yesterday") + " " + Time(l, t, t.Location())
	}
	return DateTime(l, t, t.Location())
}

func word(l Lang, fi, en string) string {
	if l == En {
		return en
	}
	return fi
}

// Number formats an integer with digit groups: "1 234 567" in Finnish (a no-break space, U+00A0, so
// that the number never breaks across lines) and "1,234,567" in English. Finnish writes a negative
// number with the minus sign U+2212, English with "-".
func Number(l Lang, n int64) string {
	return Decimal(l, n, 0)
}

// Decimal formats an amount given in minor units with scale digits after the decimal separator:
// Decimal(Fi, 123456, 2) is "1 234,56" and Decimal(En, 123456, 2) is "1,234.56". Digit groups and
// the minus sign are as in Number. A negative scale counts as 0.
func Decimal(l Lang, minor int64, scale int) string {
	neg, digits := magnitude(minor)
	s := decimal(l, digits, scale)
	if neg {
		return sign(l) + s
	}
	return s
}

// Money formats an amount in minor units of currency the way each language writes prices: in Finnish
// "1 234,56 €" and "1 234,56 SEK", in English "€1,234.56" and "SEK 1,234.56" (a no-break space
// wherever the currency is separated from the number, so that a price never breaks across lines).
// Euros get €, other currencies their ISO code. The minor unit is a hundredth except for JPY, which has
// none. With an empty currency Money returns just the number, with two decimals.
func Money(l Lang, minor int64, currency string) string {
	code := strings.ToUpper(strings.TrimSpace(currency))
	scale := 2
	if code == "JPY" {
		scale = 0
	}
	neg, digits := magnitude(minor)
	num := decimal(l, digits, scale)
	var s string
	switch {
	case code == "":
		s = num
	case l == En && code == "EUR":
		s = "€" + num
	case l == En:
		s = code + nbsp + num
	case code == "EUR":
		s = num + nbsp + "€"
	default:
		s = num + nbsp + code
	}
	if neg {
		return sign(l) + s
	}
	return s
}

func sign(l Lang) string {
	if l == En {
		return "-"
	}
	return minus
}

// magnitude returns the sign and the decimal digits of |n|; the unsigned negation keeps
// math.MinInt64 right.
func magnitude(n int64) (neg bool, digits string) {
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	return n < 0, strconv.FormatUint(u, 10)
}

// decimal places the decimal separator scale digits from the right of digits and groups the integer
// part by thousands.
func decimal(l Lang, digits string, scale int) string {
	group, point := nbsp, ","
	if l == En {
		group, point = ",", "."
	}
	scale = max(scale, 0)
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale+1-len(digits)) + digits
	}
	whole, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}
