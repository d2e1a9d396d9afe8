package pipeline

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Worker processes new submissions soon after they arrive, at most
// worker.concurrency at a time. It looks for work every poll interval, when
// a retry falls due, and whenever Notify is called.
type Worker struct {
	proc *Processor
	wake chan struct{}
}

// NewWorker returns a Worker running p.
func NewWorker(p *Processor) *Worker {
	return &Worker{proc: p, wake: make(chan struct{}, 1)}
}

// Notify wakes the worker to look for work now. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run processes submissions until ctx ends, then waits for the ones in
// flight, which checkpoint back to new. Submissions left processing by a
// crash must be recovered (store.RecoverProcessing) before Run.
func (w *Worker) Run(ctx context.Context) error {
	env, cfg := w.proc.env, w.proc.cfg
	log := env.Log.Named("worker")
	log.Info("worker started", zap.Int("concurrency", cfg.Concurrency), zap.Duration("poll_interval", cfg.PollInterval))
	slots := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		log.Info("worker stopped")
	}()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		full, failing := false, false
		for ctx.Err() == nil {
			select {
			case slots <- struct{}{}:
			default:
				full = true // a finishing submission notifies
			}
			if full {
				break
			}
			sub, ok, err := env.Store.ClaimNext(ctx, env.Now())
			if err != nil || !ok {
				<-slots
				if err != nil && ctx.Err() == nil {
					failing = true
					log.Error("claiming a submission failed", zap.Error(err))
				}
				break
			}
			wg.Go(func() {
				defer func() {
					<-slots
					w.Notify()
				}()
				w.proc.Process(ctx, sub)
			})
		}
		var tick <-chan time.Time
		switch {
		case failing:
			timer.Reset(cfg.PollInterval)
			tick = timer.C
		case !full:
			timer.Reset(w.nextWait(ctx))
			tick = timer.C
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-tick:
		}
		timer.Stop()
	}
}

// nextWait is how long to sleep: the poll interval, or less when a retry
// falls due sooner.
func (w *Worker) nextWait(ctx context.Context) time.Duration {
	wait := w.proc.cfg.PollInterval
	due, ok, err := w.proc.env.Store.NextDue(ctx)
	if err == nil && ok {
		if d := due.Sub(w.proc.env.Now()); d < wait {
			wait = max(d, 0)
		}
	}
	return wait
}
