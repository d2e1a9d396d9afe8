package candidates_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/godevcommunity/newsletter/extractor/candidates"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
)

// corpusDir is the Readability.js test corpus, kept beside the repository
// (../shared relative to the repository root).
const corpusDir = "../../../shared/corpus/readability/pages"

// benchPages are real-world articles of the corpus, of various sizes.
var benchPages = []string{
	"ars-1", "bbc-1", "cnn", "dropbox-blog", "guardian-1", "lwn-1",
	"medium-1", "mozilla-1", "nytimes-1", "v8-blog", "wikipedia",
}

// BenchmarkExtract extracts the benchPages once per op with every
// candidate, so that one run compares them. Besides time per op it
// reports the process's CPU time per page (all threads, garbage
// collection included) as cpu-ms/page.
func BenchmarkExtract(b *testing.B) {
	if _, err := os.Stat(corpusDir); err != nil {
		b.Skipf("corpus directory %s not found (%v): it lives in ../shared beside the repository", corpusDir, err)
	}
	var pages [][]byte
	var size int64
	for _, name := range benchPages {
		body, err := os.ReadFile(filepath.Join(corpusDir, name, "source.html"))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, body)
		size += int64(len(body))
	}
	for _, x := range candidates.All() {
		b.Run(x.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(size)
			cpu0, cpuOK := evaluation.CPUTime()
			n := 0
			for b.Loop() {
				for _, p := range pages {
					if _, err := x.Extract(p, evaluation.PageURL, "text/html"); err != nil {
						b.Fatal(err)
					}
				}
				n += len(pages)
			}
			if cpu1, ok := evaluation.CPUTime(); cpuOK && ok && n > 0 {
				b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(n), "cpu-ms/page")
			}
		})
	}
}
