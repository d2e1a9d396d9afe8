package pipeline

import (
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/retry"
)

// Pauses keeps one pause per dependency (Gemini, its flex tier, the GitHub
// API, the database). While a dependency is paused no work that needs it
// starts and no attempt is charged; the pause ends at the time its error
// named, or earlier when one probe succeeds. Between those, one piece of
// work at a time is let through as the probe, first after a minute, then
// at doubling intervals up to half an hour. It is safe for concurrent use.
type Pauses struct {
	clock   clockwork.Clock
	log     *zap.Logger
	backoff retry.Backoff

	mu       sync.Mutex
	deps     map[string]*pause
	watchers []func(Change)
	wake     chan struct{} // closed and replaced when a dependency is back
	// told is held from a change until its watchers have been told, so
	// they hear changes in the order they happened.
	told sync.Mutex
}

type pause struct {
	since, until time.Time // until zero: until a probe succeeds
	probeAt      time.Time // zero with held: never (nothing to probe with)
	probing      bool
	held         bool // paused for good until the process restarts, e.g. no API key
	reason       string
	outages      int // consecutive outages, for the probe interval
}

// Change is a dependency pausing (Up false) or resuming (Up true).
type Change struct {
	Dependency string
	Up         bool
	Since      time.Time // when the pause started
	Until      time.Time // for a pause: when it ends by itself, zero when unknown
	Reason     string
}

// DependencyStatus is one dependency as the status endpoint shows it.
type DependencyStatus struct {
	Dependency string    `json:"dependency"`
	Up         bool      `json:"up"`
	Since      time.Time `json:"since,omitzero"`      // paused since
	Until      time.Time `json:"until,omitzero"`      // ends by itself then
	NextProbe  time.Time `json:"next_probe,omitzero"` // one piece of work tries then
	Reason     string    `json:"reason,omitempty"`
}

// probeBackoff spaces the probes of a pause without an end time.
var probeBackoff = retry.Backoff{Base: time.Minute, Max: 30 * time.Minute}

// NewPauses returns Pauses on env.Clock, logging to env.Log (the rest of
// env is not used); the dependencies named are reported as up until they
// pause.
func NewPauses(env Env, known ...string) *Pauses {
	clock, log := env.Clock, env.Log
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	if log == nil {
		log = zap.NewNop()
	}
	p := &Pauses{clock: clock, log: log.Named("dependency"), backoff: probeBackoff,
		deps: map[string]*pause{}, wake: make(chan struct{})}
	for _, d := range known {
		p.deps[d] = nil
	}
	return p
}

// Watch calls fn on every change, in the order they happened; fn must not
// change the pauses itself.
func (p *Pauses) Watch(fn func(Change)) {
	p.mu.Lock()
	p.watchers = append(p.watchers, fn)
	p.mu.Unlock()
}

// Changed returns a channel closed when a dependency is back.
func (p *Pauses) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.wake
}

// notify closes the wake channel; call with p.mu held.
func (p *Pauses) notify() {
	close(p.wake)
	p.wake = make(chan struct{})
}

// Pause pauses dependency because of err (an outage, see package retry),
// until the time err names or, without one, until a probe succeeds. A
// paused dependency pausing again (a failed probe) waits longer before the
// next probe.
func (p *Pauses) Pause(dependency string, err error) {
	c := retry.Classify(err)
	reason := ""
	if c != nil {
		reason = c.Err.Error() // the dependency's error, without the article it met
	}
	now := p.clock.Now()
	p.mu.Lock()
	d := p.deps[dependency]
	started := d == nil
	if started {
		d = &pause{since: now}
		p.deps[dependency] = d
	}
	d.outages++
	d.probing = false
	d.reason = reason
	d.until = c.At
	d.probeAt = now.Add(p.backoff.Delay(d.outages, 0))
	if !d.until.IsZero() && (d.until.Before(d.probeAt) || d.until.Sub(now) <= p.backoff.Max) {
		d.probeAt = d.until // an end this near is worth waiting for
	}
	until, probeAt := d.until, d.probeAt
	ch := Change{Dependency: dependency, Since: d.since, Until: until, Reason: reason}
	watchers := slices.Clone(p.watchers)
	if started {
		p.told.Lock()
	}
	p.mu.Unlock()
	if !started {
		p.log.Info("dependency still unavailable", zap.String("dependency", dependency),
			zap.Time("next_probe", probeAt), zap.String("reason", reason))
		return
	}
	defer p.told.Unlock()
	p.log.Warn("dependency unavailable: work that needs it is paused",
		zap.String("dependency", dependency), zap.Time("until", until), zap.Time("next_probe", probeAt),
		zap.String("reason", reason))
	for _, w := range watchers {
		w(ch)
	}
}

