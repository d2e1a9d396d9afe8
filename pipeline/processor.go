package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// Processor takes one claimed submission through its journey: fetch,
// extract, summarise, save. Its steps also serve one-off commands
// (Prepare, Summarize). It is safe for concurrent use; at most
// worker.concurrency submissions are processed at once, by the worker and
// runs together.
type Processor struct {
	env     Env
	cfg     config.Worker
	slots   chan struct{}
	backoff retry.Backoff
	inRun   atomic.Bool // a run is finishing the week: summaries are urgent
	large   sync.Mutex  // held while a large page is extracted
	onIdle  []func()    // told when a run ends, set up before any work
}

// NewProcessor returns a Processor; cfg (approved by config.Validate) sets
// the concurrency and the retry policy.
func NewProcessor(env Env, cfg config.Worker) *Processor {
	p := &Processor{
		env:     env.withDefaults(),
		cfg:     cfg,
		slots:   make(chan struct{}, cfg.Concurrency),
		backoff: retry.Backoff{Base: cfg.RetryBackoff, Max: maxBackoffFactor * cfg.RetryBackoff},
	}
	p.env.Pauses.Watch(p.resumed)
	return p
}

// maxBackoffFactor caps the wait between attempts of an article at this
// many worker.retry_backoffs.
const maxBackoffFactor = 16

// flexCutoff is how long before the issue closes summaries stop using the
// flex tier, whose answers may take minutes or be refused under load.
const flexCutoff = 6 * time.Hour

// Pauses returns the dependency pauses the processor honours.
func (p *Processor) Pauses() *Pauses { return p.env.Pauses }

// resumed makes the submissions waiting for a dependency that is back due
// now.
func (p *Processor) resumed(c Change) {
	if !c.Up {
		return
	}
	n, err := p.env.Store.ResumeWaiting(context.Background(), c.Dependency)
	if err != nil {
		p.env.Log.Error("resuming the submissions that waited failed", zap.String("dependency", c.Dependency), zap.Error(err))
		return
	}
	if n > 0 {
		p.env.Log.Info("submissions that waited are due again", zap.String("dependency", c.Dependency), zap.Int("submissions", n))
	}
}

// urgent reports whether the issue closes soon: summaries then use the
// standard tier.
func (p *Processor) urgent() bool {
	if p.inRun.Load() {
		return true
	}
	if p.env.NextIssue == nil {
		return false
	}
	next, ok := p.env.NextIssue()
	return ok && p.env.Clock.Until(next) < flexCutoff
}

// Stage names where a submission's processing stopped.
type Stage string

// Stages of processing.
const (
	StageFetch     Stage = "fetch"
	StageExtract   Stage = "extract"
	StageSummarize Stage = "summarize"
	StageSave      Stage = "save"
)

// Outcome is how processing one submission ended.
type Outcome struct {
	SubmissionID int64
	// State is the submission's state afterwards: summarized, duplicate,
	// failed, or new (a retry is due later, it waits for a dependency, or
	// the work was interrupted).
	State store.State
	Stage Stage // where it stopped, when it did not reach summarized
	Err   error
	// Interrupted is true when the context ended first; the submission
	// went back to new without counting the attempt.
	Interrupted bool
	// WaitingFor names the unavailable dependency it waits for.
	WaitingFor string
	Usage      summarizer.Usage
}

// StepError is a failure at one stage of the journey, classified by
// package retry.
type StepError struct {
	Stage Stage
	Err   error
}

