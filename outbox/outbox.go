// Package outbox delivers what a committed change promised the world: the
// Hashnode post of an issue, its chat messages, its email campaign. Each
// is a row of the store's deliveries table, written in the transaction
// that made the promise (see store.Enqueue and store.Written); a Worker
// sends the rows when they are due, one at a time, and records how each
// attempt ended. Nothing waits only in memory: after a crash or a stop the
// next start sends what was left, and a row that was being sent is sent
// again without an attempt charged. Its outlet must therefore settle an
// unknown outcome by looking before it sends again (Hashnode's ledger
// does); where an outlet cannot look (a chat webhook), a crash while a
// message is in flight (sent, its answer not yet recorded) repeats it.
//
// Failures follow package retry's model: a permanent failure is final
// (an editor may queue it again), a transient one is tried again with the
// one backoff up to MaxAttempts, and an outage of a dependency waits for
// it without charging an attempt.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// Outlet sends deliveries of one kind of receiver.
type Outlet interface {
	// Deliver sends d. It may be called again for the same delivery after
	// an attempt whose outcome is unknown (a lost answer, a stop), and
	// should look before sending twice where the receiver allows it. Its
	// errors are classified by package retry.
	Deliver(ctx context.Context, d store.Delivery) error
}

// OutletFunc is an Outlet of a function.
type OutletFunc func(ctx context.Context, d store.Delivery) error

// Deliver calls f.
func (f OutletFunc) Deliver(ctx context.Context, d store.Delivery) error { return f(ctx, d) }

// Defaults of a Worker.
const (
	DefaultMaxAttempts = 8
	// idleWait bounds a wait with nothing due, so that a row queued by
	// another process (a CLI command) is seen within it.
	idleWait = time.Minute
)

// DefaultBackoff spaces the attempts of one delivery: 30 s, 1 min, 2 min …
// up to 30 min.
var DefaultBackoff = retry.Backoff{Base: 30 * time.Second, Max: 30 * time.Minute}

// Config is what a Worker is built from. Store is required.
type Config struct {
	Store *store.Store
	// Outlets by name: a delivery to "chat:2" goes to "chat:2" if it is
	// there, else to "chat".
	Outlets     map[string]Outlet
	Backoff     retry.Backoff // zero means DefaultBackoff
	MaxAttempts int           // 0 means DefaultMaxAttempts
	Clock       clockwork.Clock
	Log         *zap.Logger
	// Settled, if set, is told of every attempt's outcome, for metrics.
	Settled func(store.Delivery)
}

// Worker sends the outbox's deliveries. Build it with New.
type Worker struct {
	cfg  Config
	log  *zap.Logger
	wake chan struct{}
	// mu serialises attempts: the worker's and Send's.
	mu sync.Mutex
}

// New returns a Worker.
func New(cfg Config) (*Worker, error) {
	if cfg.Store == nil {
		return nil, errors.New("outbox: a store is required")
	}
	if cfg.Backoff.Base == 0 && cfg.Backoff.Max == 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	return &Worker{cfg: cfg, log: cfg.Log.Named("outbox"), wake: make(chan struct{}, 1)}, nil
}

// Wake tells the worker that something was queued. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run resumes what a stop left sending, then sends each delivery when it
// is due until ctx ends. An attempt in flight then is cancelled and left
// pending, uncharged, for the next start.
func (w *Worker) Run(ctx context.Context) error {
	if n, err := w.cfg.Store.ResumeDeliveries(ctx); err != nil {
		if ctx.Err() != nil { // stopped before it began: the next start resumes
			return nil
		}
		return fmt.Errorf("outbox: %w", err)
	} else if n > 0 {
		w.log.Info("deliveries a stop interrupted are sent again", zap.Int("deliveries", n))
	}
	for ctx.Err() == nil {
		if err := w.drain(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("reading the outbox failed; trying again", zap.Error(err))
		}
		wait := idleWait
		if at, ok, err := w.cfg.Store.NextDelivery(ctx); err == nil && ok {
			wait = min(wait, max(w.cfg.Clock.Until(at), 0))
		}
		if wait == 0 {
			continue
		}
		t := w.cfg.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-t.Chan():
		}
		t.Stop()
	}
	return nil
}

// Flush resumes what a stop left sending and sends every delivery due
// now, once, for a one-off command; what fails waits for its next attempt.
func (w *Worker) Flush(ctx context.Context) error {
	if _, err := w.cfg.Store.ResumeDeliveries(ctx); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err := w.drain(ctx); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return ctx.Err()
}

