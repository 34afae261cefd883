package i18n

import (
	"math"
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDateTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                       string
		t                          string
		loc                        *time.Location
		fiDate, fiTime, fiDateTime string
		enDate, enTime, enDateTime string
	}{
		{"winter afternoon, UTC+2", "2026-11-29T12:05:00Z", nil,
			"29.11.2026", "14.05", "29.11.2026 klo 14.05",
			"29 Nov 2026", "14:05", "29 Nov 2026, 14:05"},
		{"UTC evening is next day in Helsinki", "2026-11-29T23:30:00Z", nil,
			"30.11.2026", "1.30", "30.11.2026 klo 1.30",
			"30 Nov 2026", "1:30", "30 Nov 2026, 1:30"},
		{"same instant shown in UTC", "2026-11-29T23:30:00Z", time.UTC,
			"29.11.2026", "23.30", "29.11.2026 klo 23.30",
			"29 Nov 2026", "23:30", "29 Nov 2026, 23:30"},
		{"summer, UTC+3", "2026-07-15T11:05:00Z", nil,
			"15.7.2026", "14.05", "15.7.2026 klo 14.05",
			"15 Jul 2026", "14:05", "15 Jul 2026, 14:05"},
		{"winter, UTC+2", "2026-01-15T11:05:00Z", nil,
			"15.1.2026", "13.05", "15.1.2026 klo 13.05",
			"15 Jan 2026", "13:05", "15 Jan 2026, 13:05"},
		{"last minute before summer time", "2026-03-29T00:59:00Z", nil,
			"29.3.2026", "2.59", "29.3.2026 klo 2.59",
			"29 Mar 2026", "2:59", "29 Mar 2026, 2:59"},
		{"first minute of summer time", "2026-03-29T01:00:00Z", nil,
			"29.3.2026", "4.00", "29.3.2026 klo 4.00",
			"29 Mar 2026", "4:00", "29 Mar 2026, 4:00"},
		{"single-digit day and hour", "2026-01-05T07:09:00Z", nil,
			"5.1.2026", "9.09", "5.1.2026 klo 9.09",
			"5 Jan 2026", "9:09", "5 Jan 2026, 9:09"},
		{"midnight", "2026-12-31T22:00:00Z", nil,
			"1.1.2027", "0.00", "1.1.2027 klo 0.00",
			"1 Jan 2027", "0:00", "1 Jan 2027, 0:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := utc(tt.t)
			for _, c := range []struct{ got, want string }{
				{Date(Fi, tm, tt.loc), tt.fiDate},
				{Time(Fi, tm, tt.loc), tt.fiTime},
				{DateTime(Fi, tm, tt.loc), tt.fiDateTime},
				{Date(En, tm, tt.loc), tt.enDate},
				{Time(En, tm, tt.loc), tt.enTime},
				{DateTime(En, tm, tt.loc), tt.enDateTime},
			} {
				if c.got != c.want {
					t.Errorf("got %q, want %q", c.got, c.want)
				}
			}
		})
	}
}

