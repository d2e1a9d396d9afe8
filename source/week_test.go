package source

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/suggest"
)

// weekItem is an item one of the week's feeds shows from its time on.
type weekItem struct {
	source int
	url    string
	title  string
	at     time.Time
	pair   int  // the labelled pair it comes from, -1 for none
	same   bool // the pair is one story
}

// TestWeek runs a week of five sources polled every two hours, on the
// fake clock: the 101 labelled title pairs of package suggest, each
// pair's two titles at two addresses in two sources some hours apart;
// ten stories cross-posted at the same address by two sources; five
// links already in the queue. It reports what the desk would show, what
// was deduplicated and how well, and accepts the ten best, as an editor
// would (go test -v -run TestWeek ./source). Sources polled in the same
// round are recorded as they answer, so a title like two others (A like
// B, B like C, A unlike C) may count once or twice: the figures of
// titles vary by one between runs; those asserted do not.
func TestWeek(t *testing.T) {
	f, err := os.Open("../suggest/testdata/titles.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() //nolint:errcheck // read-only
	const sources = 5
	week := 7 * 24 * time.Hour
	var items []weekItem
	used := map[string]bool{} // a title used twice in the set would be one story here
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if used[cols[1]] || used[cols[2]] {
			continue
		}
		used[cols[1]], used[cols[2]] = true, true
		i := len(items) / 2
		at := start.Add(time.Duration(i) * week / 110)
		items = append(items,
			weekItem{source: i % sources, url: fmt.Sprintf("https://a.example/%d", i), title: cols[1], at: at, pair: i, same: cols[0] == "1"},
			weekItem{source: (i + 1) % sources, url: fmt.Sprintf("https://b.example/%d", i), title: cols[2], at: at.Add(5 * time.Hour), pair: i, same: cols[0] == "1"})
	}
	for i := range 10 { // the same address from two sources
		at := start.Add(time.Duration(i) * 15 * time.Hour)
		u, title := fmt.Sprintf("https://cross.example/%d", i), fmt.Sprintf("Cross-posted Go article number %d on %s", i, []string{"modules", "tooling", "generics", "errors", "testing", "profiling", "wasm", "grpc", "sql", "http"}[i])
		items = append(items, weekItem{source: i % sources, url: u, title: title, at: at, pair: -1},
			weekItem{source: (i + 2) % sources, url: u + "?utm_source=feed", title: title, at: at.Add(3 * time.Hour), pair: -1})
	}
	queued := []string{"https://queued.example/1", "https://queued.example/2", "https://queued.example/3", "https://queued.example/4", "https://queued.example/5"}
	for i, u := range queued {
		items = append(items, weekItem{source: i % sources, url: u, title: fmt.Sprintf("Already submitted story %d about Go", i), at: start.Add(time.Duration(i) * 30 * time.Hour), pair: -1})
	}

	e := newEnv(t, 5*time.Second)
	ctx := context.Background()
	for _, u := range queued {
		if _, _, err := e.store.Submit(ctx, store.NewSubmission{URL: u, SubmittedBy: "member"}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var s int
		_, _ = fmt.Sscanf(r.URL.Path, "/%d", &s)
		now := e.clock.Now()
		var shown []weekItem // the latest 20, as feeds do
		for _, it := range items {
			if it.source == s && !it.at.After(now) {
				shown = append(shown, it)
			}
		}
		slices.SortFunc(shown, func(a, b weekItem) int { return b.at.Compare(a.at) })
		shown = shown[:min(20, len(shown))]
		mu.Lock()
		requests++
		mu.Unlock()
		etag := fmt.Sprintf(`"%d-%d"`, s, len(shown))
		if len(shown) > 0 {
			etag = fmt.Sprintf(`"%d-%d"`, s, shown[0].at.Unix())
		}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>week</title><link>https://example.org/</link><description>week</description>`)
		for _, it := range shown {
			fmt.Fprintf(&b, "<item><title><![CDATA[%s]]></title><link>%s</link><pubDate>%s</pubDate></item>", it.title, it.url, it.at.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		_, _ = w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	srcs := make([]config.Source, sources)
	for s := range srcs {
		srcs[s] = config.Source{Name: fmt.Sprintf("source %d", s), Kind: config.SourceFeed, URL: fmt.Sprintf("%s/%d", srv.URL, s), Every: 2 * time.Hour}
	}
	p := e.poller(t, srcs)
	for end := start.Add(week + 6*time.Hour); e.clock.Now().Before(end); {
		next, err := p.PollDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(next.Sub(e.clock.Now()))
	}

	all, err := e.store.Candidates(ctx, store.CandidateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]store.Candidate{}
	counts := map[store.CandidateState]int{}
	for _, c := range all {
		byURL[c.URL] = c
		counts[c.State]++
	}
	merged := 0 // cross-posts found at one address
	for i := range 10 {
		if len(byURL[fmt.Sprintf("https://cross.example/%d", i)].Sources) == 2 {
			merged++
		}
	}
	// How the labelled pairs came out: the second title a duplicate of
	// the first's candidate, or a candidate of its own.
	var tp, fp, fn, tn int
	for i := 0; i < len(items); i++ {
		a := items[i]
		if a.pair < 0 || !strings.HasPrefix(a.url, "https://a.") {
			continue
		}
		second := byURL[strings.Replace(a.url, "https://a.", "https://b.", 1)]
		dup := second.State == store.CandidateDuplicate && second.DuplicateOf == byURL[a.url].ID
		switch {
		case dup && a.same:
			tp++
		case dup:
			fp++
		case a.same:
			fn++
		default:
			tn++
		}
	}
	for _, u := range queued {
		if c := byURL[u]; c.State != store.CandidateDuplicate || c.Reason != "queued" {
			t.Errorf("the queued link %s: %+v", u, c)
		}
	}
	offered := counts[store.CandidateNew]
	t.Logf("a week of %d sources: %d items offered (%d addresses), %d requests (the rest of the polls answered 304)",
		sources, len(items), len(all), requests)
	t.Logf("shown: %d candidates; deduplicated: %d by address (cross-posts, one candidate with two sources), %d by title, %d already queued",
		offered, merged, counts[store.CandidateDuplicate]-len(queued), len(queued))
	t.Logf("labelled pairs (%d, no title used twice): %d merged rightly, %d wrongly, %d missed, %d kept apart rightly",
		tp+fp+fn+tn, tp, fp, fn, tn)

	// The editor accepts the ten best, as ranked at the end of the week.
	var shown []store.Candidate
	for _, c := range all {
		if c.State == store.CandidateNew {
			shown = append(shown, c)
		}
	}
	score := func(c store.Candidate) float64 {
		return suggest.Score(suggest.Signals{Weight: 1, Sources: len(c.Sources), Age: e.clock.Since(c.PublishedAt)})
	}
	slices.SortFunc(shown, func(a, b store.Candidate) int {
		switch sa, sb := score(a), score(b); {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	for _, c := range shown[:10] {
		if _, err := e.store.DecideCandidate(ctx, c.ID, store.CandidateAccepted, "kim", 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("accepted: 10 (the ten best: %d of them cross-posted)", countIf(shown[:10], func(c store.Candidate) bool { return len(c.Sources) > 1 }))

	if merged != 10 || tp < 20 || fp > 10 {
		t.Errorf("cross-posts merged %d (want 10), same stories merged %d (want ≥ 20), wrongly %d (want ≤ 10)", merged, tp, fp)
	}
}

func countIf[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}
