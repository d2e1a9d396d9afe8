package outbox

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func newStore(t *testing.T, clock clockwork.Clock) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "outbox.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// exact makes the backoff's waits exact: the top of each range.
var exact = retry.Backoff{Base: time.Minute, Max: time.Hour, Jitter: func(int64) int64 { return 0 }}

func TestOutcomes(t *testing.T) {
	boom := errors.New("503 Service Unavailable")
	tests := []struct {
		name     string
		err      error
		attempts int // before this one
		want     store.Outcome
	}{
		{"delivered", nil, 0, store.Outcome{State: store.DeliveryDone, Charge: true}},
		{"transient, first", boom, 0, store.Outcome{State: store.DeliveryPending, Retry: t0.Add(time.Minute), Err: boom.Error(), Charge: true}},
		{"transient, third", boom, 2, store.Outcome{State: store.DeliveryPending, Retry: t0.Add(4 * time.Minute), Err: boom.Error(), Charge: true}},
		{"transient, server asks longer", retry.After(boom, t0.Add(10*time.Minute)), 0,
			store.Outcome{State: store.DeliveryPending, Retry: t0.Add(10 * time.Minute), Err: boom.Error(), Charge: true}},
		{"transient, last", boom, 4, store.Outcome{State: store.DeliveryFailed, Err: boom.Error() + " (after 5 attempts)", Charge: true}},
		{"permanent", retry.Never(errors.New("401 bad token")), 0, store.Outcome{State: store.DeliveryFailed, Err: "401 bad token", Charge: true}},
		{"outage until a time: no charge", retry.Unavailable("hashnode", t0.Add(time.Hour), boom), 3,
			store.Outcome{State: store.DeliveryPending, Retry: t0.Add(time.Hour), Err: boom.Error()}},
		{"outage of no known end", retry.Unavailable("hashnode", time.Time{}, boom), 0,
			store.Outcome{State: store.DeliveryPending, Retry: t0.Add(time.Minute), Err: boom.Error()}},
	}
	clock := clockwork.NewFakeClockAt(t0)
	w, err := New(Config{Store: newStore(t, clock), Clock: clock, Backoff: exact, MaxAttempts: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := w.outcome(context.Background(), store.Delivery{Attempts: tt.attempts}, tt.err)
			if got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := w.outcome(ctx, store.Delivery{Attempts: 4}, context.Canceled); got.State != store.DeliveryPending || got.Charge {
		t.Errorf("an attempt cut short by a stop: %+v, want pending and not charged", got)
	}
}

// recorder is an outlet that answers from a script and records what it
// was sent.
type recorder struct {
	mu      sync.Mutex
	answers []error // one per call; nil once they run out
	sent    []int64
}

func (r *recorder) Deliver(_ context.Context, d store.Delivery) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, d.ID)
	if len(r.answers) == 0 {
		return nil
	}
	err := r.answers[0]
	r.answers = r.answers[1:]
	return err
}

// run starts w and returns a channel of its settled deliveries and a stop
// function that waits for it to end.
func run(t *testing.T, cfg Config) (settled <-chan store.Delivery, w *Worker, stop func()) {
	t.Helper()
	ch := make(chan store.Delivery, 16)
	cfg.Settled = func(d store.Delivery) { ch <- d }
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return ch, w, stop
}

func next(t *testing.T, ch <-chan store.Delivery) store.Delivery {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery settled")
		return store.Delivery{}
	}
}

