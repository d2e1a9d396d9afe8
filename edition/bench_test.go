package edition

import (
	"context"
	"flag"
	"fmt"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

var (
	benchArticles    = flag.Int("edition.articles", 30, "articles per run in BenchmarkRun30 (3 with -short)")
	benchRateLimited = flag.Bool("edition.ratelimited", false,
		"also run BenchmarkRun30/rpm=15, which waits 4s per Gemini request by design")
)

// BenchmarkRun30 measures one issue run of 30 fresh articles (fetch from a
// loopback site, extract, summarise with the fake Gemini, publish) without
// a request limit and under a 15 requests/minute limit. Each iteration uses
// a new database, so the summary cache is cold. For wall time and peak RSS:
//
//	go test -c -o edition.test ./edition
//	/usr/bin/time -v ./edition.test -test.run '^$' -test.bench 'BenchmarkRun30/rpm=0$' -test.benchtime 1x
//	/usr/bin/time -v ./edition.test -test.run '^$' -test.bench 'BenchmarkRun30/rpm=15$' -test.benchtime 1x -edition.ratelimited
func BenchmarkRun30(b *testing.B) {
	n := *benchArticles
	if testing.Short() {
		n = 3
	}
	for _, rpm := range []int{0, 15} {
		b.Run(fmt.Sprintf("rpm=%d", rpm), func(b *testing.B) {
			if rpm > 0 && !*benchRateLimited {
				b.Skipf("waits %ds per run for the rate limit; pass -edition.ratelimited to run it", n*60/rpm)
			}
			var requests int
			for b.Loop() {
				b.StopTimer()
				h := newHarness(b, func(c *config.Config) { c.Gemini.RequestsPerMinute = rpm })
				for i := range n {
					path := fmt.Sprintf("/posts/%d", i)
					h.submit(h.Site.Add(path, fmt.Sprintf("Article number %d about Go", i)))
				}
				b.StartTimer()
				rep, err := h.runner.Run(context.Background(), store.RunManual, t0)
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Articles) != n {
					b.Fatalf("issue has %d articles, want %d", len(rep.Articles), n)
				}
				requests += rep.Usage.Requests
			}
			b.ReportMetric(float64(requests)/float64(b.N), "gemini-requests/op")
			b.ReportMetric(float64(n), "articles/op")
		})
	}
}
