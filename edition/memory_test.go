package edition

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
	"github.com/godevcommunity/newsletter/internal/testsite"
	"github.com/godevcommunity/newsletter/store"
)

// largePage returns an HTML page of about size bytes shaped like a long
// news page: navigation, scripts, comments and a long article.
func largePage(i, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><title>A long read %d</title></head><body><nav><ul>`, i)
	for k := range 200 {
		fmt.Fprintf(&b, `<li><a href="/section/%d">Section %d</a></li>`, k, k)
	}
	fmt.Fprintf(&b, `</ul></nav><main><article><h1>A long read %d</h1>`, i)
	for k := 0; b.Len() < size; k++ {
		switch k % 10 {
		case 3:
			fmt.Fprintf(&b, `<script>window.dataLayer.push({"depth":%d,"payload":"%s"});</script>`, k, strings.Repeat("x", 400))
		case 6:
			fmt.Fprintf(&b, `<div class="comment"><p>Comment %d: <a href="/u/%d">user</a> says thanks.</p></div>`, k, k)
		default:
			fmt.Fprintf(&b, `<p>Paragraph %d of article %d: gophers write <em>clear</em> code, measure <a href="/m">before</a> they optimise.</p>`, k, i)
		}
	}
	b.WriteString(`</article></main><footer>© 2024</footer></body></html>`)
	return b.String()
}

// BenchmarkLargePages takes pages of just under the fetcher's 10 MiB cap
// through a whole run (fetch, extract, summarise with the fake Gemini,
// publish), worker.concurrency of them at once, and reports the process's
// peak resident memory. It is the process's peak, so run one
// sub-benchmark per process:
//
//	go test -run '^$' -bench 'LargePages/pages=1$' -benchtime 1x ./edition/
//	go test -run '^$' -bench 'LargePages/pages=2$' -benchtime 1x ./edition/
//	go test -run '^$' -bench 'LargePages/pages=8$' -benchtime 1x ./edition/
func BenchmarkLargePages(b *testing.B) {
	for _, n := range []int{1, 2, 8} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				h := newHarness(b, func(c *config.Config) { c.Worker.Concurrency = n })
				for i := range n {
					h.submit(h.Site.Set(fmt.Sprintf("/long/%d", i), testsite.Page{Body: largePage(i, 10<<20-64<<10)}))
				}
				b.StartTimer()
				rep, err := h.runner.Run(context.Background(), store.RunManual, t0)
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Articles) != n {
					b.Fatalf("issue has %d articles (%+v), want %d", len(rep.Articles), rep.Failed, n)
				}
			}
			if rss, ok := evaluation.PeakRSS(); ok {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
			}
		})
	}
}
