package pipeline

import (
	"context"
	"sync"

	"go.uber.org/zap"
)

// Drain finishes the week's work for an issue run: it waits until no submission
// is being processed by the worker, which stays out of the way meanwhile,
// then processes the submissions due now, each at most once (one attempt
// per article per run), in the slots the worker shares, honouring the
// pauses, until they are done or ctx ends. It returns the outcomes of its
// own work; log may carry the run's id.
func (p *Processor) Drain(ctx context.Context, log *zap.Logger) []Outcome {
	p.inRun.Store(true)
	defer func() {
		p.inRun.Store(false)
		for _, f := range p.onIdle {
			f()
		}
	}()
	p.awaitOthers(ctx, log) // the worker's in-flight ones
	ids, err := p.env.Store.DueIDs(ctx, p.env.Clock.Now())
	if err != nil {
		log.Error("listing the due submissions failed", zap.Error(err))
		return nil
	}
	if len(ids) > 0 {
		log.Info("finishing pending submissions", zap.Int("due", len(ids)))
	}
	var (
		mu   sync.Mutex
		out  []Outcome
		done int // finished: not the ones a stop cut short
		wg   sync.WaitGroup
	)
	report := func(current string) {
		if p.env.Progress != nil {
			mu.Lock()
			done := done
			mu.Unlock()
			p.env.Progress(Progress{Done: done, Total: len(ids), Current: current})
		}
	}
	for _, id := range ids {
		if !p.acquire(ctx) {
			break
		}
		sub, ok, err := p.env.Store.Claim(ctx, id, p.env.Clock.Now())
		if err != nil || !ok {
			<-p.slots
			if err != nil {
				log.Error("claiming a submission failed", zap.Int64("submission_id", id), zap.Error(err))
			}
			continue // deleted meanwhile, or no longer due
		}
		report(sub.URL)
		wg.Go(func() {
			defer func() { <-p.slots }()
			o := p.processLogged(ctx, sub, log)
			mu.Lock()
			out = append(out, o)
			if !o.Interrupted {
				done++
			}
			mu.Unlock()
			report("")
		})
	}
	wg.Wait()
	return out
}

// acquire takes a slot, or reports false, holding none, once ctx ends.
func (p *Processor) acquire(ctx context.Context) bool {
	select {
	case p.slots <- struct{}{}:
		if ctx.Err() != nil { // both were ready: the end wins
			<-p.slots
			return false
		}
		return true
	case <-ctx.Done():
		return false
	}
}

// awaitOthers waits until no submission is in state processing (the
// worker's in-flight ones), or ctx ends. It waits on the slots, which
// every piece of work holds while it runs.
func (p *Processor) awaitOthers(ctx context.Context, log *zap.Logger) {
	if n := len(p.slots); n > 0 {
		log.Info("waiting for submissions the worker is processing", zap.Int("processing", n))
	}
	taken := 0
	defer func() {
		for range taken {
			<-p.slots
		}
	}()
	for taken < cap(p.slots) {
		select {
		case p.slots <- struct{}{}:
			taken++
		case <-ctx.Done():
			return
		}
	}
}