// drain sends every delivery due now.
func (w *Worker) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		w.mu.Lock()
		d, ok, err := w.cfg.Store.ClaimDelivery(ctx, w.cfg.Clock.Now())
		if err != nil || !ok {
			w.mu.Unlock()
			return err
		}
		w.attempt(ctx, d)
		w.mu.Unlock()
	}
	return nil
}

// Send queues delivery id again if it failed and sends it now, for an
// editor's retry, returning how the attempt ended. A delivery the worker
// is sending is waited for; one done is a store.ErrConflict.
func (w *Worker) Send(ctx context.Context, id int64) (store.Delivery, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, err := w.cfg.Store.RetryDelivery(ctx, id)
	if err != nil {
		return store.Delivery{}, fmt.Errorf("outbox: %w", err)
	}
	if d.State != store.DeliveryPending {
		return d, nil
	}
	c, ok, err := w.cfg.Store.ClaimDeliveryID(ctx, id)
	if err != nil {
		return store.Delivery{}, fmt.Errorf("outbox: %w", err)
	}
	if !ok { // sent meanwhile
		return d, nil
	}
	return w.attempt(ctx, c), nil
}

// attempt sends d, claimed, and records how it ended.
func (w *Worker) attempt(ctx context.Context, d store.Delivery) store.Delivery {
	log := w.log.With(zap.Int64("delivery_id", d.ID), zap.Int64("issue_id", d.IssueID),
		zap.String("outlet", d.Outlet), zap.String("kind", d.Kind), zap.Int("attempt", d.Attempts+1))
	o := w.outcome(ctx, d, w.send(ctx, d))
	settled, err := w.cfg.Store.SettleDelivery(context.WithoutCancel(ctx), d.ID, o)
	if err != nil {
		log.Error("recording a delivery's outcome failed; it is sent again at the next start", zap.Error(err))
		return d
	}
	switch settled.State {
	case store.DeliveryDone:
		log.Info("delivered")
	case store.DeliveryFailed:
		log.Error("delivery failed for good; an editor may send it again", zap.String("reason", o.Err))
	default:
		log.Warn("delivery failed; trying again later", zap.String("reason", o.Err), zap.Time("next_attempt_at", o.Retry),
			zap.Bool("charged", o.Charge))
	}
	if w.cfg.Settled != nil {
		w.cfg.Settled(settled)
	}
	return settled
}

func (w *Worker) send(ctx context.Context, d store.Delivery) error {
	out, ok := w.cfg.Outlets[d.Outlet]
	if !ok {
		name, _, _ := strings.Cut(d.Outlet, ":")
		out, ok = w.cfg.Outlets[name]
	}
	if !ok {
		return retry.Never(fmt.Errorf("outbox: no outlet %q is configured", d.Outlet))
	}
	return out.Deliver(ctx, d)
}

// outcome classifies the error of an attempt at d.
func (w *Worker) outcome(ctx context.Context, d store.Delivery, err error) store.Outcome {
	now := w.cfg.Clock.Now()
	if err == nil {
		return store.Outcome{State: store.DeliveryDone, Charge: true}
	}
	if ctx.Err() != nil {
		// Stopped mid-attempt: the outcome is unknown; the next start asks.
		return store.Outcome{State: store.DeliveryPending, Retry: now, Err: "interrupted by a stop"}
	}
	c := retry.Classify(err)
	msg := err.Error()
	switch c.Kind {
	case retry.Permanent:
		return store.Outcome{State: store.DeliveryFailed, Err: msg, Charge: true}
	case retry.Outage:
		at := c.At
		if at.IsZero() {
			at = now.Add(w.cfg.Backoff.Delay(1, 0))
		}
		return store.Outcome{State: store.DeliveryPending, Retry: at, Err: msg}
	}
	n := d.Attempts + 1
	if n >= w.cfg.MaxAttempts {
		return store.Outcome{State: store.DeliveryFailed, Err: fmt.Sprintf("%s (after %d attempts)", msg, n), Charge: true}
	}
	var server time.Duration
	if !c.At.IsZero() {
		server = max(c.At.Sub(now), 0)
	}
	return store.Outcome{State: store.DeliveryPending, Retry: now.Add(w.cfg.Backoff.Delay(n, server)), Err: msg, Charge: true}
}