// Hold pauses dependency for as long as the process runs, with no probes:
// it cannot come back by itself (no API key is configured).
func (p *Pauses) Hold(dependency, reason string) {
	now := p.clock.Now()
	p.mu.Lock()
	p.deps[dependency] = &pause{since: now, held: true, reason: reason}
	ch := Change{Dependency: dependency, Since: now, Reason: reason}
	watchers := slices.Clone(p.watchers)
	p.told.Lock()
	defer p.told.Unlock()
	p.mu.Unlock()
	p.log.Warn("dependency unavailable until the service is restarted with it",
		zap.String("dependency", dependency), zap.String("reason", reason))
	for _, w := range watchers {
		w(ch)
	}
}

// Resume ends the pause of dependency, if any.
func (p *Pauses) Resume(dependency string) {
	p.mu.Lock()
	d := p.deps[dependency]
	if d == nil || d.held {
		p.mu.Unlock()
		return
	}
	p.deps[dependency] = nil
	ch := Change{Dependency: dependency, Up: true, Since: d.since}
	p.notify()
	watchers := slices.Clone(p.watchers)
	p.told.Lock()
	defer p.told.Unlock()
	p.mu.Unlock()
	p.log.Info("dependency available again; paused work resumes", zap.String("dependency", dependency),
		zap.Duration("paused_for", p.clock.Since(d.since)))
	for _, w := range watchers {
		w(ch)
	}
}

// Allow reports whether work needing dependency may start now. While it is
// paused, at most one piece of work at a time is let through, once its
// probe time has come: probe is then true, and the caller reports how it
// went with Resume, Pause, or Release (the probe did not get to ask).
// When the answer is no, next is when to ask again (zero: not by itself).
func (p *Pauses) Allow(dependency string) (ok, probe bool, next time.Time) {
	if dependency == "" {
		return true, false, time.Time{}
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.deps[dependency]
	switch {
	case d == nil:
		return true, false, time.Time{}
	case d.held:
		return false, false, time.Time{}
	case d.probing:
		// Ask again after the shortest probe interval; the probe's success
		// makes every waiting piece of work due at once.
		return false, false, now.Add(p.backoff.Base)
	case now.Before(d.probeAt):
		return false, false, d.probeAt
	}
	d.probing = true
	return true, true, time.Time{}
}

// Release returns an unused probe: the work let through ended before it
// could tell whether the dependency is back (a shutdown).
func (p *Pauses) Release(dependency string) {
	p.mu.Lock()
	if d := p.deps[dependency]; d != nil {
		d.probing = false
	}
	p.mu.Unlock()
}

// nextTry returns when work waiting for dependency should try again: its
// next probe, zero when it is held or not paused.
func (p *Pauses) nextTry(dependency string) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d := p.deps[dependency]; d != nil && !d.held {
		return d.probeAt
	}
	return time.Time{}
}

// Reason says why dependency is paused, "" when it is not.
func (p *Pauses) Reason(dependency string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d := p.deps[dependency]; d != nil {
		return d.reason
	}
	return ""
}

// Up reports whether dependency is not paused.
func (p *Pauses) Up(dependency string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.deps[dependency] == nil
}

// NextProbe returns the earliest probe time of any pause, zero when none.
func (p *Pauses) NextProbe() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	var next time.Time
	for _, d := range p.deps {
		if d != nil && !d.held && !d.probing && (next.IsZero() || d.probeAt.Before(next)) {
			next = d.probeAt
		}
	}
	return next
}

// Status returns every dependency known or paused, by name.
func (p *Pauses) Status() []DependencyStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]DependencyStatus, 0, len(p.deps))
	for name, d := range p.deps {
		st := DependencyStatus{Dependency: name, Up: d == nil}
		if d != nil {
			st.Since, st.Until, st.Reason = d.since, d.until, d.reason
			if !d.held {
				st.NextProbe = d.probeAt
			}
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b DependencyStatus) int {
		switch {
		case a.Dependency < b.Dependency:
			return -1
		case a.Dependency > b.Dependency:
			return 1
		}
		return 0
	})
	return out
}
