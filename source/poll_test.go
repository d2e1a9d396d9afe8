package source

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

var start = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// spaces streams n bytes of filler without holding them.
type spaces struct{ n int64 }

func (z *spaces) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), z.n)]
	for i := range p {
		p[i] = ' '
	}
	z.n -= int64(len(p))
	return len(p), nil
}

// env is a poller over a fresh database, a fake clock and the real
// fetcher, allowed to reach the loopback fakes only.
type env struct {
	clock *clockwork.FakeClock
	store *store.Store
	fetch *fetcher.Fetcher
}

func newEnv(t testing.TB, timeout time.Duration) env {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cfg := config.Default().Fetcher
	cfg.AllowedNetworks = []string{"127.0.0.1/32"}
	cfg.MaxRetries = 0
	cfg.MaxBodyBytes = 4 << 20
	cfg.Timeout, cfg.HeaderTimeout = timeout, timeout
	f, err := fetcher.New(cfg, nil, fetcher.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.CloseIdleConnections)
	return env{clock: clock, store: st, fetch: f}
}

func (e env) poller(t testing.TB, srcs []config.Source) *Poller {
	return New(Options{Sources: srcs, Fetcher: e.fetch, Store: e.store, Clock: e.clock, Log: zaptest.NewLogger(t),
		Backoff: retry.Backoff{Base: 5 * time.Minute, Max: 24 * time.Hour, Jitter: func(int64) int64 { return 0 }}})
}

