package summarizer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/extractor"
)

// corpusDir is the shared test corpus, next to the repository.
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "readability", "pages")

// corpusPage is one corpus page: its raw HTML and the summariser's input
// the extractor makes of it, as in production.
type corpusPage struct {
	dir  string
	html []byte
	in   Input
}

// loadCorpus extracts every corpus page; it skips the test when the corpus
// is absent.
func loadCorpus(t *testing.T) []corpusPage {
	t.Helper()
	sources, _ := filepath.Glob(filepath.Join(corpusDir, "*", "source.html"))
	if len(sources) == 0 {
		t.Skipf("no corpus pages under %s: the measurement needs ../shared/corpus beside the repository", corpusDir)
	}
	var pages []corpusPage
	for _, src := range sources {
		raw, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Dir(src)
		a, err := extractor.Extract(raw, "https://example.com/"+filepath.Base(dir), "text/html")
		if err != nil {
			continue // pages with no readable text are not summarised
		}
		in := Input{Title: a.Title, URL: a.CanonicalURL, SiteName: a.SiteName, Language: a.Language, Text: a.Text}
		pages = append(pages, corpusPage{dir: dir, html: raw, in: in})
	}
	return pages
}

// TestPromptSizeOnCorpus measures what one article costs in prompt tokens
// against its raw HTML, for the README:
//
//	go test ./summarizer -run TestPromptSizeOnCorpus -v
//
// Article text is what the extractor makes of each source.html. Token
// counts are EstimateTokens estimates for both sides.
func TestPromptSizeOnCorpus(t *testing.T) {
	pages := loadCorpus(t)
	cfg := config.Default().Gemini
	var htmlBytes, htmlTokens, promptTokens, trimmed int
	var ratios []float64
	maxPrompt := 0
	for _, pg := range pages {
		dir, raw, in := pg.dir, pg.html, pg.in
		p, err := Preview(cfg, in)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if p.TextTokens > cfg.InputTokenBudget {
			t.Errorf("%s: article text is %d tokens, over the budget of %d", dir, p.TextTokens, cfg.InputTokenBudget)
		}
		h := EstimateTokens(string(raw))
		htmlBytes += len(raw)
		htmlTokens += h
		promptTokens += p.EstimatedTokens
		maxPrompt = max(maxPrompt, p.EstimatedTokens)
		ratios = append(ratios, float64(p.EstimatedTokens)/float64(h))
		if p.Truncated {
			trimmed++
		}
	}
	if len(ratios) == 0 {
		t.Fatalf("no page of %s had text", corpusDir)
	}
	slices.Sort(ratios)
	total := float64(promptTokens) / float64(htmlTokens)
	if total >= 1 {
		t.Errorf("prompts total %d tokens, more than the raw HTML's %d", promptTokens, htmlTokens)
	}
	t.Logf("pages: %d (%d trimmed to input_token_budget %d)", len(ratios), trimmed, cfg.InputTokenBudget)
	t.Logf("raw HTML: %d bytes, ~%d tokens if sent as is", htmlBytes, htmlTokens)
	t.Logf("prompts: ~%d tokens in all, %d per page on average, %d at most",
		promptTokens, promptTokens/len(ratios), maxPrompt)
	t.Logf("prompt tokens / raw HTML tokens: %.3f overall, median per page %.3f",
		total, ratios[len(ratios)/2])
	t.Logf("input cost at $%.2f per million tokens: $%.4f for the corpus, $%.5f per page",
		cfg.PriceInputPerMillion, float64(promptTokens)*cfg.PriceInputPerMillion/1e6,
		float64(promptTokens)*cfg.PriceInputPerMillion/1e6/float64(len(ratios)))
}

// TestCacheHitRateOnCorpus summarises the corpus twice through the fake
// Gemini server with one cache, as two weekly runs over the same articles
// would, and reports the second pass's hit rate:
//
//	go test ./summarizer -run TestCacheHitRateOnCorpus -v
func TestCacheHitRateOnCorpus(t *testing.T) {
	pages := loadCorpus(t)
	if testing.Short() {
		pages = pages[:10]
	}
	cache := newMemCache()
	h := newHarness(t, cache, nil)
	ctx := context.Background()
	var done []Input
	for _, pg := range pages {
		if _, err := h.s.Summarize(ctx, pg.in); err == nil {
			done = append(done, pg.in)
		}
	}
	first := len(h.srv.GenerateRequests())
	hits := 0
	for _, in := range done {
		if res, err := h.s.Summarize(ctx, in); err == nil && res.Cached {
			hits++
		}
	}
	second := len(h.srv.GenerateRequests()) - first
	if len(done) == 0 || hits != len(done) || second != 0 {
		t.Errorf("second pass: %d cache hits for %d summarised pages, %d requests", hits, len(done), second)
	}
	t.Logf("first pass: %d pages, %d summarised, %d requests", len(pages), len(done), first)
	t.Logf("second pass: %d/%d cache hits (%.0f%%), %d requests", hits, len(done), 100*float64(hits)/float64(len(done)), second)
}
