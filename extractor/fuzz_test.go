package extractor_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/extractor"
)

// FuzzExtract checks that no input makes Extract panic (Extract recovers
// panics into errors, so the check is on the error text) and that a
// returned article is consistent. Only the seeds run in CI.
func FuzzExtract(f *testing.F) {
	f.Add([]byte("<html><body><p>Hello, <b>world</b>.</p><pre>\tcode</pre></body></html>"), "text/html")
	f.Add([]byte("<ul><li><ol start=2><li>x<table><td><pre><code>y"), "text/html")
	f.Add([]byte("# Title\n<!-- c\n[![b](x)](y)\n```\ncode\n"), "text/markdown")
	f.Add([]byte("plain\r\ntext"), "text/plain")
	f.Add([]byte("\xff\xfe<\x00p\x00>"), "")
	if b, err := os.ReadFile("testdata/gopost.html"); err == nil {
		f.Add(b, "text/html")
	}
	for _, name := range []string{"001", "replace-brs"} {
		if b, err := os.ReadFile(filepath.Join(corpusDir, name, "source.html")); err == nil {
			f.Add(b, "text/html")
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, mediaType string) {
		a, err := extractor.Extract(body, "https://example.com/fuzz", mediaType)
		if err != nil {
			if strings.Contains(err.Error(), "panicked") {
				t.Fatal(err)
			}
			return
		}
		if a.WordCount == 0 || a.URL != "https://example.com/fuzz" {
			t.Fatalf("inconsistent article: %+v", a)
		}
	})
}