func TestPollSources(t *testing.T) {
	var mu sync.Mutex
	var hnQuery string
	var conditional int
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve := func(ctype, name string) {
			w.Header().Set("Content-Type", ctype)
			_, _ = w.Write(fixture(t, name))
		}
		switch r.URL.Path {
		case "/rss":
			serve("application/rss+xml; charset=utf-8", "rss2.xml")
		case "/atom":
			if r.Header.Get("If-None-Match") == `"blog-1"` {
				mu.Lock()
				conditional++
				mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"blog-1"`)
			serve("application/atom+xml", "atom.xml")
		case "/feed.json":
			serve("application/feed+json", "jsonfeed.json")
		case "/hn/search_by_date":
			mu.Lock()
			hnQuery = r.URL.RawQuery
			mu.Unlock()
			serve("application/json; charset=utf-8", "hn.json")
		case "/malformed":
			serve("application/rss+xml", "malformed.xml")
		case "/huge": // 100 MB, streamed: the fetcher's cap stops it
			w.Header().Set("Content-Type", "application/rss+xml")
			_, _ = io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
			_, _ = io.Copy(w, &spaces{n: 100 << 20})
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	defer close(stop)
	e := newEnv(t, time.Second)
	srcs := []config.Source{
		{Name: "GeekNews", Kind: config.SourceFeed, URL: srv.URL + "/rss"},
		{Name: "Go 블로그", Kind: config.SourceFeed, URL: srv.URL + "/atom", Weight: 2},
		{Name: "Golang Weekly", Kind: config.SourceFeed, URL: srv.URL + "/feed.json"},
		{Name: "HN", Kind: config.SourceHackerNews, URL: srv.URL + "/hn", Query: "golang", MinPoints: 50},
		{Name: "깨진 피드", Kind: config.SourceFeed, URL: srv.URL + "/malformed"},
		{Name: "거대한 피드", Kind: config.SourceFeed, URL: srv.URL + "/huge"},
		{Name: "느린 피드", Kind: config.SourceFeed, URL: srv.URL + "/slow"},
		{Name: "없는 피드", Kind: config.SourceFeed, URL: srv.URL + "/gone"},
	}
	p := e.poller(t, srcs)
	ctx := context.Background()
	next, err := p.PollDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(time.Hour); !next.Equal(want) {
		t.Errorf("next poll at %s, want %s", next, want)
	}
	if !strings.Contains(hnQuery, "query=golang") || !strings.Contains(hnQuery, "tags=story") ||
		!strings.Contains(hnQuery, "numericFilters=created_at_i%3E") || !strings.Contains(hnQuery, "points%3E50") {
		t.Errorf("Hacker News asked %q", hnQuery)
	}

	polls, err := e.store.SourcePolls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"GeekNews": "", "Go 블로그": "", "Golang Weekly": "", "HN": "",
		"깨진 피드": "not a feed", "거대한 피드": "too large", "느린 피드": "timed out", "없는 피드": "404",
	} {
		got := polls[name]
		if want == "" && (got.LastError != "" || got.LastOKAt.IsZero()) {
			t.Errorf("%s: %+v, want polled", name, got)
		}
		if want != "" && (!strings.Contains(got.LastError, want) || got.Failures != 1) {
			t.Errorf("%s: failures %d, %q, want one failure for %q", name, got.Failures, got.LastError, want)
		}
	}

	cands, err := e.store.Candidates(ctx, store.CandidateFilter{States: []store.CandidateState{store.CandidateNew}})
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]store.Candidate{}
	for _, c := range cands {
		byURL[c.URL] = c
	}
	release := byURL["https://go.dev/blog/go1.26"]
	slices.Sort(release.Sources)
	if !slices.Equal(release.Sources, []string{"Go 블로그", "HN"}) || release.Points != 312 || release.Comments != 145 {
		t.Errorf("the release, offered by the blog and HN: %+v", release)
	}
	if c, ok := byURL["http://10.0.0.7/wiki/go-tips"]; !ok {
		t.Errorf("the item at a private address is not kept as a candidate: %v", byURL)
	} else if c.Title != "사내 위키 정리 (사설 주소)" {
		t.Errorf("private item: %+v", c)
	}
	if c := byURL["https://example.org/sqlc-1.30"]; c.Title == "" || c.Snippet != "sqlc compiles SQL to type-safe Go." {
		t.Errorf("JSON Feed item, tracking parameters dropped: %+v", c)
	}
	if c := byURL["https://news.ycombinator.com/item?id=42000002"]; c.Points != 120 || !strings.Contains(c.Snippet, "building with Go") {
		t.Errorf("Ask HN, the thread as the article: %+v", c)
	}
	if c := byURL["https://news.hada.io/topic?id=30001"]; !strings.HasPrefix(c.Snippet, "Go 1.26이 나왔습니다. Green Tea GC가") {
		t.Errorf("RSS item, markup dropped: %+v", c)
	}
	if len(cands) != 9 {
		for _, c := range cands {
			t.Logf("candidate %s %q %v", c.URL, c.Title, c.Sources)
		}
		t.Errorf("%d candidates, want 9", len(cands))
	}

	// An hour later the blog answers 304: nothing changes, the poll counts.
	e.clock.Advance(time.Hour)
	if _, err := p.PollDue(ctx); err != nil {
		t.Fatal(err)
	}
	polls, _ = e.store.SourcePolls(ctx)
	// GeekNews offered the same items again: nothing to write.
	if c, _, _ := e.store.CandidateByURL(ctx, "https://news.hada.io/topic?id=30001"); !c.UpdatedAt.Equal(start) {
		t.Errorf("an item offered again unchanged was written again at %s", c.UpdatedAt)
	}
	if conditional != 1 || !polls["Go 블로그"].LastOKAt.Equal(start.Add(time.Hour)) || polls["Go 블로그"].ETag != `"blog-1"` {
		t.Errorf("conditional requests %d, blog poll %+v", conditional, polls["Go 블로그"])
	}
	if polls["느린 피드"].Failures != 2 || polls["GeekNews"].Failures != 0 {
		t.Errorf("the slow feed: %+v; the others: %+v", polls["느린 피드"], polls["GeekNews"])
	}
}

// A source that fails for a day backs off, says why, and never holds up
// the others.
func TestSourceFailingForADay(t *testing.T) {
	var down, up atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			down.Add(1)
			http.Error(w, "maintenance", http.StatusInternalServerError)
			return
		}
		up.Add(1)
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write(fixture(t, "atom.xml"))
	}))
	defer srv.Close()
	e := newEnv(t, 5*time.Second)
	p := e.poller(t, []config.Source{
		{Name: "down", Kind: config.SourceFeed, URL: srv.URL + "/down", Every: time.Hour},
		{Name: "up", Kind: config.SourceFeed, URL: srv.URL + "/up", Every: time.Hour},
	})
	ctx := context.Background()
	end := start.Add(24 * time.Hour)
	for e.clock.Now().Before(end) {
		next, err := p.PollDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(next.Sub(e.clock.Now()))
	}
	polls, _ := e.store.SourcePolls(ctx)
	if got := up.Load(); got != 24 {
		t.Errorf("the healthy source was polled %d times in a day, want 24", got)
	}
	// At 0h, 1h, 2h, 3h (the backoff under the interval), then after 80m,
	// 160m, 320m and 640m: 8 polls in 24 hours.
	if got := down.Load(); got != 8 || polls["down"].Failures != int(got) {
		t.Errorf("the failing source was polled %d times (failures %d), want 8", got, polls["down"].Failures)
	}
	if !strings.Contains(polls["down"].LastError, "500") {
		t.Errorf("reason %q does not say 500", polls["down"].LastError)
	}
	if polls["up"].Failures != 0 || polls["up"].LastError != "" {
		t.Errorf("healthy source: %+v", polls["up"])
	}
}

func TestParseMalformedHN(t *testing.T) {
	_, err := Parse(config.Source{Name: "HN", Kind: config.SourceHackerNews}, []byte(`<html>`))
	if err == nil || !strings.Contains(err.Error(), "Hacker News") {
		t.Errorf("Parse of HTML as HN = %v", err)
	}
}

// TestPollLeavesOutOldItems: a feed's first poll offers its recent items
// only, not its archive; an item without a date is offered.
func TestPollLeavesOutOldItems(t *testing.T) {
	item := func(link, title string, at time.Time) string {
		d := ""
		if !at.IsZero() {
			d = "<pubDate>" + at.Format(time.RFC1123Z) + "</pubDate>"
		}
		return "<item><title>" + title + "</title><link>" + link + "</link>" + d + "</item>"
	}
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link><description>d</description>` +
		item("https://example.com/new", "A new release of the Go toolchain", start.Add(-24*time.Hour)) +
		item("https://example.com/edge", "Profiling a service on its last day", start.Add(-ExpireAfter+time.Hour)) +
		item("https://example.com/old", "An old story from the archive", start.Add(-ExpireAfter-time.Hour)) +
		item("https://example.com/undated", "A story without a date at all", time.Time{}) +
		`</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = io.WriteString(w, feed)
	}))
	t.Cleanup(srv.Close)
	e := newEnv(t, 5*time.Second)
	p := e.poller(t, []config.Source{{Name: "blog", Kind: config.SourceFeed, URL: srv.URL, Weight: 1, Every: time.Hour}})
	if _, err := p.PollDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range []string{"https://example.com/new", "https://example.com/edge", "https://example.com/old", "https://example.com/undated"} {
		if _, ok, err := e.store.CandidateByURL(context.Background(), u); err != nil {
			t.Fatal(err)
		} else if ok {
			got = append(got, u)
		}
	}
	want := []string{"https://example.com/new", "https://example.com/edge", "https://example.com/undated"}
	if !slices.Equal(got, want) {
		t.Errorf("candidates %v, want %v", got, want)
	}
}
