package auth

import "time"

// Login throttling: the store keeps, per account and per client IP, the failed sign-ins of the last
// hour; these functions decide from those counters, so every instance decides alike.
const (
	// MaxFailuresPerHour refuses sign-in outright once reached, whatever the delay.
	MaxFailuresPerHour = 100
	// FreeFailures are allowed without delay: typing mistakes, a wrong keyboard layout.
	FreeFailures = 5
)

const (
	firstDelay = time.Second
	maxDelay   = time.Minute
)

// Delay is how long after the last failure the next attempt must wait: nothing for the first
// FreeFailures failures, then 1 s after the 6th, doubling with each further failure up to 60 s.
func Delay(failuresInLastHour int) time.Duration {
	extra := failuresInLastHour - FreeFailures - 1
	if extra < 0 {
		return 0
	}
	if extra >= 6 { // 2^6 s would exceed the cap; also keeps the shift from overflowing
		return maxDelay
	}
	return min(firstDelay<<extra, maxDelay)
}

// Verdict is the answer to a sign-in attempt; when it is refused, RetryAfter says how long from now
// the client should wait (round it up to whole seconds for a Retry-After header).
type Verdict struct {
	Allowed    bool
	RetryAfter time.Duration
}

// Decide allows an attempt unless the hour's failures have reached MaxFailuresPerHour (then it waits
// until the oldest of them, oldestInWindow, is an hour old) or Delay(failuresInLastHour) has not
// passed since lastFailure. When both hold, RetryAfter is the longer wait. Times from another
// instance's clock can be ahead of now; the waits are capped at an hour and at the delay, so a skewed
// clock cannot lock anyone out for longer than the rules say.
func Decide(failuresInLastHour int, lastFailure, now time.Time, oldestInWindow time.Time) Verdict {
	var wait time.Duration
	if failuresInLastHour >= MaxFailuresPerHour {
		wait = min(oldestInWindow.Add(time.Hour).Sub(now), time.Hour)
	}
	if d := Delay(failuresInLastHour); d > 0 {
		wait = max(wait, min(lastFailure.Add(d).Sub(now), d))
	}
	if wait > 0 {
		return Verdict{Allowed: false, RetryAfter: wait}
	}
	return Verdict{Allowed: true}
}
