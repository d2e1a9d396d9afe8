// Package pipeline orders the steps that turn submitted links into an issue:
// a Processor takes one submission through fetch, extract and summarise; a
// Worker processes new submissions as they arrive; a Runner assembles and
// publishes the week's issue; a Scheduler starts the Runner on the weekly
// schedule.
package pipeline

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/publisher"
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
	Cost(u summarizer.Usage) float64
}

// ExtractFunc extracts the article of a fetched page; extractor.Extract is
// one. Its errors name the page, as extractor.Extract's do.
type ExtractFunc func(body []byte, pageURL, mediaType string) (*extractor.Article, error)

// Env is what the pipeline works with. Store, Fetcher and Summarizer are
// required; Publisher is required by the Runner.
type Env struct {
	Store      *store.Store
	Fetcher    Fetcher
	Extract    ExtractFunc // nil means extractor.Extract
	Summarizer Summarizer
	Publisher  publisher.Publisher
	Metrics    *Metrics         // nil records nothing
	Log        *zap.Logger      // nil discards logs
	Now        func() time.Time // nil means time.Now; dates issues and timestamps
}

func (e Env) withDefaults() Env {
	if e.Extract == nil {
		e.Extract = extractor.Extract
	}
	if e.Log == nil {
		e.Log = zap.NewNop()
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	return e
}
