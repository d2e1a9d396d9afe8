package pipeline

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// drain processes the given pending submissions (whether or not a retry is
// due) with bounded concurrency, then waits until no submission is being
// processed elsewhere, or ctx ends. It returns the outcomes of its own work.
func (p *Processor) drain(ctx context.Context, ids []int64, log *zap.Logger) []Outcome {
	var (
		mu  sync.Mutex
		out []Outcome
		wg  sync.WaitGroup
	)
	slots := make(chan struct{}, p.cfg.Concurrency)
	for _, id := range ids {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		sub, ok, err := p.env.Store.Claim(ctx, id)
		if err != nil || !ok {
			<-slots
			if err != nil {
				log.Error("claiming a submission failed", zap.Int64("submission_id", id), zap.Error(err))
			}
			continue // taken by the worker meanwhile, or deleted
		}
		wg.Go(func() {
			defer func() { <-slots }()
			o := p.processLogged(ctx, sub, log)
			mu.Lock()
			out = append(out, o)
			mu.Unlock()
		})
	}
	wg.Wait()
	p.awaitOthers(ctx, log)
	return out
}

// othersPoll is how often a run checks whether the worker is done.
const othersPoll = 250 * time.Millisecond

// awaitOthers waits until no submission is in state processing (the
// worker's in-flight ones), or ctx ends.
func (p *Processor) awaitOthers(ctx context.Context, log *zap.Logger) {
	t := time.NewTicker(othersPoll)
	defer t.Stop()
	logged := false
	for {
		n, err := p.env.Store.CountProcessing(ctx)
		if err != nil || n == 0 {
			return
		}
		if !logged {
			log.Info("waiting for submissions the worker is processing", zap.Int("processing", n))
			logged = true
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
