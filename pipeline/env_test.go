package pipeline

import (
	"github.com/godevcommunity/newsletter/urlnorm"

	"context"
	"path/filepath"
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
)

// t0 is Monday 2 September 2024, 06:00 in Seoul: a scheduled slot.
var t0 = time.Date(2024, 9, 2, 6, 0, 0, 0, seoul)

var seoul, _ = time.LoadLocation("Asia/Seoul")

// harness is a pipeline wired to loopback fakes: the article site, the fake
// Gemini and a temporary database and issue directory.
type harness struct {
	t      testing.TB
	clock  *clockwork.FakeClock
	store  *store.Store
	site   *testsite.Site
	gemini *geminitest.Server
	summ   *summarizer.Summarizer
	dir    string
	cfg    config.Config
	env    Env
	proc   *Processor
}

type harnessOption func(*config.Config)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, clock: clockwork.NewFakeClockAt(t0), site: testsite.New(t), gemini: geminitest.NewServer(t)}
	h.dir = filepath.Join(t.TempDir(), "issues")
	cfg := config.Default()
	cfg.Fetcher.AllowedNetworks = []string{"127.0.0.1/32"}
	cfg.Fetcher.MaxRetries = 0
	cfg.Gemini = h.gemini.Config()
	cfg.Gemini.MaxAttempts = 1
	cfg.Publisher.Dir = h.dir
	cfg.Worker.RetryBackoff = time.Minute
	cfg.Worker.PollInterval = time.Hour // tests wake the worker explicitly
	cfg.Schedule.Mode = config.ModeAuto // review mode has tests of its own
	for _, o := range opts {
		o(&cfg)
	}
	h.cfg = cfg

	var log *zap.Logger
	if tt, ok := t.(*testing.T); ok && testing.Verbose() {
		log = zaptest.NewLogger(tt)
	} else {
		log = zap.NewNop()
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.db"), store.WithClock(h.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.store = st
	f, err := fetcher.New(cfg.Fetcher, log, fetcher.WithClock(h.clock))
	if err != nil {
		t.Fatal(err)
	}
	h.summ, err = summarizer.New(ctx, cfg.Gemini, st, log, summarizer.WithClock(h.clock))
	if err != nil {
		t.Fatal(err)
	}
	h.env = Env{Store: st, Fetcher: f, Summarizer: h.summ, Log: log, Clock: h.clock}
	h.rebuild()
	return h
}

// rebuild makes a new Processor on the same database, as a restarted
// process would.
func (h *harness) rebuild() {
	h.t.Helper()
	h.proc = NewProcessor(h.env, h.cfg.Worker)
	h.proc.backoff.Jitter = func(int64) int64 { return 0 } // exact retry times
}

// submit records a submission of raw, normalised as the API does.
func (h *harness) submit(raw string) store.Submission {
	h.t.Helper()
	u, err := urlnorm.Normalize(raw)
	if err != nil {
		h.t.Fatal(err)
	}
	sub, _, err := h.store.Submit(context.Background(), store.NewSubmission{URL: u})
	if err != nil {
		h.t.Fatal(err)
	}
	return sub
}

// state returns the state of a submission.
func (h *harness) state(id int64) store.Submission {
	h.t.Helper()
	sub, err := h.store.Submission(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return sub
}

// eventually waits for cond, failing the test after a generous bound. It
// checks for completion of background work; it asserts nothing about speed.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
