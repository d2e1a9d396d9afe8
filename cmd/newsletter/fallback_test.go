package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
	"github.com/godevcommunity/newsletter/summarizer/openaitest"
)

// TestServeFallbackWhenQuotaRunsOut is the fault test of the fallback
// through serve: Gemini's daily quota runs out mid-week, the
// OpenAI-compatible fallback writes the rest, nothing fails or waits, and
// the issue's disclaimer names both models.
func TestServeFallbackWhenQuotaRunsOut(t *testing.T) {
	gemini, local := geminitest.NewServer(t), openaitest.NewServer(t)
	local.Ollama(true)
	clock := clockwork.NewFakeClockAt(issueDate)
	cfg := daemonTestConfig(t.TempDir(), gemini.URL)
	cfg.Summarizer.Fallback = config.ProviderOpenAI
	cfg.OpenAI = openaitest.Config(local.URL)
	cfg.OpenAI.APIKey = ""
	s := &outageService{t: t, clock: clock, gemini: gemini, site: newArticleSite(t)}
	_, s.api, _, s.stop = serveForTest(t, cfg, clock)

	// Monday to Wednesday: Gemini writes.
	s.submitN(3)
	waitFor(t, "Gemini to summarise the first three", func() bool { return s.status().Submissions["summarized"] == 3 })
	if n := len(local.Completions()); n != 0 {
		t.Fatalf("%d requests to the fallback while Gemini answered", n)
	}

	// Wednesday: the daily quota is spent until tomorrow.
	gemini.ExhaustQuotaUntil(clock.Now().Add(20*time.Hour), clock.Now)
	for i := 3; i < 8; i++ {
		u := s.site.Add(fmt.Sprintf("/later/%d", i), fmt.Sprintf("Later article number %d about Go", i))
		if code, body := s.api.doJSON("POST", "/api/v1/submissions", map[string]string{"url": u}); code != http.StatusCreated {
			t.Fatalf("submit %s: %d %s", u, code, body)
		}
	}
	waitFor(t, "the fallback to summarise the other five", func() bool { return s.status().Submissions["summarized"] == 8 })
	st := s.status()
	if st.Submissions["failed"] != 0 || len(st.Waiting) != 0 {
		t.Errorf("submissions %v, waiting %v: want none failed and none waiting", st.Submissions, st.Waiting)
	}
	if g := s.gemini0(); g.Up || !strings.Contains(g.Reason, "quota is used up") {
		t.Errorf("gemini = %+v, want paused on its quota", g)
	}
	if got := gemini.QuotaRefusals(); got > 2 {
		t.Errorf("%d requests refused by Gemini; after the first refusals the pause sends the articles straight to the fallback", got)
	}
	if n := len(local.Completions()); n != 5 {
		t.Errorf("%d requests to the fallback, want 5", n)
	}
	for id, a := range s.attempts() {
		if a != "summarized/1" {
			t.Errorf("submission %d: %s, want summarized at the first attempt", id, a)
		}
	}

	// The entries say which model wrote them; the issue names both.
	_, body := s.api.do("GET", "/api/v1/issues/draft")
	var draft struct {
		Entries []struct {
			Model string `json:"model"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(body, &draft); err != nil {
		t.Fatal(err)
	}
	models := map[string]int{}
	for _, e := range draft.Entries {
		models[e.Model]++
	}
	if models[cfg.Gemini.Model] != 3 || models[openaitest.Model] != 5 {
		t.Errorf("the draft's entries were written by %v, want 3 by %s and 5 by %s", models, cfg.Gemini.Model, openaitest.Model)
	}
	code, body := s.api.do("POST", "/api/v1/runs")
	if code != http.StatusAccepted {
		t.Fatalf("POST /api/v1/runs = %d %s", code, body)
	}
	var run struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the run to finish", func() bool {
		_, body := s.api.do("GET", fmt.Sprintf("/api/v1/runs/%d", run.ID))
		return json.Unmarshal(body, &run) == nil && run.State != "running"
	})
	if run.State != "succeeded" {
		t.Fatalf("run %s", run.State)
	}
	_, issue := s.api.do("GET", "/api/v1/issues/latest")
	want := "이 글은 " + cfg.Gemini.Model + ", " + openaitest.Model + " 모델을 이용하여 생성한 것으로, 사실과 다를 수 있습니다."
	if !strings.Contains(string(issue), want) {
		t.Errorf("the issue's disclaimer does not name both models (%q):\n%s", want, issue[max(0, len(issue)-300):])
	}
}

// TestSummarizeWithOpenAIProvider: `newsletter --url` and `summarize`
// with --provider openai ask the OpenAI-compatible endpoint the
// conventional variables name, with no Gemini key at all.
func TestSummarizeWithOpenAIProvider(t *testing.T) {
	page := articleServer(t)
	local := openaitest.NewServer(t)
	env := localEnv(map[string]string{
		"OPENAI_BASE_URL":         local.URL,
		"OPENAI_API_KEY":          openaitest.APIKey,
		"NEWSLETTER_OPENAI_MODEL": openaitest.Model,
		"NEWSLETTER_STORE_PATH":   filepath.Join(t.TempDir(), "cache.db"),
	})
	url := page.URL + "/blog/unique"
	code, out, errs := runApp(t, env, "--url", url, "--provider", "openai", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		TitleKo string `json:"title_ko"`
		Model   string `json:"model"`
		Cached  bool   `json:"cached"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if got.Model != openaitest.Model || got.TitleKo == "" || got.Cached {
		t.Errorf("json = %+v, want a fresh answer of %s", got, openaitest.Model)
	}
	reqs := local.Completions()
	if len(reqs) != 1 || reqs[0].APIKey != openaitest.APIKey {
		t.Fatalf("%d requests to the endpoint (key %v), want 1 with the key", len(reqs), reqs)
	}
	code, _, errs = runApp(t, env, "summarize", url, "--provider", "openai")
	if code != 0 || len(local.Completions()) != 1 {
		t.Errorf("exit %d (%s), %d requests: the second is the cache's", code, errs, len(local.Completions()))
	}
	code, _, errs = runApp(t, env, "summarize", url, "--provider", "claude")
	if code == 0 || !strings.Contains(errs, `summarizer.provider: must be gemini or openai, not "claude"`) {
		t.Errorf("unknown provider: exit %d, %s", code, errs)
	}
}

// TestServeWithOpenAIProvider: serve with provider openai and no Gemini
// key summarises through the OpenAI-compatible endpoint, and a refused key
// pauses "openai" as a refused Gemini key pauses "gemini".
func TestServeWithOpenAIProvider(t *testing.T) {
	local := openaitest.NewServer(t)
	clock := clockwork.NewFakeClockAt(issueDate)
	cfg := daemonTestConfig(t.TempDir(), "")
	cfg.Gemini.APIKey = ""
	cfg.Summarizer.Provider = config.ProviderOpenAI
	cfg.OpenAI = openaitest.Config(local.URL)
	s := &outageService{t: t, clock: clock, site: newArticleSite(t)}
	_, s.api, _, s.stop = serveForTest(t, cfg, clock)
	s.submitN(2)
	waitFor(t, "the endpoint to summarise both", func() bool { return s.status().Submissions["summarized"] == 2 })
	if n := len(local.Completions()); n != 2 {
		t.Errorf("%d chat completions, want 2", n)
	}
	// Gemini is not used: the status names only what is.
	var deps []string
	for _, d := range s.status().Dependencies {
		deps = append(deps, d.Dependency)
	}
	if !slices.Equal(deps, []string{"openai"}) {
		t.Errorf("status names dependencies %v, want [openai]", deps)
	}

	local.RefuseKey(true)
	u := s.site.Add("/refused", "Refused article about Go")
	if code, body := s.api.doJSON("POST", "/api/v1/submissions", map[string]string{"url": u}); code != http.StatusCreated {
		t.Fatalf("submit: %d %s", code, body)
	}
	waitFor(t, "the submission to wait for openai", func() bool { return s.status().Waiting["openai"] == 1 })
	for _, d := range s.status().Dependencies {
		if d.Dependency == "openai" && (d.Up || !strings.Contains(d.Reason, "refused the API key")) {
			t.Errorf("status of openai = %+v, want paused because the key was refused", d)
		}
	}
	if st := s.status(); st.Submissions["failed"] != 0 {
		t.Errorf("%d failed", st.Submissions["failed"])
	}
}
