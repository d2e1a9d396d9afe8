package extractor_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
)

// largePage returns an HTML page of at least size bytes shaped like a
// long news page: navigation, scripts, comments and a long article.
func largePage(size int) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>A long read</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"A long read"}</script></head><body><nav><ul>`)
	for i := range 200 {
		fmt.Fprintf(&b, `<li><a href="/section/%d">Section %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></nav><main><article><h1>A long read</h1>`)
	for i := 0; b.Len() < size; i++ {
		switch i % 10 {
		case 3:
			fmt.Fprintf(&b, `<script>window.dataLayer.push({"event":"scroll","depth":%d,"payload":"%s"});</script>`, i, strings.Repeat("x", 400))
		case 6:
			fmt.Fprintf(&b, `<div class="comment"><p>Comment %d: <a href="/u/%d">user</a> says thanks.</p></div>`, i, i)
		case 9:
			fmt.Fprintf(&b, "<h2>Part %d</h2><pre><code>for i := range %d {\n\tfmt.Println(i)\n}</code></pre>", i, i)
		default:
			fmt.Fprintf(&b, `<p>Paragraph %d of the article: gophers write <em>clear</em> code, measure <a href="/m">before</a> they optimise and keep their functions small enough to read in one sitting.</p>`, i)
		}
	}
	b.WriteString(`</article></main><footer>© 2024</footer></body></html>`)
	return []byte(b.String())
}

// BenchmarkExtractLargePage extracts one 10 MiB page (the fetcher's
// default body cap) per op, with the default extractor and with Readeck
// alone, and reports the process's peak resident memory. Peak memory is
// the process's, so run one sub-benchmark per process:
//
//	go test -run '^$' -bench 'ExtractLargePage/combined' -benchtime 3x ./extractor/
//	go test -run '^$' -bench 'ExtractLargePage/readeck' -benchtime 3x ./extractor/
func BenchmarkExtractLargePage(b *testing.B) {
	page := largePage(10 << 20)
	for _, x := range []extractor.Extractor{extractor.Default, extractor.Readeck} {
		b.Run(x.Name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				a, err := x.Extract(page, "https://example.com/long", "text/html")
				if err != nil {
					b.Fatal(err)
				}
				if a.WordCount < 100000 {
					b.Fatalf("only %d words", a.WordCount)
				}
			}
			if rss, ok := evaluation.PeakRSS(); ok {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
			}
		})
	}
}
