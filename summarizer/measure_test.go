package summarizer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/godevcommunity/newsletter/config"
)

// corpusDir is the shared test corpus, next to the repository.
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "readability", "pages")

// TestPromptSizeOnCorpus measures what one article costs in prompt tokens
// against its raw HTML, for the README:
//
//	go test ./summarizer -run TestPromptSizeOnCorpus -v
//
// Article text is approximated from each page's expected.html (Mozilla
// Readability's extraction of source.html, shipped with the corpus), turned
// into paragraphs with goquery; the extractor package may yield somewhat
// different text. Token counts are EstimateTokens estimates for both sides.
func TestPromptSizeOnCorpus(t *testing.T) {
	sources, _ := filepath.Glob(filepath.Join(corpusDir, "*", "source.html"))
	if len(sources) == 0 {
		t.Skipf("no corpus pages under %s: the measurement needs ../shared/corpus beside the repository", corpusDir)
	}
	cfg := config.Default().Gemini
	var htmlBytes, htmlTokens, promptTokens, trimmed int
	var ratios []float64
	maxPrompt := 0
	for _, src := range sources {
		dir := filepath.Dir(src)
		raw, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		in := Input{URL: "https://example.com/" + filepath.Base(dir), Title: corpusTitle(t, dir), Text: corpusText(t, dir)}
		if strings.TrimSpace(in.Text) == "" {
			continue
		}
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

func corpusTitle(t *testing.T, dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "expected-metadata.json"))
	if err != nil {
		return ""
	}
	var meta struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Logf("%s: expected-metadata.json: %v", dir, err)
	}
	return meta.Title
}

// corpusText turns expected.html into paragraphs, headings marked "## ".
func corpusText(t *testing.T, dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "expected.html"))
	if err != nil {
		b, err = os.ReadFile(filepath.Join(dir, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	const blocks = "h1, h2, h3, h4, h5, h6, p, pre, li, blockquote"
	var paras []string
	doc.Find(blocks).Each(func(_ int, s *goquery.Selection) {
		if s.ParentsFiltered("p, pre, li, blockquote").Length() > 0 {
			return
		}
		text := strings.Join(strings.Fields(s.Text()), " ")
		if goquery.NodeName(s) == "pre" {
			text = strings.TrimSpace(s.Text())
		}
		if text == "" {
			return
		}
		if n := goquery.NodeName(s); len(n) == 2 && n[0] == 'h' {
			text = "## " + text
		}
		paras = append(paras, text)
	})
	if len(paras) == 0 {
		return strings.Join(strings.Fields(doc.Text()), " ")
	}
	return strings.Join(paras, "\n\n")
}