func TestRelative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		t, now string
		loc    *time.Location
		fi, en string
	}{
		{"today", "2026-11-30T07:05:00Z", "2026-11-30T12:00:00Z", nil,
			"tänään 9.05", "today 9:05"},
		{"yesterday in UTC, today in Helsinki", "2026-11-29T23:30:00Z", "2026-11-30T12:00:00Z", nil,
			"tänään 1.30", "today 1:30"},
		{"yesterday", "2026-11-29T21:30:00Z", "2026-11-30T12:00:00Z", nil,
			"eilen 23.30", "yesterday 23:30"},
		{"yesterday from its first minute", "2026-11-28T22:00:00Z", "2026-11-30T12:00:00Z", nil,
			"eilen 0.00", "yesterday 0:00"},
		{"the day before yesterday", "2026-11-28T21:59:00Z", "2026-11-30T12:00:00Z", nil,
			"28.11.2026 klo 23.59", "28 Nov 2026, 23:59"},
		{"future", "2026-12-01T08:00:00Z", "2026-11-30T12:00:00Z", nil,
			"1.12.2026 klo 10.00", "1 Dec 2026, 10:00"},
		{"in another zone", "2026-11-29T23:30:00Z", "2026-11-30T12:00:00Z", time.UTC,
			"eilen 23.30", "yesterday 23:30"},
		{"across the year", "2026-12-31T20:00:00Z", "2027-01-01T08:00:00Z", nil,
			"eilen 22.00", "yesterday 22:00"},
		{"today across the summer time change", "2026-03-28T22:30:00Z", "2026-03-29T10:00:00Z", nil,
			"tänään 0.30", "today 0:30"},
		{"yesterday more than 24 hours ago, on a 23-hour day", "2026-03-28T22:10:00Z", "2026-03-30T00:30:00Z", nil,
			"eilen 0.10", "yesterday 0:10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, now := utc(tt.t), utc(tt.now)
			if got := Relative(Fi, tm, now, tt.loc); got != tt.fi {
				t.Errorf("fi: got %q, want %q", got, tt.fi)
			}
			if got := Relative(En, tm, now, tt.loc); got != tt.en {
				t.Errorf("en: got %q, want %q", got, tt.en)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n      int64
		fi, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1\u00a0000", "1,000"},
		{-1000, "\u22121\u00a0000", "-1,000"},
		{-999, "\u2212999", "-999"},
		{12345, "12\u00a0345", "12,345"},
		{1234567, "1\u00a0234\u00a0567", "1,234,567"},
		{math.MaxInt64, "9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "\u22129\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := Number(Fi, tt.n); got != tt.fi {
			t.Errorf("Number(fi, %d) = %q, want %q", tt.n, got, tt.fi)
		}
		if got := Number(En, tt.n); got != tt.en {
			t.Errorf("Number(en, %d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}

func TestDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor  int64
		scale  int
		fi, en string
	}{
		{0, 2, "0,00", "0.00"},
		{5, 2, "0,05", "0.05"},
		{-5, 2, "\u22120,05", "-0.05"},
		{99999, 2, "999,99", "999.99"},
		{100000, 2, "1\u00a0000,00", "1,000.00"},
		{123456, 2, "1\u00a0234,56", "1,234.56"},
		{-123456789, 2, "\u22121\u00a0234\u00a0567,89", "-1,234,567.89"},
		{1234, 0, "1\u00a0234", "1,234"},
		{1234, 3, "1,234", "1.234"},
		{255, 1, "25,5", "25.5"},
		{math.MinInt64, 4, "\u2212922\u00a0337\u00a0203\u00a0685\u00a0477,5808", "-922,337,203,685,477.5808"},
		{7, -1, "7", "7"},
	}
	for _, tt := range tests {
		if got := Decimal(Fi, tt.minor, tt.scale); got != tt.fi {
			t.Errorf("Decimal(fi, %d, %d) = %q, want %q", tt.minor, tt.scale, got, tt.fi)
		}
		if got := Decimal(En, tt.minor, tt.scale); got != tt.en {
			t.Errorf("Decimal(en, %d, %d) = %q, want %q", tt.minor, tt.scale, got, tt.en)
		}
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor    int64
		currency string
		fi, en   string
	}{
		{0, "EUR", "0,00\u00a0€", "€0.00"},
		{99900, "EUR", "999,00\u00a0€", "€999.00"},
		{100000, "EUR", "1\u00a0000,00\u00a0€", "€1,000.00"},
		{123456, "EUR", "1\u00a0234,56\u00a0€", "€1,234.56"},
		{4850000, "eur", "48\u00a0500,00\u00a0€", "€48,500.00"},
		{-123456, "EUR", "\u22121\u00a0234,56\u00a0€", "-€1,234.56"},
		{123456789012345, "EUR", "1\u00a0234\u00a0567\u00a0890\u00a0123,45\u00a0€", "€1,234,567,890,123.45"},
		{123456, "SEK", "1\u00a0234,56\u00a0SEK", "SEK\u00a01,234.56"},
		{-5, "USD", "\u22120,05\u00a0USD", "-USD\u00a00.05"},
		{123456, "JPY", "123\u00a0456\u00a0JPY", "JPY\u00a0123,456"},
		{123456, "", "1\u00a0234,56", "1,234.56"},
	}
	for _, tt := range tests {
		if got := Money(Fi, tt.minor, tt.currency); got != tt.fi {
			t.Errorf("Money(fi, %d, %q) = %q, want %q", tt.minor, tt.currency, got, tt.fi)
		}
		if got := Money(En, tt.minor, tt.currency); got != tt.en {
			t.Errorf("Money(en, %d, %q) = %q, want %q", tt.minor, tt.currency, got, tt.en)
		}
	}
}
