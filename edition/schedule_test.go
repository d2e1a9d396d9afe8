package edition

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// fakeRuns records scheduled runs; each waits for release when it is set.
type fakeRuns struct {
	mu        sync.Mutex
	slots     []time.Time
	active    int
	maxActive int
	release   chan struct{}
	started   chan time.Time
}

func newFakeRuns() *fakeRuns { return &fakeRuns{started: make(chan time.Time, 10)} }

func (f *fakeRuns) Run(ctx context.Context, kind store.RunKind, slot time.Time) (*Report, error) {
	f.mu.Lock()
	f.slots = append(f.slots, slot)
	f.active++
	f.maxActive = max(f.maxActive, f.active)
	release := f.release
	f.mu.Unlock()
	f.started <- slot
	if release != nil {
		<-release
	}
	f.mu.Lock()
	f.active--
	f.mu.Unlock()
	return &Report{}, nil
}

func newTestScheduler(t *testing.T, clock *clockwork.FakeClock, cfg config.Schedule, runs IssueRunner) (*Scheduler, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := NewScheduler(Env{Store: st, Clock: clock}, cfg, runs)
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

// armed waits until the scheduler's timer for the next slot is set.
func armed(t *testing.T, clock *clockwork.FakeClock) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal("the scheduler never set its timer")
	}
}

func startScheduler(t *testing.T, s *Scheduler) {
	t.Helper()
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown() })
}

func receive(t *testing.T, ch <-chan time.Time, what string) time.Time {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("gave up waiting for %s", what)
	}
	return time.Time{}
}

func TestSchedulerFiresAtSlot(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2024, 9, 1, 23, 0, 0, 0, seoul)) // Sunday night
	runs := newFakeRuns()
	s, _ := newTestScheduler(t, clock, config.Default().Schedule, runs)
	startScheduler(t, s)
	if err := s.Ready(context.Background()); err != nil {
		t.Errorf("Ready after Start: %v", err)
	}
	if next, err := s.NextRun(); err != nil || !next.Equal(t0) {
		t.Errorf("NextRun = %v, %v; want %v", next, err, t0)
	}
	armed(t, clock)
	clock.Advance(7 * time.Hour) // Monday 06:00
	if got := receive(t, runs.started, "the Monday run"); !got.Equal(t0) {
		t.Errorf("run for slot %v, want %v", got, t0)
	}
	armed(t, clock)
	clock.Advance(7 * 24 * time.Hour)
	if got := receive(t, runs.started, "the next Monday's run"); !got.Equal(t0.AddDate(0, 0, 7)) {
		t.Errorf("run for slot %v, want %v", got, t0.AddDate(0, 0, 7))
	}
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(context.Background()); err == nil {
		t.Error("Ready after Shutdown succeeded")
	}
}

func TestSchedulerCatchesUpOnStart(t *testing.T) {
	// The service was down over Monday 06:00 and starts on Tuesday.
	clock := clockwork.NewFakeClockAt(t0.AddDate(0, 0, -7))
	runs := newFakeRuns()
	s, st := newTestScheduler(t, clock, config.Default().Schedule, runs)
	ctx := context.Background()
	r, err := st.StartRun(ctx, store.RunScheduled, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, r.ID, store.RunSucceeded, 0, nil, ""); err != nil {
		t.Fatal(err)
	}
	clock.Advance(8 * 24 * time.Hour)
	startScheduler(t, s)
	if got := receive(t, runs.started, "the catch-up run"); !got.Equal(t0) {
		t.Errorf("catch-up run for slot %v, want the missed %v", got, t0)
	}
}

func TestSchedulerRunsNeverOverlap(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2024, 9, 1, 23, 0, 0, 0, seoul))
	runs := newFakeRuns()
	runs.release = make(chan struct{})
	s, _ := newTestScheduler(t, clock, config.Default().Schedule, runs)
	startScheduler(t, s)
	armed(t, clock)
	clock.Advance(7 * time.Hour)
	receive(t, runs.started, "the first run")
	// The first run is still going when the next slot comes.
	armed(t, clock)
	clock.Advance(7 * 24 * time.Hour)
	close(runs.release)
	second := receive(t, runs.started, "the second run, after the first")
	if !second.Equal(t0.AddDate(0, 0, 7)) {
		t.Errorf("second run for slot %v, want %v", second, t0.AddDate(0, 0, 7))
	}
	runs.mu.Lock()
	defer runs.mu.Unlock()
	if runs.maxActive != 1 {
		t.Errorf("%d runs overlapped", runs.maxActive)
	}
}

