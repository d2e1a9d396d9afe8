package clocktest

import (
	"slices"
	"testing"
	"time"
)

func TestClockWaitsEndAtOnce(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := New(start)
	var hooked []time.Duration
	c.OnWait = func(d time.Duration) { hooked = append(hooked, d) }

	c.Sleep(time.Second)
	if got := <-c.After(2 * time.Second); !got.Equal(start.Add(3 * time.Second)) {
		t.Errorf("After fired at %v", got)
	}
	tm := c.NewTimer(4 * time.Second)
	if got := <-tm.Chan(); !got.Equal(start.Add(7 * time.Second)) {
		t.Errorf("timer fired at %v", got)
	}
	tm.Reset(time.Second)
	<-tm.Chan()
	ran := false
	c.AfterFunc(time.Minute, func() { ran = true })
	c.Advance(time.Hour) // not a wait

	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, time.Second, time.Minute}
	if got := c.Waits(); !slices.Equal(got, want) {
		t.Errorf("Waits = %v, want %v", got, want)
	}
	if !slices.Equal(hooked, want) {
		t.Errorf("OnWait saw %v, want %v", hooked, want)
	}
	if !ran {
		t.Error("AfterFunc did not run its function")
	}
	if got := c.Since(start); got != time.Hour+68*time.Second {
		t.Errorf("Since = %v", got)
	}
	if got := c.Until(start); got != -(time.Hour + 68*time.Second) {
		t.Errorf("Until = %v", got)
	}
	tk := c.NewTicker(time.Second)
	before := c.Now()
	if got := <-tk.Chan(); !got.Equal(before.Add(time.Second)) {
		t.Errorf("tick at %v", got)
	}
}
