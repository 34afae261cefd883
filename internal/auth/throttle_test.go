package auth

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{-1, 0},
		{0, 0},
		{1, 0},
		{5, 0},
		{6, time.Second},
		{7, 2 * time.Second},
		{8, 4 * time.Second},
		{9, 8 * time.Second},
		{10, 16 * time.Second},
		{11, 32 * time.Second},
		{12, 60 * time.Second},
		{13, 60 * time.Second},
		{70, 60 * time.Second},
		{100, 60 * time.Second},
		{1 << 40, 60 * time.Second},
	} {
		if got := Delay(tc.failures); got != tc.want {
			t.Errorf("Delay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	allowed := Verdict{Allowed: true}
	refused := func(d time.Duration) Verdict { return Verdict{RetryAfter: d} }
	for _, tc := range []struct {
		name     string
		failures int
		last     time.Time
		oldest   time.Time
		want     Verdict
	}{
		{"no failures", 0, time.Time{}, time.Time{}, allowed},
		{"5 free failures, just now", 5, now, ago(time.Minute), allowed},
		{"6th failure half a second ago", 6, ago(500 * time.Millisecond), ago(time.Minute), refused(500 * time.Millisecond)},
		{"6th failure exactly 1 s ago", 6, ago(time.Second), ago(time.Minute), allowed},
		{"8 failures, last 1 s ago", 8, ago(time.Second), ago(time.Minute), refused(3 * time.Second)},
		{"20 failures, last 10 s ago", 20, ago(10 * time.Second), ago(time.Minute), refused(50 * time.Second)},
		{"20 failures, last 61 s ago", 20, ago(61 * time.Second), ago(time.Minute), allowed},
		{"99 failures, last 2 min ago", 99, ago(2 * time.Minute), ago(59 * time.Minute), allowed},
		{"100 failures: wait for the oldest to leave the hour", 100, ago(2 * time.Minute), ago(50 * time.Minute), refused(10 * time.Minute)},
		{"100 failures, oldest leaves in 1 s", 100, ago(2 * time.Minute), ago(time.Hour - time.Second), refused(time.Second)},
		{"100 failures, the delay is longer than the hour's wait", 100, ago(30 * time.Second), ago(time.Hour - 10*time.Second), refused(30 * time.Second)},
		{"250 failures, oldest just leaving", 250, ago(5 * time.Minute), ago(time.Hour), allowed},
		{"clock ahead: last failure in the future waits only the delay", 6, now.Add(10 * time.Minute), ago(time.Minute), refused(time.Second)},
		{"clock ahead: oldest in the future waits at most an hour", 100, ago(2 * time.Minute), now.Add(30 * time.Minute), refused(time.Hour)},
		{"failures but no last time recorded", 50, time.Time{}, time.Time{}, allowed},
	} {
		if got := Decide(tc.failures, tc.last, now, tc.oldest); got != tc.want {
			t.Errorf("%s: Decide(%d, …) = %+v, want %+v", tc.name, tc.failures, got, tc.want)
		}
	}
}