func TestMissedSlot(t *testing.T) {
	tuesday := t0.Add(26 * time.Hour)
	tests := []struct {
		name     string
		catchUp  bool
		lastRun  time.Time // zero for none
		submitAt time.Time // zero for no submission
		want     time.Time
	}{
		{"catch-up off", false, t0.AddDate(0, 0, -7), time.Time{}, time.Time{}},
		{"last run before the slot", true, t0.AddDate(0, 0, -7), time.Time{}, t0},
		{"last run at the slot", true, t0, time.Time{}, time.Time{}},
		{"manual run after the slot", true, t0.Add(time.Hour), time.Time{}, time.Time{}},
		{"fresh install", true, time.Time{}, time.Time{}, time.Time{}},
		{"never ran, submissions waiting", true, time.Time{}, t0.Add(-time.Hour), t0},
		{"never ran, submitted after the slot", true, time.Time{}, t0.Add(time.Hour), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := clockwork.NewFakeClockAt(t0.AddDate(0, 0, -7))
			cfg := config.Default().Schedule
			cfg.CatchUp = tt.catchUp
			s, st := newTestScheduler(t, clock, cfg, newFakeRuns())
			if !tt.lastRun.IsZero() {
				clock.Advance(tt.lastRun.Sub(clock.Now()))
				r, _ := st.StartRun(ctx, store.RunManual, clock.Now())
				if err := st.FinishRun(ctx, r.ID, store.RunSucceeded, 0, nil, ""); err != nil {
					t.Fatal(err)
				}
			}
			if !tt.submitAt.IsZero() {
				clock.Advance(tt.submitAt.Sub(clock.Now()))
				st.Submit(ctx, store.NewSubmission{URL: "https://example.com/a"})
			}
			got, err := s.missedSlot(ctx, tuesday)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("missedSlot = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPrevSlot(t *testing.T) {
	newYork, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		cron, tz string
		now      time.Time
		want     time.Time
	}{
		{"0 6 * * 1", "Asia/Seoul", t0, t0},
		{"0 6 * * 1", "Asia/Seoul", t0.Add(-time.Second), t0.AddDate(0, 0, -7)},
		{"0 6 * * 1", "Asia/Seoul", t0.Add(3 * 24 * time.Hour), t0},
		{"0 6 * * 1", "Asia/Seoul", time.Date(2024, 9, 1, 21, 30, 0, 0, time.UTC), t0}, // Monday 06:30 in Seoul
		{"30 9 * * *", "America/New_York", time.Date(2024, 11, 3, 12, 0, 0, 0, newYork), time.Date(2024, 11, 3, 9, 30, 0, 0, newYork)},
		{"0 0 1 1 *", "Asia/Seoul", time.Date(2024, 12, 31, 0, 0, 0, 0, seoul), time.Date(2024, 1, 1, 0, 0, 0, 0, seoul)},
	}
	for _, tt := range tests {
		cfg := config.Schedule{Cron: tt.cron, Timezone: tt.tz}
		s, err := NewScheduler(Env{Clock: clockwork.NewFakeClockAt(tt.now)}, cfg, newFakeRuns())
		if err != nil {
			t.Fatal(err)
		}
		if got := s.prevSlot(tt.now); !got.Equal(tt.want) {
			t.Errorf("prevSlot(%q in %s, %v) = %v, want %v", tt.cron, tt.tz, tt.now, got, tt.want)
		}
	}
}

func TestNewSchedulerRejectsBadConfig(t *testing.T) {
	tests := []config.Schedule{
		{Cron: "every monday", Timezone: "Asia/Seoul"},
		{Cron: "0 6 * * 1", Timezone: "Mars/Olympus"},
		{Cron: "0 6 31 2 *", Timezone: "Asia/Seoul"}, // 31 February never comes
	}
	for _, cfg := range tests {
		if _, err := NewScheduler(Env{}, cfg, newFakeRuns()); err == nil {
			t.Errorf("NewScheduler(%+v) succeeded", cfg)
		}
	}
}
