package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/summarizer/eval"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
	"github.com/godevcommunity/newsletter/summarizer/openaitest"
)

// evalPages is a directory of articles: the shared corpus when it is
// beside the repository (its first 12 pages), else three local pages.
func evalPages(t *testing.T) (dir string, limit int) {
	t.Helper()
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "readability", "pages")
	if _, err := os.Stat(corpus); err == nil {
		return corpus, 12
	}
	t.Logf("no corpus at %s: three local pages instead", corpus)
	dir = t.TempDir()
	for _, title := range []string{"unique", "iterators", "generics"} {
		html := strings.ReplaceAll(articleHTML, "Go 1.23 adds the unique package", "About "+title)
		if err := os.WriteFile(filepath.Join(dir, title+".html"), []byte(html), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, 0
}

// TestEvalAgainstBothFakes runs `newsletter eval` against the fake Gemini
// and the fake OpenAI-compatible endpoint, each of which answers one
// article badly first (Gemini mixing speech levels and misspelling a
// term, the endpoint in prose), and prints the report:
//
//	go test ./cmd/newsletter -run TestEvalAgainstBothFakes -v
func TestEvalAgainstBothFakes(t *testing.T) {
	gemini, local := geminitest.NewServer(t), openaitest.NewServer(t)
	gemini.Enqueue(geminitest.JSON(map[string]string{
		"title_ko": "Go 글 소개",
		"summary":  "이 글은 Go 언어의 새 기능을 소개한다. 예제와 함께 동작 방식을 설명합니다.",
		"introduction": "이 글은 Go 언어의 새 기능이 거루틴과 함께 어떻게 동작하는지 설명합니다. " +
			"원문의 예제를 따라가며 기능의 목적과 사용 방법을 살펴보고, 주의할 점도 함께 정리합니다.",
		"recommendation": "", "caution": "",
	}))
	local.Enqueue(openaitest.Prose())
	dir, limit := evalPages(t)
	env := localEnv(map[string]string{
		"GEMINI_API_KEY":                 geminitest.APIKey,
		"GOOGLE_GEMINI_BASE_URL":         gemini.URL,
		"OPENAI_BASE_URL":                local.URL,
		"OPENAI_API_KEY":                 openaitest.APIKey,
		"NEWSLETTER_OPENAI_MODEL":        openaitest.Model,
		"NEWSLETTER_SUMMARIZER_FALLBACK": "openai",
		// The worker's tier; eval asks the standard one unless --tier flex.
		"NEWSLETTER_GEMINI_SERVICE_TIER":             "flex",
		"NEWSLETTER_GEMINI_REQUESTS_PER_MINUTE":      "0",
		"NEWSLETTER_GEMINI_TOKENS_PER_MINUTE":        "0",
		"NEWSLETTER_OPENAI_PRICE_INPUT_PER_MILLION":  "0.15",
		"NEWSLETTER_OPENAI_PRICE_OUTPUT_PER_MILLION": "0.60",
		"NEWSLETTER_LOG_LEVEL":                       "error",
	})
	args := []string{"eval", "--pages", dir, "--json"}
	if limit > 0 {
		args = append(args, "--limit", "12")
	}
	code, out, errs := runApp(t, env, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(rep.Runs) != 2 || rep.Runs[0].Provider != "gemini" || rep.Runs[1].Provider != "openai" || rep.Runs[1].Model != openaitest.Model {
		t.Fatalf("runs %+v, want gemini then openai", rep.Runs)
	}
	for _, req := range gemini.Requests() {
		if req.ServiceTier != "" {
			t.Fatalf("eval asked Gemini's %s tier, want the standard one", req.ServiceTier)
		}
	}
	for _, r := range rep.Runs {
		if r.Articles != rep.Articles || r.Articles == 0 || r.Corrected != 1 || r.Corrections != 1 ||
			r.FirstTryPass+r.Retried+r.Corrected+r.Failed != r.Articles || r.Latency.P95 < r.Latency.P50 || r.PromptTokens == 0 {
			t.Errorf("%s: %+v, want every article counted, one corrected", r.Provider, r)
		}
	}
	g := rep.Runs[0]
	if g.FirstTryRules["speech"] != 1 || g.FirstTryRules["glossary"] != 1 || g.SpeechViolations != 1 || g.GlossaryViolations != 1 {
		t.Errorf("gemini's first answers broke %v, want one speech and one glossary violation", g.FirstTryRules)
	}
	if l := g.Lengths["summary"]; l.Median == 0 || l.P95 < l.Median {
		t.Errorf("summary lengths %+v", l)
	}
	if o := rep.Runs[1]; o.FirstTryRules["json"] != 1 {
		t.Errorf("openai's first answers broke %v, want one answer in prose (rule json)", o.FirstTryRules)
	}
	if rep.Runs[1].CostUSD == 0 {
		t.Errorf("openai run cost nothing at the configured prices")
	}

	var md strings.Builder
	if err := rep.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| first-try guardrail pass | 11/12 (92%) |") && limit > 0 {
		t.Errorf("markdown lacks the first-try pass rate:\n%s", md.String())
	}
	t.Logf("newsletter eval over %d articles, fake Gemini and fake OpenAI-compatible endpoint:\n%s", rep.Articles, md.String())
}
