package pipeline

import (
	"github.com/godevcommunity/newsletter/urlnorm"

	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Processor takes one claimed submission through its journey: fetch,
// extract, summarise, save. It is safe for concurrent use.
type Processor struct {
	env Env
	cfg config.Worker
}

// NewProcessor returns a Processor; cfg sets the retry policy.
func NewProcessor(env Env, cfg config.Worker) *Processor {
	def := config.Default().Worker
	if cfg.MaxAttempts < 1 {
		cfg.MaxAttempts = def.MaxAttempts
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = def.RetryBackoff
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = def.Concurrency
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = def.PollInterval
	}
	return &Processor{env: env.withDefaults(), cfg: cfg}
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
	// failed, or new (a retry is due later, or the work was interrupted).
	State store.State
	Stage Stage // where it stopped, when it did not reach summarized
	Err   error
	// Interrupted is true when the context ended first; the submission
	// went back to new without counting the attempt.
	Interrupted bool
	Usage       summarizer.Usage
}

// stepError is a failure at one stage, classified.
type stepError struct {
	stage     Stage
	permanent bool
	err       error
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// Process processes sub, which the caller has claimed (state processing),
// and records the outcome. Errors are recorded on the submission, never
// returned: a permanent one fails it, a transient one schedules a retry with
// backoff until worker.max_attempts, and an ended ctx puts it back to new.
// Every record is committed before Process returns.
func (p *Processor) Process(ctx context.Context, sub store.Submission) Outcome {
	return p.processLogged(ctx, sub, p.env.Log)
}

// processLogged is Process logging through base, which may carry the run_id
// of the run doing the work.
func (p *Processor) processLogged(ctx context.Context, sub store.Submission, base *zap.Logger) Outcome {
	log := base.With(zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL),
		zap.Int("attempt", sub.Attempts))
	start := time.Now()
	out, err := p.process(ctx, sub, log)
	out.SubmissionID = sub.ID
	if err == nil {
		p.env.Metrics.processed(out.State)
		log.Info("submission processed", zap.String("state", string(out.State)),
			zap.Duration("duration", time.Since(start)))
		return out
	}
	// Records outlive ctx: a shutdown must still checkpoint.
	rec := context.WithoutCancel(ctx)
	var se *stepError
	if !errors.As(err, &se) {
		se = &stepError{stage: StageSave, err: err}
	}
	out.Stage, out.Err = se.stage, err
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
		log.Info("processing interrupted; submission is new again", zap.String("stage", string(se.stage)),
			zap.NamedError("cause", context.Cause(ctx)))
	case se.permanent || sub.Attempts >= p.cfg.MaxAttempts:
		out.State = store.StateFailed
		reason := err.Error()
		if !se.permanent {
			reason = fmt.Sprintf("%s (gave up after %d attempts)", reason, sub.Attempts)
		}
		if ferr := p.env.Store.Fail(rec, sub.ID, reason); ferr != nil {
			log.Error("recording the failure failed", zap.Error(ferr))
		}
		p.env.Metrics.failed(se.stage)
		log.Warn("submission failed", zap.String("stage", string(se.stage)),
			zap.Bool("permanent", se.permanent), zap.Error(err))
	default:
		out.State = store.StateNew
		at := p.env.Now().Add(p.backoff(sub.Attempts))
		if rerr := p.env.Store.Retry(rec, sub.ID, err.Error(), at); rerr != nil {
			log.Error("recording the retry failed", zap.Error(rerr))
		}
		p.env.Metrics.retried(se.stage)
		log.Warn("submission will be retried", zap.String("stage", string(se.stage)),
			zap.Time("next_attempt_at", at), zap.Error(err))
	}
	return out
}

// maxBackoffFactor caps the exponential backoff at this many retry_backoffs.
const maxBackoffFactor = 16

// backoff is the wait after the given failed attempt: retry_backoff,
// doubled for each further attempt, capped.
func (p *Processor) backoff(attempt int) time.Duration {
	f := 1
	for i := 1; i < attempt && f < maxBackoffFactor; i++ {
		f *= 2
	}
	return time.Duration(min(f, maxBackoffFactor)) * p.cfg.RetryBackoff
}

