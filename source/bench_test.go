package source

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

// feedOf is an RSS 2.0 feed of n items, source s's own.
func feedOf(s, n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title><link>https://example.org/</link><description>bench</description>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Source %d story %d: a Go article about topic %d and its tradeoffs</title><link>https://example.org/%d/%d?utm_source=rss</link><description>&lt;p&gt;Snippet of story %d of source %d, with &lt;b&gt;markup&lt;/b&gt; to drop and a few sentences to clip at the snippet length so that it reads like a feed's description.&lt;/p&gt;</description><pubDate>%s</pubDate></item>`,
			s, i, i*7+s, s, i, i, s, start.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// peakHeap samples the heap's live objects every millisecond until stop,
// and says the most it saw, in bytes.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

const benchSources, benchItems = 20, 100

// BenchmarkPoll20Sources polls 20 feeds of 100 items each, end to end:
// fetched through the fetcher from loopback, parsed, deduplicated against
// what is known (by URL, then by title against every title seen) and
// stored as candidates in SQLite, every poll a fresh database. Its peer,
// BenchmarkParse20Sources, parses the same feeds only.
//
//	go test -run '^$' -bench 20Sources -benchmem ./source
func BenchmarkPoll20Sources(b *testing.B) {
	feeds := make([][]byte, benchSources)
	for s := range feeds {
		feeds[s] = feedOf(s, benchItems)
	}
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var s int
		_, _ = fmt.Sscanf(r.URL.Path, "/feed/%d", &s)
		served.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(feeds[s])
	}))
	defer srv.Close()
	srcs := make([]config.Source, benchSources)
	for s := range srcs {
		srcs[s] = config.Source{Name: fmt.Sprintf("feed %d", s), Kind: config.SourceFeed, URL: fmt.Sprintf("%s/feed/%d", srv.URL, s)}
	}
	stop := make(chan struct{})
	peak := peakHeap(stop)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b, 30*time.Second)
		p := New(Options{Sources: srcs, Fetcher: e.fetch, Store: e.store, Clock: e.clock})
		b.StartTimer()
		if _, err := p.PollDue(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		n, err := e.store.CountCandidates(context.Background())
		if err != nil || len(n) == 0 {
			b.Fatalf("no candidates: %v", err)
		}
		b.StartTimer()
	}
	close(stop)
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
}

func BenchmarkParse20Sources(b *testing.B) {
	feeds := make([][]byte, benchSources)
	for s := range feeds {
		feeds[s] = feedOf(s, benchItems)
	}
	src := config.Source{Name: "bench", Kind: config.SourceFeed}
	stop := make(chan struct{})
	peak := peakHeap(stop)
	for b.Loop() {
		for _, f := range feeds {
			items, err := Parse(src, f)
			if err != nil || len(items) != benchItems {
				b.Fatalf("%d items, %v", len(items), err)
			}
		}
	}
	close(stop)
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
}
