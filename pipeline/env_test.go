package pipeline

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// t0 is Monday 2 September 2024, 06:00 in Seoul: a scheduled slot.
var t0 = time.Date(2024, 9, 2, 6, 0, 0, 0, seoul)

var seoul, _ = time.LoadLocation("Asia/Seoul")

// site serves article pages on a loopback httptest server.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]page
	hits  map[string]int
}

type page struct {
	title     string
	canonical string // path of the canonical URL; empty for none
	status    int    // 0 means 200
	body      string // served as is instead of an article, when set
	// block, if set, holds the response until it is closed or the request
	// ends; entered is closed when the request arrives.
	block   chan struct{}
	entered chan struct{}
}

func newSite(t testing.TB) *site {
	s := &site{pages: map[string]page{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// add serves an article titled title at path.
func (s *site) add(path, title string) string { return s.set(path, page{title: title}) }

func (s *site) set(path string, p page) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
	return s.URL + path
}

func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	if p.entered != nil {
		select {
		case <-p.entered:
		default:
			close(p.entered)
		}
	}
	if p.block != nil {
		select {
		case <-p.block:
		case <-r.Context().Done():
			return
		}
	}
	if !ok || p.status == http.StatusNotFound {
		http.NotFound(w, r)
		return
	}
	if p.status != 0 {
		http.Error(w, http.StatusText(p.status), p.status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if p.body != "" {
		fmt.Fprint(w, p.body)
		return
	}
	fmt.Fprint(w, articleHTML(p.title, s.URL, p.canonical))
}

func articleHTML(title, base, canonical string) string {
	var link string
	if canonical != "" {
		link = `<link rel="canonical" href="` + base + canonical + `">`
	}
	t := html.EscapeString(title)
	return `<!doctype html><html lang="en"><head><title>` + t + `</title>` + link + `
<meta property="og:site_name" content="Example Blog"></head><body><article><h1>` + t + `</h1>
<p>` + t + ` is the subject of this post. It shows how to use it in everyday code, and where other tools remain the better choice for the job.</p>
<p>We start with a small program and continue with a larger service. Each example explains the trade-offs it makes and the alternatives considered.</p>
<p>Finally we look at the costs at build time and at run time, and at the rules that keep the code short and readable for the whole team.</p>
</article></body></html>`
}

// harness is a pipeline wired to loopback fakes: the article site, the fake
// Gemini and a temporary database and issue directory.
type harness struct {
	t      testing.TB
	clock  *clockwork.FakeClock
	store  *store.Store
	site   *site
	gemini *geminitest.Server
	summ   *summarizer.Summarizer
	dir    string
	cfg    config.Config
	env    Env
	proc   *Processor
	runner *Runner
}

type harnessOption func(*config.Config)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, clock: clockwork.NewFakeClockAt(t0), site: newSite(t), gemini: geminitest.NewServer(t)}
	h.dir = filepath.Join(t.TempDir(), "issues")
	cfg := config.Default()
	cfg.Fetcher.AllowedNetworks = []string{"127.0.0.1/32"}
	cfg.Fetcher.MaxRetries = 0
	cfg.Gemini = h.gemini.Config()
	cfg.Gemini.MaxAttempts = 1
	cfg.Publisher.Dir = h.dir
	cfg.Worker.RetryBackoff = time.Minute
	cfg.Worker.PollInterval = time.Hour // tests wake the worker explicitly
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
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.db"), store.WithClock(h.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.store = st
	f, err := fetcher.New(cfg.Fetcher, log)
	if err != nil {
		t.Fatal(err)
	}
	h.summ, err = summarizer.New(ctx, cfg.Gemini, st, log)
	if err != nil {
		t.Fatal(err)
	}
	h.env = Env{Store: st, Fetcher: f, Summarizer: h.summ, Publisher: publisher.NewFilePublisher(h.dir),
		Log: log, Now: h.clock.Now}
	h.rebuild()
	return h
}

// rebuild makes a new Processor and Runner on the same database, as a
// restarted process would.
func (h *harness) rebuild() {
	h.t.Helper()
	h.proc = NewProcessor(h.env, h.cfg.Worker)
	r, err := NewRunner(h.proc, h.cfg.Schedule, h.cfg.Publisher)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(r.Close)
	h.runner = r
}

// submit records a submission of raw, normalised as the API does.
func (h *harness) submit(raw string) store.Submission {
	h.t.Helper()
	u, err := fetcher.NormalizeURL(raw)
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

// files lists the issue files written.
func (h *harness) files() []string {
	h.t.Helper()
	entries, err := os.ReadDir(h.dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func (h *harness) read(name string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
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

// headings returns the "## " article headings of an issue.
func headings(md string) []string {
	var hs []string
	for line := range strings.SplitSeq(md, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok && h != "주의" {
			hs = append(hs, h)
		}
	}
	return hs
}
