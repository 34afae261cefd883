package clock_test

import (
	"context"
	"testing"
	"time"

	"tili/internal/clock"
)

var start = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

func TestFakeStandsStillUntilMoved(t *testing.T) {
	t.Parallel()
	f := clock.NewFake(start)
	if !f.Now().Equal(start) {
		t.Fatalf("now %v, want %v", f.Now(), start)
	}
	f.Advance(90 * time.Minute)
	if got := clock.Since(f, start); got != 90*time.Minute {
		t.Fatalf("since the start: %v, want 1h30m", got)
	}
	f.Set(start) // never backwards
	if got := clock.Since(f, start); got != 90*time.Minute {
		t.Fatalf("Set moved the clock back: %v since the start", got)
	}
}

func TestFakeTimerFiresOnceWhenDue(t *testing.T) {
	t.Parallel()
	f := clock.NewFake(start)
	tm := f.NewTimer(time.Minute)
	f.Advance(59 * time.Second)
	select {
	case <-tm.C():
		t.Fatal("the timer fired a second early")
	default:
	}
	f.Advance(time.Second)
	select {
	case at := <-tm.C():
		if !at.Equal(start.Add(time.Minute)) {
			t.Fatalf("fired at %v, want %v", at, start.Add(time.Minute))
		}
	default:
		t.Fatal("the timer did not fire when due")
	}
	if tm.Stop() {
		t.Fatal("Stop of a fired timer reported it stopped")
	}
	if f.Waiters() != 0 {
		t.Fatalf("%d waiters left after the timer fired", f.Waiters())
	}
}

func TestFakeTickerTicksInOrderAndDropsUnreadTicks(t *testing.T) {
	t.Parallel()
	f := clock.NewFake(start)
	tk := f.NewTicker(10 * time.Minute)
	defer tk.Stop()
	f.Advance(10 * time.Minute)
	if at := <-tk.C(); !at.Equal(start.Add(10 * time.Minute)) {
		t.Fatalf("first tick at %v", at)
	}
	// three periods pass unread: one tick waits, the others are dropped, as time.Ticker does
	f.Advance(30 * time.Minute)
	if at := <-tk.C(); !at.Equal(start.Add(20 * time.Minute)) {
		t.Fatalf("the waiting tick is of %v, want the first unread one", at)
	}
	select {
	case at := <-tk.C():
		t.Fatalf("a second tick (%v) waited; unread ticks must be dropped", at)
	default:
	}
	tk.Stop()
	f.Advance(time.Hour)
	select {
	case <-tk.C():
		t.Fatal("a stopped ticker ticked")
	default:
	}
}

func TestSleepEndsWithTheClockOrTheContext(t *testing.T) {
	t.Parallel()
	f := clock.NewFake(start)
	done := make(chan error)
	go func() { done <- clock.Sleep(context.Background(), f, time.Hour) }()
	for f.Waiters() == 0 {
		time.Sleep(time.Millisecond) // the goroutine has not set its timer yet
	}
	f.Advance(time.Hour)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clock.Sleep(ctx, f, time.Hour); err == nil {
		t.Fatal("Sleep with an ended context returned nil")
	}
}

func TestRealClockMoves(t *testing.T) {
	t.Parallel()
	c := clock.Real()
	a := c.Now()
	tm := c.NewTimer(time.Millisecond)
	<-tm.C()
	if !c.Now().After(a) {
		t.Fatal("the real clock did not move")
	}
}
