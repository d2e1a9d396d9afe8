package edition

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
)

// Runner runs issue runs, one at a time: it finishes the pending
// submissions and closes the week, freezing the draft (every summarised
// submission since the last issue) as the week's issue. In review mode the
// issue then waits for an editor's approval, or for schedule.publish_after;
// in auto mode it is published at once. Publishing, also by an editor,
// happens under the same lock as runs: every transition of life.go is
// taken with it held.
type Runner struct {
	proc     *pipeline.Processor
	env      Env
	pub      config.Publisher
	sched    config.Schedule
	deadline time.Duration
	loc      *time.Location
	reviewed chan struct{} // an issue went into review: AutoPublish looks again

	mu      sync.Mutex   // held for the whole of a run
	current atomic.Int64 // id of the run in progress, 0 when none

	// Runs started by StartRun live in ctx; Close ends them.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewRunner returns a Runner whose runs finish the week's articles with p
// first. env.Store and env.Publisher are required; cfg gives the time zone
// that dates issues, the mode and the run deadline; pub shapes the issue.
func NewRunner(env Env, p *pipeline.Processor, cfg config.Schedule, pub config.Publisher) (*Runner, error) {
	if env.Store == nil || env.Publisher == nil {
		return nil, errors.New("edition: runner needs a store and a publisher")
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return nil, fmt.Errorf("edition: schedule.timezone: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{proc: p, env: env.withDefaults(), pub: pub, sched: cfg, deadline: cfg.RunDeadline, loc: loc,
		reviewed: make(chan struct{}, 1), ctx: ctx, cancel: cancel}, nil
}

// BusyError is returned by StartRun, and by publishing, when a run or a
// publication is already in progress. ID is the run's, 0 for a
// publication.
type BusyError struct{ ID int64 }

func (e *BusyError) Error() string {
	if e.ID == 0 {
		return "a publication is in progress"
	}
	return fmt.Sprintf("run %d is already in progress", e.ID)
}

// RunningID returns the id of the run in progress.
func (e *BusyError) RunningID() int64 { return e.ID }

// StartRun starts a manual run in the background and returns its id at
// once, or a *BusyError when a run is in progress. The run outlives ctx;
// Close ends it.
func (r *Runner) StartRun(ctx context.Context) (int64, error) {
	if !r.mu.TryLock() {
		return 0, &BusyError{ID: r.current.Load()}
	}
	if r.ctx.Err() != nil {
		r.mu.Unlock()
		return 0, errClosed
	}
	run, err := r.env.Store.StartRun(ctx, store.RunManual, r.env.Clock.Now())
	if err != nil {
		r.mu.Unlock()
		return 0, err
	}
	r.current.Store(run.ID)
	r.wg.Go(func() {
		r.execute(r.ctx, run, r.unlock) // the report is stored with the run
	})
	return run.ID, nil
}

// Run runs an issue run now and returns its report, waiting for a run in
// progress to end first. scheduledFor dates the issue: the schedule slot
// for a scheduled run, now for a manual one. The error is the run's own
// failure, also recorded in the report.
func (r *Runner) Run(ctx context.Context, kind store.RunKind, scheduledFor time.Time) (*Report, error) {
	r.mu.Lock()
	if r.ctx.Err() != nil {
		r.mu.Unlock()
		return nil, errClosed
	}
	if err := ctx.Err(); err != nil {
		r.mu.Unlock()
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(r.ctx, cancel)() // Close ends this run too
	run, err := r.env.Store.StartRun(ctx, kind, scheduledFor)
	if err != nil {
		r.mu.Unlock()
		return nil, err
	}
	r.current.Store(run.ID)
	r.wg.Add(1) // under the lock, so Close waits for the record
	defer r.wg.Done()
	rep := r.execute(ctx, run, r.unlock)
	if rep.Error != "" {
		return rep, errors.New(rep.Error)
	}
	return rep, nil
}

// errClosed is returned by runs asked for after Close.
var errClosed = errors.New("edition: runner is closed")

// Close ends the run in progress, whether started by StartRun or Run (its
// submissions in flight go back to new and the run is recorded as failed),
// and waits until it has recorded its end. No run starts after Close.
func (r *Runner) Close() {
	r.cancel()
	r.mu.Lock() // a run holds it until its work is over: this waits for that
	//lint:ignore SA2001 the critical section is empty on purpose: taking the lock is the wait
	r.mu.Unlock() //nolint:staticcheck // SA2001, as said above
	r.wg.Wait()   // and then records its end
}

// unlock ends a run's hold of the runner, before its end is recorded:
// once a run reads as finished, the next one (or a publication) may start.
func (r *Runner) unlock() {
	r.current.Store(0)
	r.mu.Unlock()
}

// execute does the run, calls unlock, and records its end.
func (r *Runner) execute(ctx context.Context, run store.Run, unlock func()) *Report {
	log := r.env.Log.With(zap.Int64("run_id", run.ID), zap.String("kind", string(run.Kind)))
	start := r.env.Clock.Now()
	rep := &Report{RunID: run.ID, Kind: string(run.Kind), ScheduledFor: run.ScheduledFor, StartedAt: run.StartedAt,
		Articles: []ArticleReport{}, Failed: []RejectedReport{}, Duplicates: []RejectedReport{}, Pending: []RejectedReport{}}
	log.Info("issue run started", zap.Time("scheduled_for", run.ScheduledFor))

	issueID, err := r.do(ctx, rep, log)
	unlock()
	state := store.RunSucceeded
	switch {
	case err != nil && ctx.Err() != nil: // a stop, as a crash would be found at the next start
		state = store.RunInterrupted
		rep.Error = "interrupted: " + err.Error()
		// What waits for the next run, the articles the stop cut short among them.
		if perr := r.reportPending(context.WithoutCancel(ctx), rep); perr != nil {
			log.Error("listing the submissions left for the next run failed", zap.Error(perr))
		}
	case err != nil:
		state = store.RunFailed
		rep.Error = err.Error()
	}
	rep.State = string(state)
	rep.FinishedAt = r.env.Clock.Now()
	body, merr := json.Marshal(rep)
	if merr != nil {
		log.Error("encoding the run report failed", zap.Error(merr))
	}
	if ferr := r.env.Store.FinishRun(context.WithoutCancel(ctx), run.ID, state, issueID, body, rep.Error); ferr != nil {
		log.Error("recording the end of the run failed", zap.Error(ferr))
	}
	r.env.Metrics.runFinished(run.Kind, state, r.env.Clock.Since(start), rep.FinishedAt)

	u := rep.Usage
	fields := []zap.Field{
		zap.String("state", string(state)), zap.Duration("duration", r.env.Clock.Since(start)),
		zap.Int("articles", len(rep.Articles)), zap.Int("failed", len(rep.Failed)),
		zap.Int("duplicates", len(rep.Duplicates)), zap.Int("pending", len(rep.Pending)),
		zap.Int("gemini_requests", u.Requests), zap.Int("prompt_tokens", u.PromptTokens),
		zap.Int("output_tokens", u.OutputTokens), zap.Float64("estimated_cost_usd", u.CostUSD),
	}
	if rep.Issue != nil {
		fields = append(fields, zap.String("issue", rep.Issue.Location))
	}
	for _, f := range rep.Failed {
		log.Warn("article left out of the issue: failed", zap.Int64("submission_id", f.SubmissionID),
			zap.String("url", f.URL), zap.String("error", f.Error))
	}
	switch state {
	case store.RunInterrupted:
		log.Warn("issue run interrupted by a stop; what it did not finish waits for the next run", append(fields, zap.Error(err))...)
	case store.RunFailed:
		log.Error("issue run failed", append(fields, zap.Error(err))...)
		if r.env.Notifier != nil {
			r.env.Notifier.Send(notify.RunFailed{RunID: run.ID, Reason: rep.Error})
		}
	default:
		log.Info("issue run finished", fields...)
	}
	return rep
}

// do finishes pending submissions, then assembles and publishes the issue.
// It returns the id of the issue published, 0 for none.
func (r *Runner) do(ctx context.Context, rep *Report, log *zap.Logger) (int64, error) {
	dctx, cancel := context.WithTimeoutCause(ctx, r.deadline,
		fmt.Errorf("run deadline of %s reached", r.deadline))
	outcomes := r.proc.Drain(dctx, log)
	cancel()
	for _, o := range outcomes {
		rep.Usage.add(o.Usage) // what an interrupted article asked Gemini cost too
		if o.Interrupted {
			rep.Returned++ // back in the queue, not processed
			continue
		}
		rep.Usage.Articles++
	}
	if err := ctx.Err(); err != nil {
		return 0, context.Cause(ctx)
	}
	return r.closeWeek(ctx, rep, log)
}