func (e *StepError) Error() string { return e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// waitError is a step that did not start: the dependency it needs is
// paused until next (zero: until it is back).
type waitError struct {
	stage      Stage
	dependency string
	next       time.Time
	reason     string
}

func (e *waitError) Error() string {
	return fmt.Sprintf("waiting for %s: %s", e.dependency, e.reason)
}

// Process processes sub, which the caller has claimed (state processing)
// and holds a slot for, and records the outcome. Errors are recorded on
// the submission, never returned: a permanent one fails it, a transient
// one schedules a retry with backoff until worker.max_attempts, an outage
// pauses the dependency and parks the submission without charging the
// attempt, and an ended ctx puts it back to new. Every record is committed
// before Process returns.
func (p *Processor) Process(ctx context.Context, sub store.Submission) Outcome {
	return p.processLogged(ctx, sub, p.env.Log)
}

// processLogged is Process logging through base, which may carry the run_id
// of the run doing the work.
func (p *Processor) processLogged(ctx context.Context, sub store.Submission, base *zap.Logger) Outcome {
	log := base.With(zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL),
		zap.Int("attempt", sub.Attempts))
	start := p.env.Clock.Now()
	out, err := p.process(ctx, sub, log)
	out.SubmissionID = sub.ID
	if err == nil {
		p.env.Metrics.processed(out.State)
		log.Info("submission processed", zap.String("state", string(out.State)),
			zap.Duration("duration", p.env.Clock.Since(start)))
		return out
	}
	// Records outlive ctx: a shutdown must still checkpoint.
	rec := context.WithoutCancel(ctx)
	stage := StageSave
	var se *StepError
	var we *waitError
	switch {
	case errors.As(err, &we):
		stage = we.stage
	case errors.As(err, &se):
		stage = se.Stage
	}
	out.Stage, out.Err = stage, err
	c := retry.Classify(err)
	switch {
	case errors.Is(err, store.ErrStateChanged):
		// Deleted or marked duplicate meanwhile: nothing more to do.
		cur, gerr := p.env.Store.Submission(rec, sub.ID)
		out.State, out.Err = cur.State, nil
		log.Info("submission changed while processing; dropped its result",
			zap.String("state", string(cur.State)), zap.NamedError("lookup_error", gerr))
	case ctx.Err() != nil:
		out.State, out.Interrupted = store.StateNew, true
		if rerr := p.env.Store.Release(rec, sub.ID); rerr != nil {
			log.Error("checkpoint failed", zap.Error(rerr))
		}
		log.Info("processing interrupted; submission is new again", zap.String("stage", string(stage)),
			zap.NamedError("cause", context.Cause(ctx)))
	case we != nil || c.Kind == retry.Outage:
		var dep, reason string
		var next time.Time
		if we != nil {
			dep, next, reason = we.dependency, we.next, we.reason
		} else {
			dep, reason = c.Dependency, err.Error()
			p.env.Pauses.Pause(dep, err)
			next = p.env.Pauses.nextTry(dep)
		}
		out.State, out.WaitingFor = store.StateNew, dep
		if werr := p.env.Store.Wait(rec, sub.ID, dep, reason, next); werr != nil {
			log.Error("recording the wait failed", zap.Error(werr))
		}
		log.Info("submission waits for a dependency; no attempt charged", zap.String("dependency", dep),
			zap.Time("next_try", next), zap.String("reason", reason))
	case c.Kind == retry.Permanent || sub.Attempts >= p.cfg.MaxAttempts:
		out.State = store.StateFailed
		reason := err.Error()
		if c.Kind != retry.Permanent {
			reason = fmt.Sprintf("%s (gave up after %d attempts)", reason, sub.Attempts)
		}
		if ferr := p.env.Store.Fail(rec, sub.ID, reason); ferr != nil {
			log.Error("recording the failure failed", zap.Error(ferr))
		}
		p.env.Metrics.failed(stage)
		log.Warn("submission failed", zap.String("stage", string(stage)),
			zap.Bool("permanent", c.Kind == retry.Permanent), zap.Error(err))
	default:
		out.State = store.StateNew
		at := p.env.Clock.Now().Add(p.backoff.Delay(sub.Attempts, 0))
		if c.At.After(at) {
			at = c.At
		}
		if rerr := p.env.Store.Retry(rec, sub.ID, err.Error(), at); rerr != nil {
			log.Error("recording the retry failed", zap.Error(rerr))
		}
		p.env.Metrics.retried(stage)
		log.Warn("submission will be retried", zap.String("stage", string(stage)),
			zap.Time("next_attempt_at", at), zap.Error(err))
	}
	return out
}

// pauseFor pauses dependency for err, an outage of it, unless err is
// already a wait (the pause met before the step); it returns the wait,
// so that whoever records the article's state does not pause it again.
func (p *Processor) pauseFor(dependency string, err error) error {
	var we *waitError
	if errors.As(err, &we) {
		return err
	}
	p.env.Pauses.Pause(dependency, err)
	return &waitError{stage: StageSummarize, dependency: dependency, next: p.env.Pauses.nextTry(dependency), reason: err.Error()}
}

