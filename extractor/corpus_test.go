package extractor_test

import (
	"bytes"
	"os"
	"testing"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
)

// corpusDir is the Readability.js test corpus, kept beside the repository
// (../shared relative to the repository root).
const corpusDir = "../../shared/corpus/readability/pages"

// loadCorpus returns the corpus, or skips the test when it is absent.
func loadCorpus(tb testing.TB) []evaluation.Case {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus directory %s not found (%v): it lives in ../shared beside the repository", corpusDir, err)
	}
	cases, err := evaluation.LoadCorpus(corpusDir)
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}

func truthText(tb testing.TB, expected []byte) string {
	tb.Helper()
	doc, err := html.Parse(bytes.NewReader(expected))
	if err != nil {
		tb.Fatal(err)
	}
	return extractor.Render(doc)
}

// TestCorpusQuality guards the default extractor's measured quality (F1
// 0.996 on all 130 pages; see cmd/extracteval). Under -race or -short it
// scores every fifth page (F1 1.000) against the same floor.
func TestCorpusQuality(t *testing.T) {
	const floor = 0.99
	cases := loadCorpus(t)
	step := 1
	if raceEnabled || testing.Short() {
		step = 5
	}
	var pages []evaluation.Page
	for i := 0; i < len(cases); i += step {
		c := cases[i]
		var text string
		a, err := extractor.Extract(c.Source, evaluation.PageURL, "text/html")
		if err != nil {
			t.Logf("%s: %v", c.Name, err)
		} else {
			text = a.Text
		}
		pages = append(pages, evaluation.Score(text, truthText(t, c.Expected)))
	}
	s := evaluation.Summarize(pages)
	t.Logf("%d pages: F1 %.3f, precision %.3f, recall %.3f", s.Pages, s.F1, s.Precision, s.Recall)
	if s.F1 < floor {
		t.Errorf("F1 = %.3f, below the floor %.2f", s.F1, floor)
	}
}