func (p *Processor) process(ctx context.Context, sub store.Submission, log *zap.Logger) (Outcome, error) {
	art, ok, err := p.env.Store.Article(ctx, sub.ID)
	if err != nil {
		return Outcome{}, &stepError{stage: StageSave, err: err}
	}
	if !ok {
		// A retry after a summariser failure reuses the saved article.
		if art, err = p.fetch(ctx, sub); err != nil {
			return Outcome{}, err
		}
		dupOf, err := p.env.Store.SaveArticle(ctx, art)
		if err != nil {
			return Outcome{}, &stepError{stage: StageSave, err: err}
		}
		if dupOf != 0 {
			log.Info("submission repeats an earlier one", zap.Int64("duplicate_of", dupOf),
				zap.String("canonical_url", art.CanonicalURL))
			return Outcome{State: store.StateDuplicate}, nil
		}
	}
	started := time.Now()
	res, err := p.env.Summarizer.Summarize(ctx, summarizer.Input{
		Title: art.Title, URL: art.CanonicalURL, SiteName: art.SiteName, Language: art.Language, Text: art.Text,
	})
	if res != nil {
		p.env.Metrics.summarized(res, time.Since(started))
	}
	if err != nil {
		var out Outcome
		if res != nil {
			out.Usage = res.Usage // failed requests cost too
		}
		return out, &stepError{stage: StageSummarize, permanent: summarizer.IsPermanent(err), err: err}
	}
	out := Outcome{State: store.StateSummarized, Usage: res.Usage}
	err = p.env.Store.MarkSummarized(ctx, store.Summary{
		SubmissionID: sub.ID, TextHash: art.TextHash, PromptVersion: res.PromptVersion, Model: res.Model,
		TitleKo: res.TitleKo, Summary: res.Summary, Introduction: res.Introduction,
		Recommendation: res.Recommendation, Caution: res.Caution, Requests: res.Usage.Requests,
		PromptTokens: res.Usage.PromptTokens, OutputTokens: res.Usage.OutputTokens, Cached: res.Cached,
	})
	if err != nil {
		return out, &stepError{stage: StageSave, err: err}
	}
	log.Debug("summarised", zap.String("model", res.Model), zap.Bool("cached", res.Cached),
		zap.Int("requests", res.Usage.Requests), zap.Int("prompt_tokens", res.Usage.PromptTokens),
		zap.Int("output_tokens", res.Usage.OutputTokens))
	return out, nil
}

// fetch fetches and extracts the page of sub.
func (p *Processor) fetch(ctx context.Context, sub store.Submission) (store.Article, error) {
	page, err := p.env.Fetcher.Fetch(ctx, sub.URL)
	if err != nil {
		return store.Article{}, &stepError{stage: StageFetch, permanent: fetcher.IsPermanent(err), err: err}
	}
	a, err := p.env.Extract(page.Body, page.FinalURL, page.MediaType)
	if err != nil {
		// The same bytes extract the same way next time. The error already
		// reads "extract <url>: ...".
		return store.Article{}, &stepError{stage: StageExtract, permanent: true, err: err}
	}
	canonical := page.FinalURL
	if c, err := urlnorm.Normalize(a.CanonicalURL); err == nil && a.CanonicalURL != "" {
		canonical = c
	}
	text := strings.TrimSpace(a.Text)
	sum := sha256.Sum256([]byte(text))
	art := store.Article{
		SubmissionID: sub.ID, FinalURL: page.FinalURL, CanonicalURL: canonical, Title: a.Title,
		SiteName: a.SiteName, Author: a.Author, Language: a.Language, Text: text,
		TextHash: hex.EncodeToString(sum[:]), WordCount: a.WordCount, FetchedAt: page.FetchedAt,
	}
	if a.Published != nil {
		art.Published = *a.Published
	}
	if art.FetchedAt.IsZero() {
		art.FetchedAt = p.env.Now()
	}
	return art, nil
}