// allow asks the pauses whether a step needing dependency may start; it
// returns a waitError when not, and whether the step is a probe.
func (p *Processor) allow(stage Stage, dependency string) (probe bool, err error) {
	ok, probe, next := p.env.Pauses.Allow(dependency)
	if ok {
		return probe, nil
	}
	reason := p.env.Pauses.Reason(dependency)
	if reason == "" {
		reason = "paused"
	}
	return false, &waitError{stage: stage, dependency: dependency, next: next, reason: reason}
}

// probed reports how a probe of dependency went: err nil or not an outage
// means the dependency answered; an outage of another dependency leaves
// the question open.
func (p *Processor) probed(ctx context.Context, dependency string, err error) {
	switch c := retry.Classify(err); {
	case ctx.Err() != nil:
		p.env.Pauses.Release(dependency)
	case c != nil && c.Kind == retry.Outage && c.Dependency == dependency:
		// Processing pauses it again, longer.
	case c != nil && c.Kind == retry.Outage:
		p.env.Pauses.Release(dependency)
	default:
		p.env.Pauses.Resume(dependency)
	}
}

func (p *Processor) process(ctx context.Context, sub store.Submission, log *zap.Logger) (Outcome, error) {
	art, ok, err := p.env.Store.Article(ctx, sub.ID)
	if err != nil {
		return Outcome{}, &StepError{Stage: StageSave, Err: err}
	}
	if !ok {
		// A retry after a summariser failure reuses the saved article.
		if art, err = p.fetchStep(ctx, sub); err != nil {
			return Outcome{}, err
		}
		art.SubmissionID = sub.ID
		dupOf, err := p.env.Store.SaveArticle(ctx, art)
		if err != nil {
			return Outcome{}, &StepError{Stage: StageSave, Err: err}
		}
		if dupOf != 0 {
			log.Info("submission repeats an earlier one", zap.Int64("duplicate_of", dupOf),
				zap.String("canonical_url", art.CanonicalURL))
			return Outcome{State: store.StateDuplicate}, nil
		}
	}
	res, costs, err := p.summarizeStep(ctx, art, "", p.urgent())
	var out Outcome
	if res != nil {
		out.Usage = res.Usage // failed requests cost too
	}
	p.recordUsage(ctx, sub.ID, store.UsageSummarize, costs, log)
	if err != nil {
		return out, err
	}
	out.State = store.StateSummarized
	if err := p.env.Store.MarkSummarized(ctx, SummaryOf(sub.ID, art, res)); err != nil {
		return out, &StepError{Stage: StageSave, Err: err}
	}
	log.Debug("summarised", zap.String("model", res.Model), zap.Bool("cached", res.Cached),
		zap.Int("requests", res.Usage.Requests), zap.Int("prompt_tokens", res.Usage.PromptTokens),
		zap.Int("output_tokens", res.Usage.OutputTokens))
	return out, nil
}

// fetchStep fetches and extracts the page of sub, once its dependency (the
// GitHub API for a repository) is not paused.
func (p *Processor) fetchStep(ctx context.Context, sub store.Submission) (store.Article, error) {
	dep := fetcher.Dependency(sub.URL)
	probe, err := p.allow(StageFetch, dep)
	if err != nil {
		return store.Article{}, err
	}
	art, err := p.Prepare(ctx, sub.URL)
	if probe {
		p.probed(ctx, dep, err)
	}
	return art, err
}

// spent is what one summariser's requests cost in a step, recorded under
// its own model.
type spent struct {
	model string
	usage summarizer.Usage
}

// recordUsage records each summariser's cost under its model.
func (p *Processor) recordUsage(ctx context.Context, id int64, kind store.UsageKind, costs []spent, log *zap.Logger) {
	for _, c := range costs {
		if err := p.env.Store.RecordUsage(context.WithoutCancel(ctx), id, kind, c.model, storeUsage(c.usage)); err != nil {
			log.Error("recording the model usage failed", zap.Int64("submission_id", id), zap.String("model", c.model), zap.Error(err))
		}
	}
}