func TestWorkerRetriesUntilDelivered(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	st := newStore(t, clock)
	ctx := context.Background()
	hn := &recorder{answers: []error{errors.New("502 Bad Gateway")}}
	chat := &recorder{}
	if err := st.Enqueue(ctx, store.NewDelivery{Outlet: "hashnode", Kind: "published"},
		store.NewDelivery{Outlet: "chat:1", Kind: "published"}); err != nil {
		t.Fatal(err)
	}
	settled, _, _ := run(t, Config{Store: st, Clock: clock, Backoff: exact,
		Outlets: map[string]Outlet{"hashnode": hn, "chat": chat}})

	first := next(t, settled)
	if first.Outlet != "hashnode" || first.State != store.DeliveryPending || first.Attempts != 1 {
		t.Fatalf("first attempt: %+v, want hashnode pending after 1 attempt", first)
	}
	if d := next(t, settled); d.Outlet != "chat:1" || d.State != store.DeliveryDone {
		t.Fatalf("second: %+v, want chat:1 done", d)
	}
	// The worker sleeps until the retry is due.
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if d := next(t, settled); d.ID != first.ID || d.State != store.DeliveryDone || d.Attempts != 2 {
		t.Fatalf("retry: %+v, want the Hashnode delivery done after 2 attempts", d)
	}
	if len(hn.sent) != 2 || len(chat.sent) != 1 {
		t.Errorf("Hashnode was sent %d times, chat %d; want 2 and 1", len(hn.sent), len(chat.sent))
	}
}

func TestWorkerStopLeavesTheAttemptUncharged(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	st := newStore(t, clock)
	ctx := context.Background()
	if err := st.Enqueue(ctx, store.NewDelivery{Outlet: "hashnode", Kind: "published"}); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	slow := OutletFunc(func(ctx context.Context, _ store.Delivery) error {
		close(started)
		<-ctx.Done() // a request that never answers
		return ctx.Err()
	})
	settled, _, stop := run(t, Config{Store: st, Clock: clock, Outlets: map[string]Outlet{"hashnode": slow}})
	<-started
	stop()
	d := next(t, settled)
	if d.State != store.DeliveryPending || d.Attempts != 0 {
		t.Fatalf("after a stop mid-attempt: %+v, want pending with no attempt charged", d)
	}

	// The next start sends it.
	again := &recorder{}
	settled, _, _ = run(t, Config{Store: st, Clock: clock, Outlets: map[string]Outlet{"hashnode": again}})
	if d := next(t, settled); d.State != store.DeliveryDone || d.Attempts != 1 {
		t.Fatalf("after the restart: %+v, want done after 1 attempt", d)
	}
}

func TestSendRetriesAFailedDelivery(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	st := newStore(t, clock)
	ctx := context.Background()
	if err := st.Enqueue(ctx, store.NewDelivery{Outlet: "listmonk", Kind: "published"}); err != nil {
		t.Fatal(err)
	}
	out := &recorder{answers: []error{retry.Never(errors.New("403 no campaigns:send"))}}
	settled, w, stop := run(t, Config{Store: st, Clock: clock, Outlets: map[string]Outlet{"listmonk": out}})
	d := next(t, settled)
	if d.State != store.DeliveryFailed || d.LastError != "403 no campaigns:send" {
		t.Fatalf("first attempt: %+v, want failed with the reason", d)
	}
	stop()
	got, err := w.Send(ctx, d.ID)
	if err != nil || got.State != store.DeliveryDone {
		t.Fatalf("Send = %+v, %v; want done", got, err)
	}
	if _, err := w.Send(ctx, d.ID); !errors.Is(err, store.ErrConflict) {
		t.Errorf("sending a delivery done again: %v, want store.ErrConflict", err)
	}
	if d := next(t, settled); d.State != store.DeliveryDone {
		t.Errorf("Settled saw %+v, want done", d)
	}
}

func TestUnknownOutletFails(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	st := newStore(t, clock)
	if err := st.Enqueue(context.Background(), store.NewDelivery{Outlet: "pigeon", Kind: "published"}); err != nil {
		t.Fatal(err)
	}
	settled, _, _ := run(t, Config{Store: st, Clock: clock})
	if d := next(t, settled); d.State != store.DeliveryFailed || d.LastError != `outbox: no outlet "pigeon" is configured` {
		t.Errorf("%+v, want failed naming the outlet", d)
	}
}

// A stop before the worker began is no failure: the next start resumes.
func TestRunStoppedBeforeItBegins(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	w, err := New(Config{Store: newStore(t, clock), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Run(ctx); err != nil {
		t.Errorf("Run after a stop = %v, want nil", err)
	}
}
