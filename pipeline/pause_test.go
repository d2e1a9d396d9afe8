package pipeline

import (
	"errors"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/retry"
)

func TestPauses(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	p := NewPauses(Env{Clock: clock}, "gemini")
	p.backoff.Jitter = func(int64) int64 { return 0 }
	var changes []Change
	p.Watch(func(c Change) { changes = append(changes, c) })

	if ok, probe, _ := p.Allow("gemini"); !ok || probe {
		t.Fatalf("an available dependency: ok %v probe %v", ok, probe)
	}
	quota := retry.Unavailable("gemini", t0.Add(3*time.Hour), errors.New("daily quota used up"))
	p.Pause("gemini", quota)
	if ok, _, next := p.Allow("gemini"); ok || !next.Equal(t0.Add(time.Minute)) {
		t.Fatalf("paused: ok %v, next %v; want a probe after a minute", ok, next)
	}
	clock.Advance(time.Minute)
	if ok, probe, _ := p.Allow("gemini"); !ok || !probe {
		t.Fatal("the probe time came: one piece of work goes through")
	}
	if ok, _, _ := p.Allow("gemini"); ok {
		t.Fatal("a second piece of work went through during the probe")
	}
	p.Pause("gemini", quota) // the probe failed: the next one waits longer
	if _, _, next := p.Allow("gemini"); !next.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("next probe %v, want two minutes after the failed one", next)
	}
	clock.Advance(2 * time.Minute)
	if ok, probe, _ := p.Allow("gemini"); !ok || !probe {
		t.Fatal("second probe refused")
	}
	p.Release("gemini") // the probe did not get to ask
	if ok, probe, _ := p.Allow("gemini"); !ok || !probe {
		t.Fatal("a released probe is given again")
	}
	p.Resume("gemini")
	if ok, probe, _ := p.Allow("gemini"); !ok || probe || !p.Up("gemini") {
		t.Error("resumed, the dependency is available")
	}
	if len(changes) != 2 || changes[0].Up || !changes[0].Until.Equal(t0.Add(3*time.Hour)) || !changes[1].Up {
		t.Errorf("changes = %+v, want one pause (with its end) and one resume", changes)
	}

	// A pause whose end comes before the next probe ends then.
	p.Pause("github", retry.Unavailable("github", clock.Now().Add(20*time.Second), errors.New("rate limited")))
	if _, _, next := p.Allow("github"); !next.Equal(clock.Now().Add(20 * time.Second)) {
		t.Errorf("next try %v, want the end the error named", next)
	}

	p.Hold("gemini", "no API key")
	clock.Advance(24 * time.Hour)
	if ok, _, next := p.Allow("gemini"); ok || !next.IsZero() {
		t.Error("a held dependency is never probed")
	}
	p.Resume("gemini")
	if p.Up("gemini") {
		t.Error("a held dependency stays paused")
	}
	st := p.Status()
	if len(st) != 2 || st[0].Dependency != "gemini" || st[0].Up || st[0].Reason != "no API key" || st[1].Dependency != "github" {
		t.Errorf("Status = %+v", st)
	}
}
