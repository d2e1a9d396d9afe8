// Package pipeline orders the steps that take one submitted link to an
// article ready for an issue: a Processor takes one submission through
// fetch, extract and summarise; a Worker processes new submissions as they
// arrive; Drain finishes the week's submissions for an issue run. What
// happens to the issue afterwards (freezing, review, publishing, outlets)
// is package edition's.
//
// Failures follow package retry's one model. A bad article fails with its
// reason; a transient failure is retried with backoff up to
// worker.max_attempts; an outage of a dependency (Gemini, its flex tier,
// the GitHub API, the database) pauses the work that needs it (see Pauses)
// and charges no attempt.
package pipeline

import (
	"context"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Fetcher fetches a page; *fetcher.Fetcher is one.
type Fetcher interface {
	Fetch(ctx context.Context, rawURL string) (*fetcher.Page, error)
}

// Summarizer writes an article's sections; *summarizer.Summarizer is one.
type Summarizer interface {
	Summarize(ctx context.Context, in summarizer.Input) (*summarizer.Result, error)
	Model() string
	// Dependency names the provider in outages and pauses.
	Dependency() string
}

// ExtractFunc extracts the article of a fetched page; extractor.Extract is
// one. Its errors name the page, as extractor.Extract's do.
type ExtractFunc func(body []byte, pageURL, mediaType string) (*extractor.Article, error)

// Env is what the pipeline works with. Store and Fetcher are required.
// Without a Summarizer (no API key) articles are fetched and extracted,
// and wait for Gemini.
type Env struct {
	Store      *store.Store
	Fetcher    Fetcher
	Extract    ExtractFunc // nil means extractor.Extract
	Summarizer Summarizer
	// Fallback, when set, writes the summaries while the Summarizer's
	// provider is paused by an outage (a refused key, a spent quota),
	// instead of the articles waiting; the entry records the model that
	// wrote it.
	Fallback Summarizer
	// Pauses are the dependency pauses shared by the worker, runs and the
	// status page; nil means a set of its own.
	Pauses *Pauses
	// NextIssue returns when the next issue closes (the next scheduled
	// run), ok false when unknown; within flexCutoff of it summaries use
	// Gemini's standard tier. Nil means unknown.
	NextIssue func() (t time.Time, ok bool)
	// Progress, if set, is told how a run's work goes, for a terminal.
	Progress func(Progress)
	Metrics  *Metrics        // nil records nothing
	Log      *zap.Logger     // nil discards logs
	Clock    clockwork.Clock // nil means the real clock; dates issues and timestamps
}

func (e Env) withDefaults() Env {
	if e.Extract == nil {
		e.Extract = extractor.Extract
	}
	if e.Log == nil {
		e.Log = zap.NewNop()
	}
	if e.Clock == nil {
		e.Clock = clockwork.NewRealClock()
	}
	if e.Pauses == nil {
		e.Pauses = NewPauses(e, summarizer.Dependency)
	}
	return e
}

// Progress is how far a run's work has got.
type Progress struct {
	Done, Total int
	// Current is the URL of the article started last.
	Current string
}
