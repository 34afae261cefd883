// Package clock is tili's one source of time. Production code asks a Clock for the time and for tickers
// and timers instead of calling the time package, so that tests can run reminders, timeouts and
// throttles on a Fake clock that moves only when told to.
package clock

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock tells the time and makes tickers and timers.
type Clock interface {
	Now() time.Time
	// NewTicker sends the time on its channel every d, dropping ticks nobody reads.
	NewTicker(d time.Duration) Ticker
	// NewTimer sends the time on its channel once, after d.
	NewTimer(d time.Duration) Timer
}

// Ticker is a time.Ticker of a Clock.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

// Timer is a time.Timer of a Clock.
type Timer interface {
	C() <-chan time.Time
	// Stop stops the timer; false when it had fired or been stopped already.
	Stop() bool
}

// Since returns the time elapsed since t on c.
func Since(c Clock, t time.Time) time.Duration { return c.Now().Sub(t) }

// Sleep waits for d on c, or until ctx ends (then it returns ctx's error).
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	t := c.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Real is the clock of the machine.
func Real() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time { return r.t.C }
func (r realTicker) Stop()               { r.t.Stop() }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time { return r.t.C }
func (r realTimer) Stop() bool          { return r.t.Stop() }

// Fake is a clock that stands still until Advance or Set moves it; the tickers and timers due by then
// fire as it moves. Safe for use by several goroutines.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	waiters []*waiter
}

// NewFake returns a fake clock showing t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// waiter is a fake ticker (every > 0) or timer waiting for its time.
type waiter struct {
	c       chan time.Time
	due     time.Time
	every   time.Duration
	stopped bool
	fake    *Fake
}

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the clock forward by d, firing what comes due on the way, in time order.
func (f *Fake) Advance(d time.Duration) { f.Set(f.Now().Add(d)) }

// Set moves the clock to t (never backwards), firing what comes due on the way, in time order.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		sort.Slice(f.waiters, func(i, j int) bool { return f.waiters[i].due.Before(f.waiters[j].due) })
		if len(f.waiters) == 0 || f.waiters[0].due.After(t) {
			break
		}
		w := f.waiters[0]
		if w.due.After(f.now) {
			f.now = w.due
		}
		select { // a tick nobody reads is dropped, as time.Ticker does
		case w.c <- f.now:
		default:
		}
		if w.every > 0 {
			w.due = w.due.Add(w.every)
		} else {
			f.waiters = f.waiters[1:]
		}
	}
	if t.After(f.now) {
		f.now = t
	}
}

// Waiters tells how many tickers and timers wait on the clock: a test can wait until the code under
// test has set its timer before it advances the clock.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// NewTicker returns a ticker firing every d of fake time.
func (f *Fake) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: non-positive interval for NewTicker")
	}
	return fakeTicker{f.add(d, d)}
}

// NewTimer returns a timer firing after d of fake time.
func (f *Fake) NewTimer(d time.Duration) Timer { return fakeTimer{f.add(d, 0)} }

type fakeTicker struct{ *waiter }

func (t fakeTicker) Stop() { t.stop() }

type fakeTimer struct{ *waiter }

func (t fakeTimer) Stop() bool { return t.stop() }

func (f *Fake) add(d, every time.Duration) *waiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := &waiter{c: make(chan time.Time, 1), due: f.now.Add(d), every: every, fake: f}
	if d <= 0 && every == 0 {
		w.c <- f.now
		w.stopped = true
		return w
	}
	f.waiters = append(f.waiters, w)
	return w
}

func (w *waiter) C() <-chan time.Time { return w.c }

// stop takes the ticker or timer off the clock; false when it had fired (a timer) or was stopped.
func (w *waiter) stop() bool {
	f := w.fake
	f.mu.Lock()
	defer f.mu.Unlock()
	if w.stopped {
		return false
	}
	w.stopped = true
	for i, x := range f.waiters {
		if x == w {
			f.waiters = append(f.waiters[:i], f.waiters[i+1:]...)
			return true
		}
	}
	return false // a timer that fired already
}
