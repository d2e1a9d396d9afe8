// Package testenv builds the parts the package tests share: a store on a
// temporary directory kept by a fake clock, a fetcher, a site of articles
// on loopback, the fake Gemini of package geminitest and a summarizer
// asking it, the test configuration, and helpers that read metrics. It is
// for tests only: no code outside a _test.go file imports it.
//
// It builds no pipeline, runner or desk, so that the tests of those
// packages can use it; each package's harness wires its own on top.
package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/internal/testsite"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// Seoul is the newsletter's time zone, the one the tests' times are in.
var Seoul = loadSeoul()

func loadSeoul() *time.Location {
	loc, err := time.LoadLocation("Asia/Seoul")
	if err != nil { // no time zone database: Seoul keeps no daylight saving time
		return time.FixedZone("Asia/Seoul", 9*60*60)
	}
	return loc
}

// Options say what an Env holds beyond the store, the clock and the
// fetcher.
type Options struct {
	// Start is the fake clock's time.
	Start time.Time
	// Gemini serves the fake Gemini and points the configuration at it
	// (see UseGemini).
	Gemini bool
	// Loopback lets the fetcher reach 127.0.0.1, where the test servers
	// are; without it loopback addresses are refused, as in production.
	Loopback bool
	// Site serves a site of articles on loopback (package testsite) and
	// lets the fetcher reach it.
	Site bool
	// Log logs to the test in verbose runs; otherwise nothing is logged.
	Log bool
	// Change adjusts the configuration last, before anything is built
	// from it.
	Change []func(*config.Config)
}

// Env is what New built.
type Env struct {
	T     testing.TB
	Clock *clockwork.FakeClock
	Dir   string // the temporary directory: the database, and issues/ for the file publisher
	// Config is what the parts were built from; a harness builds its own
	// from it too, and may change it first.
	Config config.Config
	Log    *zap.Logger
	Store  *store.Store
	// Fetcher fetches once a URL (no retries: a retry would wait on the
	// fake clock).
	Fetcher *fetcher.Fetcher
	Site    *testsite.Site     // nil without Options.Site
	Gemini  *geminitest.Server // nil without Options.Gemini
	// Summarizer asks the configured Gemini; nil when the configuration
	// names none (as without a key).
	Summarizer *summarizer.Summarizer
}

// New builds an Env that lasts until the test ends.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{T: t, Clock: clockwork.NewFakeClockAt(o.Start), Dir: t.TempDir(), Log: zap.NewNop()}
	if tt, ok := t.(*testing.T); ok && o.Log && testing.Verbose() {
		e.Log = zaptest.NewLogger(tt)
	}
	cfg := config.Default()
	cfg.Publisher.Dir = filepath.Join(e.Dir, "issues")
	cfg.Fetcher.MaxRetries = 0
	if o.Site {
		e.Site = testsite.New(t)
	}
	if o.Loopback || o.Site {
		cfg.Fetcher.AllowedNetworks = []string{"127.0.0.1/32"}
	}
	if o.Gemini {
		e.Gemini = geminitest.NewServer(t)
		UseGemini(e.Gemini)(&cfg)
	}
	for _, change := range o.Change {
		if change != nil {
			change(&cfg)
		}
	}
	e.Config = cfg

	st, err := store.Open(ctx, filepath.Join(e.Dir, "test.db"), store.WithClock(e.Clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close the store: %v", err)
		}
	})
	e.Store = st
	if e.Fetcher, err = fetcher.New(cfg.Fetcher, e.Log, fetcher.WithClock(e.Clock)); err != nil {
		t.Fatal(err)
	}
	if cfg.Gemini.BaseURL != "" {
		if e.Summarizer, err = summarizer.New(ctx, cfg.Gemini, st, e.Log, summarizer.WithClock(e.Clock)); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// UseGemini points the configuration at g, a fake Gemini on loopback,
// asked once a request (no retries).
func UseGemini(g *geminitest.Server) func(*config.Config) {
	return func(c *config.Config) {
		c.Gemini = g.Config()
		c.Gemini.MaxAttempts = 1
	}
}

// WorkerByHand sets the worker and the schedule for tests that drive them:
// the worker sleeps until a test wakes it, a failed article is retried a
// minute later, and a run publishes without review (review mode has tests
// of its own).
func WorkerByHand(c *config.Config) {
	c.Worker.RetryBackoff = time.Minute
	c.Worker.PollInterval = time.Hour
	c.Schedule.Mode = config.ModeAuto
}

// Submit records a submission of raw, normalised as the API does.
func (e *Env) Submit(raw string) store.Submission {
	e.T.Helper()
	u, err := urlnorm.Normalize(raw)
	if err != nil {
		e.T.Fatal(err)
	}
	sub, _, err := e.Store.Submit(context.Background(), store.NewSubmission{URL: u})
	if err != nil {
		e.T.Fatal(err)
	}
	return sub
}

// Submission reads the submission id.
func (e *Env) Submission(id int64) store.Submission {
	e.T.Helper()
	sub, err := e.Store.Submission(context.Background(), id)
	if err != nil {
		e.T.Fatal(err)
	}
	return sub
}

// Summarized stores what the worker stores of submission id once it has
// claimed, fetched and summarised it: the article a, then its summary s.
// Their submission ids are set to id; a's word count, fetch time (now) and
// text hash (of its text) and s's text hash are filled in where unset.
func (e *Env) Summarized(id int64, a store.Article, s store.Summary) {
	e.T.Helper()
	ctx := context.Background()
	if _, ok, err := e.Store.Claim(ctx, id, e.Clock.Now()); err != nil || !ok {
		e.T.Fatalf("claim %d: %v %v", id, ok, err)
	}
	a.SubmissionID, s.SubmissionID = id, id
	if a.TextHash == "" {
		sum := sha256.Sum256([]byte(a.Text))
		a.TextHash = hex.EncodeToString(sum[:])
	}
	if a.WordCount == 0 {
		a.WordCount = len(strings.Fields(a.Text))
	}
	if a.FetchedAt.IsZero() {
		a.FetchedAt = e.Clock.Now()
	}
	if s.TextHash == "" {
		s.TextHash = a.TextHash
	}
	if _, err := e.Store.SaveArticle(ctx, a); err != nil {
		e.T.Fatal(err)
	}
	if err := e.Store.MarkSummarized(ctx, s); err != nil {
		e.T.Fatal(err)
	}
}