// summarizeStep summarises art with the summariser, or with the fallback
// while the summariser's provider is paused by an outage: the outage that
// sends an article to the fallback pauses the primary, so the next
// articles go straight to the fallback until a probe finds the primary
// back. The fallback only ever helps: when it does not write the summary
// (down, paused, or refusing this article) the article waits for the
// primary exactly as it would without a fallback, and the fallback's error
// is logged (an outage of it pauses it). instruction, for a regeneration,
// is an editor's request. The Result's Usage totals both summarisers;
// costs has each one's under its own model.
func (p *Processor) summarizeStep(ctx context.Context, art store.Article, instruction string, urgent bool) (*summarizer.Result, []spent, error) {
	primary := p.env.Summarizer
	res, err := p.summarizeOn(ctx, primary, art, instruction, urgent)
	var costs []spent
	if res != nil {
		costs = append(costs, spent{res.Model, res.Usage})
	}
	fb := p.env.Fallback
	dep := dependencyOf(primary)
	if fb == nil || !waitsFor(err, dep) {
		return res, costs, err
	}
	err = p.pauseFor(dep, err)
	p.env.Log.Info("summariser paused; the fallback writes the summary", zap.String("url", art.CanonicalURL),
		zap.String("paused", dep), zap.String("fallback", fb.Model()))
	fres, ferr := p.summarizeOn(ctx, fb, art, instruction, urgent)
	if fres != nil {
		costs = append(costs, spent{fres.Model, fres.Usage})
	}
	total := fres
	if res != nil { // what the primary's failed requests cost
		if total == nil {
			total = &summarizer.Result{Model: res.Model}
		}
		total.Usage.Add(res.Usage)
	}
	if ferr == nil {
		return total, costs, nil
	}
	fdep := fb.Dependency()
	if waitsFor(ferr, fdep) {
		_ = p.pauseFor(fdep, ferr) // the article waits for the primary, not the fallback
	}
	if ctx.Err() == nil {
		p.env.Log.Warn("the fallback did not write the summary; the article waits for the primary",
			zap.String("url", art.CanonicalURL), zap.String("waiting_for", dep), zap.String("fallback", fb.Model()),
			zap.String("fallback_dependency", fdep), zap.Bool("fallback_permanent", retry.IsPermanent(ferr)),
			zap.Bool("fallback_outage", retry.IsOutage(ferr)), zap.NamedError("fallback_error", ferr))
	}
	return total, costs, err
}

// dependencyOf names the provider of s in pauses; without a summariser
// (no Gemini key) it is Gemini.
func dependencyOf(s Summarizer) string {
	if s == nil {
		return summarizer.Dependency
	}
	return s.Dependency()
}

// waitsFor reports whether err means waiting for dependency: paused
// before the step started, or an outage of it met during the step.
func waitsFor(err error, dependency string) bool {
	var we *waitError
	if errors.As(err, &we) {
		return we.dependency == dependency
	}
	c := retry.Classify(err)
	return c != nil && c.Kind == retry.Outage && c.Dependency == dependency
}

// summarizeOn summarises art with s once its provider (and, for Gemini
// away from the issue's deadline, its flex tier) is not paused.
func (p *Processor) summarizeOn(ctx context.Context, s Summarizer, art store.Article, instruction string, urgent bool) (*summarizer.Result, error) {
	deps := []string{dependencyOf(s)}
	if !urgent && deps[0] == summarizer.Dependency {
		deps = append(deps, summarizer.FlexDependency)
	}
	var probes []string
	for _, dep := range deps {
		probe, err := p.allow(StageSummarize, dep)
		if err != nil {
			for _, d := range probes {
				p.env.Pauses.Release(d)
			}
			return nil, err
		}
		if probe {
			probes = append(probes, dep)
		}
	}
	res, err := p.summarizeWith(ctx, s, art, instruction, urgent)
	for _, dep := range probes {
		p.probed(ctx, dep, err)
	}
	return res, err
}

// Regenerate summarises art again for an editor waiting for it, with
// their instruction ("" for none), on the standard tier and under the same
// guardrails and pauses as the worker. It records the usage; the caller
// stores the new sections.
func (p *Processor) Regenerate(ctx context.Context, id int64, art store.Article, instruction string) (*summarizer.Result, error) {
	res, costs, err := p.summarizeStep(ctx, art, instruction, true)
	p.recordUsage(ctx, id, store.UsageRegenerate, costs, p.env.Log)
	var we *waitError
	if errors.As(err, &we) {
		return res, retry.Unavailable(we.dependency, we.next, errors.New(we.Error()))
	}
	return res, err
}

