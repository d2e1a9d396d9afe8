package pipeline

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Worker processes new submissions soon after they arrive, at most
// worker.concurrency at a time (slots it shares with runs). It looks for
// work every poll interval, when a retry or a dependency probe falls due,
// when a dependency changes, and whenever Notify is called. While a run
// finishes the week it leaves the work to the run.
type Worker struct {
	proc *Processor
	wake chan struct{}
}

// NewWorker returns a Worker running p.
func NewWorker(p *Processor) *Worker {
	w := &Worker{proc: p, wake: make(chan struct{}, 1)}
	p.onIdle = append(p.onIdle, w.Notify)
	return w
}

// Notify wakes the worker to look for work now. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// database names the store as a dependency: while claims fail, the worker
// waits the poll interval between tries and the status says why.
const database = "database"

// Run processes submissions until ctx ends, then waits for the ones in
// flight, which checkpoint back to new. Submissions left processing by a
// crash must be recovered (store.RecoverProcessing) before Run.
func (w *Worker) Run(ctx context.Context) error {
	env, cfg := w.proc.env, w.proc.cfg
	log := env.Log.Named("worker")
	log.Info("worker started", zap.Int("concurrency", cfg.Concurrency), zap.Duration("poll_interval", cfg.PollInterval))
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		log.Info("worker stopped")
	}()
	for {
		changed := env.Pauses.Changed()
		wait := cfg.PollInterval // after a failed claim
		if w.fill(ctx, &wg, log) {
			wait = w.nextWait(ctx)
		}
		timer := env.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-w.wake:
		case <-changed:
		case <-timer.Chan():
		}
		timer.Stop()
	}
}

// fill claims due submissions and starts them until every slot is taken
// or nothing is due. It reports false when claiming failed: the database
// is then paused and the worker tries again after the poll interval.
func (w *Worker) fill(ctx context.Context, wg *sync.WaitGroup, log *zap.Logger) bool {
	p, env := w.proc, w.proc.env
	for ctx.Err() == nil && !p.inRun.Load() {
		select {
		case p.slots <- struct{}{}:
		default:
			return true // all taken: a finishing submission notifies
		}
		sub, ok, err := env.Store.ClaimNext(ctx, env.Clock.Now())
		if err != nil || !ok {
			<-p.slots
			if err != nil && ctx.Err() == nil {
				env.Pauses.Pause(database, err)
				log.Error("claiming a submission failed", zap.Error(err))
				return false
			}
			return true
		}
		env.Pauses.Resume(database)
		wg.Go(func() {
			defer func() {
				<-p.slots
				w.Notify()
			}()
			p.Process(ctx, sub)
		})
	}
	return true
}

// nextWait is how long to sleep: the poll interval, or less when a retry
// or a probe falls due sooner.
func (w *Worker) nextWait(ctx context.Context) time.Duration {
	env := w.proc.env
	wait := w.proc.cfg.PollInterval
	now := env.Clock.Now()
	if due, ok, err := env.Store.NextDue(ctx); err == nil && ok {
		wait = min(wait, max(due.Sub(now), 0))
	}
	if probe := env.Pauses.NextProbe(); !probe.IsZero() {
		wait = min(wait, max(probe.Sub(now), 0))
	}
	return wait
}