// Prepare fetches and extracts the page at rawURL: the article as the
// worker saves it, its canonical URL normalised and its text hashed. It is
// the first step of the journey for the worker and for one-off commands.
// Errors are *StepError, classified by package retry.
func (p *Processor) Prepare(ctx context.Context, rawURL string) (store.Article, error) {
	page, err := p.env.Fetcher.Fetch(ctx, rawURL)
	if err != nil {
		return store.Article{}, &StepError{Stage: StageFetch, Err: err}
	}
	a, err := p.extract(page)
	if err != nil {
		// The same bytes extract the same way next time. The error already
		// reads "extract <url>: ...".
		return store.Article{}, &StepError{Stage: StageExtract, Err: retry.Never(err)}
	}
	canonical := page.FinalURL
	if c, err := urlnorm.Normalize(a.CanonicalURL); err == nil && a.CanonicalURL != "" {
		canonical = c
	}
	text := strings.TrimSpace(a.Text)
	h := sha256.New()
	_, _ = io.WriteString(h, text) // hashed without a copy of the text
	sum := h.Sum(nil)
	art := store.Article{
		FinalURL: page.FinalURL, CanonicalURL: canonical, Title: a.Title,
		SiteName: a.SiteName, Author: a.Author, Language: a.Language, Text: text,
		TextHash: hex.EncodeToString(sum[:]), WordCount: a.WordCount, FetchedAt: page.FetchedAt,
	}
	if a.Published != nil {
		art.Published = *a.Published
	}
	if art.FetchedAt.IsZero() {
		art.FetchedAt = p.env.Clock.Now()
	}
	return art, nil
}

// largeBody is the size from which a page is extracted alone: the
// extractor's tree of a 10 MiB page takes about 200 MB, so large pages go
// through one at a time whatever worker.concurrency is.
const largeBody = 1 << 20

// extract runs the extraction step on page, one large page at a time.
func (p *Processor) extract(page *fetcher.Page) (*extractor.Article, error) {
	if len(page.Body) >= largeBody {
		p.large.Lock()
		defer p.large.Unlock()
	}
	return p.env.Extract(page.Body, page.FinalURL, page.MediaType)
}

// Summarize asks the summariser for art's sections, with an editor's
// instruction for a regeneration ("" for none); urgent asks for the
// standard tier. Without a summariser (no API key) it is an outage of
// Gemini. Errors are *StepError, classified by package retry; the Result
// is not nil when requests were made, to count their cost.
func (p *Processor) Summarize(ctx context.Context, art store.Article, instruction string, urgent bool) (*summarizer.Result, error) {
	return p.summarizeWith(ctx, p.env.Summarizer, art, instruction, urgent)
}

// summarizeWith is Summarize with s.
func (p *Processor) summarizeWith(ctx context.Context, s Summarizer, art store.Article, instruction string, urgent bool) (*summarizer.Result, error) {
	if s == nil {
		return nil, &StepError{Stage: StageSummarize, Err: retry.Unavailable(summarizer.Dependency, time.Time{}, summarizer.ErrNoAPIKey)}
	}
	started := p.env.Clock.Now()
	in := SummaryInput(art)
	in.Instruction, in.Urgent = instruction, urgent
	res, err := s.Summarize(ctx, in)
	if res != nil {
		p.env.Metrics.summarized(res, err, p.env.Clock.Since(started))
	}
	if err != nil {
		return res, &StepError{Stage: StageSummarize, Err: err}
	}
	return res, nil
}

// SummaryInput is what the summariser is given of an article.
func SummaryInput(art store.Article) summarizer.Input {
	return summarizer.Input{Title: art.Title, URL: art.CanonicalURL, SiteName: art.SiteName, Language: art.Language, Text: art.Text}
}

// Entry is the issue entry made of an article and its sections.
func Entry(a store.Article, s store.Summary) publisher.Article {
	return publisher.Article{Sections: s.Sections, Link: a.CanonicalURL, LinkText: a.Title}
}

// SummaryOf is what the store keeps of a summary of submission id.
func SummaryOf(id int64, art store.Article, res *summarizer.Result) store.Summary {
	return store.Summary{
		SubmissionID: id, TextHash: art.TextHash, PromptVersion: res.PromptVersion, Model: res.Model,
		Sections: res.Sections, Requests: res.Usage.Requests,
		PromptTokens: res.Usage.PromptTokens, OutputTokens: res.Usage.OutputTokens, Cached: res.Cached,
	}
}

func storeUsage(u summarizer.Usage) store.Usage {
	return store.Usage{Requests: u.Requests, PromptTokens: u.PromptTokens, OutputTokens: u.OutputTokens, CostUSD: u.CostUSD}
}
