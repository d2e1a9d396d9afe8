package summarizer

import (
	"testing/synctest"

	"github.com/godevcommunity/newsletter/retry"
	"google.golang.org/genai"

	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

func TestSummarizeGoodAnswer(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.srv.Enqueue(geminitest.JSON(goodElastic).WithUsage(1200, 340))

	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Sections != goodElastic {
		t.Errorf("sections = %+v, want %+v", res.Sections, goodElastic)
	}
	if res.Model != config.DefaultModel || !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(res.PromptVersion) {
		t.Errorf("model %q, prompt version %q", res.Model, res.PromptVersion)
	}
	if want := (Usage{Requests: 1, PromptTokens: 1200, OutputTokens: 340, CostUSD: 1200*0.75/1e6 + 340*3.75/1e6}); res.Usage != want || res.Cached {
		t.Errorf("usage %+v cached %v, want %+v uncached", res.Usage, res.Cached, want)
	}

	reqs := h.srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/v1beta/models/"+config.DefaultModel+":generateContent" {
		t.Errorf("path = %s", r.Path)
	}
	if r.APIKey != geminitest.APIKey {
		t.Errorf("x-goog-api-key = %q, want the configured key", r.APIKey)
	}
	gc := r.GenerationConfig
	if gc.ResponseMIMEType != "application/json" {
		t.Errorf("responseMimeType = %q", gc.ResponseMIMEType)
	}
	def := config.Default().Gemini
	if gc.Temperature == nil || float32(*gc.Temperature) != float32(def.Temperature) || gc.MaxOutputTokens != def.MaxOutputTokens {
		t.Errorf("temperature %v, maxOutputTokens %d; want the configured %v and %d",
			gc.Temperature, gc.MaxOutputTokens, def.Temperature, def.MaxOutputTokens)
	}
	if gc.ThinkingConfig == nil || gc.ThinkingConfig.ThinkingLevel != "LOW" {
		t.Errorf("thinkingConfig = %+v, want thinkingLevel LOW for a Gemini 3 model", gc.ThinkingConfig)
	}
	schema, err := gc.Schema()
	if err != nil || schema == nil {
		t.Fatalf("response schema: %v %v", schema, err)
	}
	for name, max := range map[string]int64{"title_ko": 80, "summary": 600, "introduction": 1500, "recommendation": 800, "caution": 800} {
		p := schema.Properties[name]
		if p == nil || p.MaxLength == nil || *p.MaxLength != max {
			t.Errorf("schema property %s = %+v, want a string with maxLength %d", name, p, max)
		}
	}
	if !slices.Contains(schema.Required, "summary") || len(schema.Required) != 5 {
		t.Errorf("schema required = %v", schema.Required)
	}
	for _, want := range []string{"JSON object", "Never write headings", "HTML", "Every number you write"} {
		if !strings.Contains(r.SystemInstruction, want) {
			t.Errorf("system instruction lacks %q", want)
		}
	}
	for _, want := range []string{"Title: " + elastic.Title, "URL: " + elastic.URL, "In January 2021 we changed"} {
		if !strings.Contains(r.UserText(), want) {
			t.Errorf("user prompt lacks %q", want)
		}
	}
	if n := len(h.logs.FilterMessage("summarized").All()); n != 1 {
		t.Errorf("%d \"summarized\" log entries, want 1", n)
	}
}

func TestSummarizeCorrectsCyrillicLeak(t *testing.T) {
	h := newHarness(t, nil, nil)
	leaky := with(goodElastic, func(s *entry.Sections) {
		s.Summary = "Elastic은 AGPL 라이선스를 추가하고 깔끔한 RESTful API фасаду를 제공한다고 발표했습니다. 이제 다시 오픈 소스입니다."
	})
	h.srv.Enqueue(geminitest.JSON(leaky), geminitest.JSON(goodElastic))

	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Summary != goodElastic.Summary || res.Usage.Requests != 2 {
		t.Errorf("summary %q after %d requests; want the corrected answer after 2", res.Summary, res.Usage.Requests)
	}
	reqs := h.srv.GenerateRequests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	retry := reqs[1]
	if len(retry.Contents) != 3 || retry.Contents[1].Role != "model" || !strings.Contains(retry.Contents[1].Text, "фасаду") {
		t.Fatalf("corrective request turns = %+v, want article, previous answer, correction", retry.Contents)
	}
	correction := retry.LastUserText()
	for _, want := range []string{"summary", "Cyrillic", "фасаду"} {
		if !strings.Contains(correction, want) {
			t.Errorf("correction %q does not mention %q", correction, want)
		}
	}
}

func TestSummarizeRejectsHTMLAfterRetry(t *testing.T) {
	h := newHarness(t, nil, nil)
	html := with(goodElastic, func(s *entry.Sections) {
		s.Introduction += "\n\n<img src=\"/images/resources/architect/api-security/opaque-token-flow.svg\" alt=\"흐름\"/>"
	})
	h.srv.Enqueue(geminitest.JSON(html), geminitest.JSON(html))

	_, err := h.s.Summarize(context.Background(), elastic)
	var ge *GuardrailError
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want a GuardrailError", err)
	}
	if len(ge.Violations) != 1 || ge.Violations[0].Rule != "markup" || ge.Violations[0].Field != "introduction" {
		t.Errorf("violations = %+v, want one markup violation in introduction", ge.Violations)
	}
	for _, want := range []string{elastic.URL, "HTML tag", "<img"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !retry.IsPermanent(err) {
		t.Error("IsPermanent = false for a guardrail failure after the retry")
	}
	if n := len(h.srv.GenerateRequests()); n != 2 {
		t.Errorf("%d requests, want 2 (one corrective retry)", n)
	}
}

func TestSummarizeCorrectsHeadingInField(t *testing.T) {
	h := newHarness(t, nil, nil)
	headed := with(goodElastic, func(s *entry.Sections) {
		s.Introduction = "### Summary\n\n" + s.Introduction
	})
	h.srv.Enqueue(geminitest.JSON(headed), geminitest.JSON(goodElastic))

	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if strings.Contains(res.Introduction, "#") {
		t.Errorf("introduction kept the heading: %q", res.Introduction)
	}
	correction := h.srv.GenerateRequests()[1].LastUserText()
	if !strings.Contains(correction, "### Summary") || !strings.Contains(correction, "heading") {
		t.Errorf("correction %q does not name the heading", correction)
	}
}

func TestSummarizeRejectsInventedYear(t *testing.T) {
	h := newHarness(t, nil, nil)
	wrong := with(goodElastic, func(s *entry.Sections) {
		s.Introduction = strings.Replace(s.Introduction, "2021년 1월", "2023년 1월", 1)
	})
	h.srv.Enqueue(geminitest.JSON(wrong), geminitest.JSON(wrong))

	_, err := h.s.Summarize(context.Background(), elastic)
	var ge *GuardrailError
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want a GuardrailError", err)
	}
	if len(ge.Violations) != 1 || ge.Violations[0].Rule != "grounding" || !strings.Contains(ge.Violations[0].Detail, `"2023"`) {
		t.Errorf("violations = %+v, want the year 2023 flagged", ge.Violations)
	}
	if c := h.srv.GenerateRequests()[1].LastUserText(); !strings.Contains(c, "2023") {
		t.Errorf("correction %q does not name 2023", c)
	}
}

func TestSummarizeRetriesTransientErrors(t *testing.T) {
	tests := []struct {
		name       string
		replies    []geminitest.Reply
		wantSleeps []time.Duration
	}{
		{
			name:       "429 with RetryInfo waits the server's delay",
			replies:    []geminitest.Reply{geminitest.RateLimited(7 * time.Second)},
			wantSleeps: []time.Duration{7 * time.Second},
		},
		{
			name:       "429 with Retry-After header",
			replies:    []geminitest.Reply{geminitest.Error(429, "RESOURCE_EXHAUSTED", "slow down").WithHeader("Retry-After", "12")},
			wantSleeps: []time.Duration{12 * time.Second},
		},
		{
			name: "500 twice backs off exponentially",
			replies: []geminitest.Reply{
				geminitest.Error(500, "INTERNAL", "An internal error has occurred."),
				geminitest.Error(500, "INTERNAL", "An internal error has occurred."),
			},
			wantSleeps: []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name: "503 and 504",
			replies: []geminitest.Reply{
				geminitest.Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
				geminitest.Error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
			},
			wantSleeps: []time.Duration{time.Second, 2 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil, nil)
			h.srv.Enqueue(append(tt.replies, geminitest.JSON(goodElastic))...)

			res, err := h.summarize(t, elastic)
			if err != nil {
				t.Fatalf("Summarize: %v", err)
			}
			if got := h.clock.Waits(); !slices.Equal(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if want := len(tt.replies) + 1; res.Usage.Requests != want || len(h.srv.Requests()) != want {
				t.Errorf("usage counts %d requests, server saw %d; want %d", res.Usage.Requests, len(h.srv.Requests()), want)
			}
		})
	}
}

func TestSummarizeGivesUpAfterMaxAttempts(t *testing.T) {
	h := newHarness(t, nil, func(c *config.Gemini) { c.MaxAttempts = 3 })
	for range 4 {
		h.srv.Enqueue(geminitest.Error(503, "UNAVAILABLE", "The model is overloaded."))
	}
	_, err := h.summarize(t, elastic)
	var api *APIError
	if !errors.As(err, &api) || api.StatusCode() != 503 {
		t.Fatalf("err = %v, want the 503 APIError", err)
	}
	if retry.IsPermanent(err) {
		t.Error("IsPermanent = true for a 503")
	}
	if n := len(h.srv.Requests()); n != 3 {
		t.Errorf("%d requests, want max_attempts = 3", n)
	}
}

func TestSummarizeSDKDoesNotRetry(t *testing.T) {
	h := newHarness(t, nil, func(c *config.Gemini) { c.MaxAttempts = 1 })
	h.srv.Enqueue(geminitest.Error(503, "UNAVAILABLE", "overloaded"), geminitest.JSON(goodElastic))
	if _, err := h.s.Summarize(context.Background(), elastic); err == nil {
		t.Fatal("Summarize succeeded; with max_attempts 1 the 503 must be final")
	}
	if n := len(h.srv.Requests()); n != 1 {
		t.Errorf("%d requests; the SDK retried on its own", n)
	}
}

func TestSummarizeTimeoutIsRetried(t *testing.T) {
	// The timeout is per request, so it must leave the second, prompt answer
	// ample time on a loaded machine; the first never answers.
	h := newHarness(t, nil, func(c *config.Gemini) { c.Timeout = time.Second })
	h.srv.Enqueue(geminitest.JSON(goodElastic).WithDelay(time.Hour), geminitest.JSON(goodElastic))

	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Usage.Requests != 2 || len(h.clock.Waits()) != 1 {
		t.Errorf("%d requests, sleeps %v; want a retry after the timeout", res.Usage.Requests, h.clock.Waits())
	}
}

func TestSummarizeDailyQuota(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.srv.Enqueue(geminitest.DailyQuotaExceeded())
	_, err := h.s.Summarize(context.Background(), elastic)
	if !errors.Is(err, ErrQuotaExhausted) {
		t.Fatalf("err = %v, want ErrQuotaExhausted", err)
	}
	if retry.IsPermanent(err) {
		t.Error("IsPermanent = true; the article can be retried after the quota resets")
	}
	if n := len(h.srv.Requests()); n != 1 {
		t.Errorf("%d requests; a daily quota must not be retried within the call", n)
	}
}

func TestSummarizeBlocked(t *testing.T) {
	tests := []struct {
		name       string
		reply      geminitest.Reply
		wantReason string
		wantPrompt bool
	}{
		{"finishReason SAFETY", geminitest.Finish("SAFETY", ""), "SAFETY", false},
		{"finishReason RECITATION", geminitest.Finish("RECITATION", `{"title_ko": "`), "RECITATION", false},
		{"finishReason PROHIBITED_CONTENT", geminitest.Finish("PROHIBITED_CONTENT", ""), "PROHIBITED_CONTENT", false},
		{"finishReason SPII", geminitest.Finish("SPII", ""), "SPII", false},
		{"promptFeedback blockReason", geminitest.Blocked("BLOCKLIST"), "BLOCKLIST", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil, nil)
			h.srv.Enqueue(tt.reply, geminitest.JSON(goodElastic))
			_, err := h.s.Summarize(context.Background(), elastic)
			var be *BlockedError
			if !errors.Is(err, ErrBlocked) || !errors.As(err, &be) {
				t.Fatalf("err = %v, want ErrBlocked", err)
			}
			if be.Reason != tt.wantReason || be.Prompt != tt.wantPrompt {
				t.Errorf("blocked %+v, want reason %s prompt %v", be, tt.wantReason, tt.wantPrompt)
			}
			if !retry.IsPermanent(err) {
				t.Error("IsPermanent = false for a blocked request")
			}
			if n := len(h.srv.Requests()); n != 1 {
				t.Errorf("%d requests; a block must not be retried", n)
			}
		})
	}
}

func TestSummarizeMaxTokens(t *testing.T) {
	t.Run("retried with a doubled budget", func(t *testing.T) {
		h := newHarness(t, nil, func(c *config.Gemini) { c.MaxOutputTokens = 4096 })
		h.srv.Enqueue(geminitest.Finish("MAX_TOKENS", `{"title_ko": "Elasticsearch가`), geminitest.JSON(goodElastic))
		if _, err := h.s.Summarize(context.Background(), elastic); err != nil {
			t.Fatalf("Summarize: %v", err)
		}
		reqs := h.srv.GenerateRequests()
		if len(reqs) != 2 || reqs[0].GenerationConfig.MaxOutputTokens != 4096 || reqs[1].GenerationConfig.MaxOutputTokens != 8192 {
			t.Errorf("maxOutputTokens per request: %v", maxOutputs(reqs))
		}
	})
	t.Run("twice is ErrTruncated", func(t *testing.T) {
		h := newHarness(t, nil, func(c *config.Gemini) { c.MaxOutputTokens = 4096 })
		h.srv.Enqueue(geminitest.Finish("MAX_TOKENS", `{"title_ko": "`), geminitest.Finish("MAX_TOKENS", `{"title_ko": "`))
		_, err := h.s.Summarize(context.Background(), elastic)
		if !errors.Is(err, ErrTruncated) || !retry.IsPermanent(err) {
			t.Fatalf("err = %v, want a permanent ErrTruncated", err)
		}
		if !strings.Contains(err.Error(), "8192") {
			t.Errorf("error %q does not name the output budget", err)
		}
	})
}

func maxOutputs(reqs []geminitest.Request) []int {
	var out []int
	for _, r := range reqs {
		out = append(out, r.GenerationConfig.MaxOutputTokens)
	}
	return out
}

func TestSummarizeInvalidJSON(t *testing.T) {
	t.Run("corrected once", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		h.srv.Enqueue(geminitest.Answer("요약: Elasticsearch가 다시 오픈 소스가 되었습니다."), geminitest.JSON(goodElastic))
		res, err := h.s.Summarize(context.Background(), elastic)
		if err != nil {
			t.Fatalf("Summarize: %v", err)
		}
		if res.Sections != goodElastic {
			t.Errorf("sections = %+v", res.Sections)
		}
		if c := h.srv.GenerateRequests()[1].LastUserText(); !strings.Contains(c, "JSON") {
			t.Errorf("correction %q does not ask for JSON", c)
		}
	})
	t.Run("twice is ErrInvalidResponse", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		h.srv.Enqueue(geminitest.Answer("not json"), geminitest.Answer(`{"title_ko": 3}`))
		_, err := h.s.Summarize(context.Background(), elastic)
		if !errors.Is(err, ErrInvalidResponse) || !retry.IsPermanent(err) {
			t.Fatalf("err = %v, want a permanent ErrInvalidResponse", err)
		}
	})
	t.Run("code fence tolerated", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		h.srv.Enqueue(geminitest.Answer("```json\n" + mustJSON(t, goodElastic) + "\n```"))
		res, err := h.s.Summarize(context.Background(), elastic)
		if err != nil || res.Usage.Requests != 1 {
			t.Fatalf("Summarize: %v after %d requests", err, res.Usage.Requests)
		}
	})
}

func TestSummarizeCacheHitMakesNoRequest(t *testing.T) {
	cache := newMemCache()
	h := newHarness(t, cache, nil)
	h.srv.Enqueue(geminitest.JSON(goodElastic))
	if _, err := h.s.Summarize(context.Background(), elastic); err != nil {
		t.Fatalf("first Summarize: %v", err)
	}
	if cache.saves != 1 {
		t.Fatalf("%d cache saves, want 1", cache.saves)
	}
	before := len(h.srv.Requests())

	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("second Summarize: %v", err)
	}
	if !res.Cached || res.Sections != goodElastic || res.Usage != (Usage{}) {
		t.Errorf("result %+v, want the cached sections with zero usage", res)
	}
	if after := len(h.srv.Requests()); after != before {
		t.Errorf("cache hit made %d requests", after-before)
	}
	// The key is the trimmed text's hash, the prompt version and the model.
	p, _ := h.s.prompts.build(elastic, h.s.cfg.InputTokenBudget)
	if _, ok := cache.m[cacheKey(p.TextHash, h.s.PromptVersion(), h.s.Model())]; !ok {
		t.Errorf("cache keys %v lack the expected key", cache.m)
	}
}

func TestSummarizeCacheIsPerModel(t *testing.T) {
	cache := newMemCache()
	first := newHarness(t, cache, nil)
	if _, err := first.s.Summarize(context.Background(), elastic); err != nil {
		t.Fatalf("Summarize with %s: %v", first.s.Model(), err)
	}
	other := newHarness(t, cache, func(c *config.Gemini) { c.Model = "gemini-2.5-flash" })
	res, err := other.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize with %s: %v", other.s.Model(), err)
	}
	if res.Cached || len(other.srv.Requests()) != 1 || cache.saves != 2 {
		t.Errorf("cached=%v after %d requests and %d saves; another model must not reuse the answer",
			res.Cached, len(other.srv.Requests()), cache.saves)
	}
}

func TestSummarizeIgnoresCachedAnswerFailingGuardrails(t *testing.T) {
	cache := newMemCache()
	h := newHarness(t, cache, nil)
	p, _ := h.s.prompts.build(elastic, h.s.cfg.InputTokenBudget)
	bad := with(goodElastic, func(s *entry.Sections) { s.Summary = "## 추가 자료\n\n" + s.Summary })
	cache.m[cacheKey(p.TextHash, h.s.PromptVersion(), h.s.Model())] = []byte(mustJSON(t, bad))
	h.srv.Enqueue(geminitest.JSON(goodElastic))

	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Cached || res.Summary != goodElastic.Summary {
		t.Errorf("result cached=%v summary %q; want a fresh answer", res.Cached, res.Summary)
	}
}

func TestSummarizeHonoursRateLimit(t *testing.T) {
	// Two requests a minute: one every 30 s. The bubble's clock only moves
	// when the limiter sleeps, so three back-to-back articles wait 30 s twice.
	h := newHarness(t, nil, func(c *config.Gemini) { c.RequestsPerMinute = 2 })
	synctest.Test(t, func(t *testing.T) { // one bubble: one clock for the three
		for _, title := range []string{"First", "Second", "Third"} {
			in := elastic
			in.Title = title + " " + in.Title
			h.srv.Enqueue(geminitest.JSON(with(goodElastic, func(s *entry.Sections) { s.TitleKo = title + " " + s.TitleKo })))
			if _, err := h.s.Summarize(context.Background(), in); err != nil {
				t.Fatalf("Summarize %s: %v", title, err)
			}
		}
	})
	if got, want := h.clock.Waits(), []time.Duration{30 * time.Second, 30 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("limiter sleeps = %v, want %v", got, want)
	}
}

func TestSummarizeContextCancelledWhileWaiting(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.srv.Enqueue(geminitest.RateLimited(5*time.Second), geminitest.JSON(goodElastic))
	var err error
	synctest.Test(t, func(*testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		h.clock.OnWait = func(time.Duration) { cancel() }
		_, err = h.s.Summarize(ctx, elastic)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if retry.IsPermanent(err) {
		t.Error("IsPermanent = true for a cancelled context")
	}
	if n := len(h.srv.Requests()); n != 1 {
		t.Errorf("%d requests after cancellation, want 1", n)
	}
}

func TestSummarizeEmptyText(t *testing.T) {
	h := newHarness(t, nil, nil)
	_, err := h.s.Summarize(context.Background(), Input{URL: "https://example.com/empty", Text: " \n "})
	if !errors.Is(err, ErrEmptyInput) || !retry.IsPermanent(err) || !strings.Contains(err.Error(), "https://example.com/empty") {
		t.Fatalf("err = %v, want a permanent ErrEmptyInput naming the URL", err)
	}
	if n := len(h.srv.Requests()); n != 0 {
		t.Errorf("%d requests for an empty article", n)
	}
}

func TestSummarizeEchoMode(t *testing.T) {
	// The fake's default answer must pass the guardrails: the pipeline's
	// end-to-end tests rely on it.
	h := newHarness(t, nil, nil)
	inputs := []Input{
		elastic,
		{Title: "Go 1.23 — range over func", URL: "https://go.dev/blog/range-functions", Text: "Go 1.23 adds range-over-func iterators."},
		{Title: "Релиз: новый фасад API", URL: "https://habr.com/ru/articles/1/", Text: "Статья о фасаде API."},
		{URL: "https://example.com/untitled", Text: "An article without a title."},
	}
	for _, in := range inputs {
		res, err := h.s.Summarize(context.Background(), in)
		if err != nil {
			t.Errorf("Summarize %s: %v", in.URL, err)
			continue
		}
		if res.Usage.Requests != 1 || !hasHangul(res.TitleKo) {
			t.Errorf("%s: %d requests, title %q", in.URL, res.Usage.Requests, res.TitleKo)
		}
	}
}

func TestNewRequiresKey(t *testing.T) {
	cfg := config.Default().Gemini
	if _, err := New(context.Background(), cfg, nil, nil); !errors.Is(err, ErrNoAPIKey) {
		t.Fatalf("err = %v, want ErrNoAPIKey", err)
	}
}

func TestConfigWinsOverSDKEnvironment(t *testing.T) {
	// The SDK reads these itself; the configuration must take precedence.
	t.Setenv("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:9")
	t.Setenv("GOOGLE_API_KEY", "key-from-environment")
	t.Setenv("GEMINI_API_KEY", "")
	h := newHarness(t, nil, nil)
	if _, err := h.s.Summarize(context.Background(), elastic); err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	reqs := h.srv.Requests()
	if len(reqs) != 1 || reqs[0].APIKey != geminitest.APIKey {
		t.Fatalf("requests %d, key %q; want the configured key at the configured URL", len(reqs), reqs[0].APIKey)
	}
}

func TestCountTokens(t *testing.T) {
	h := newHarness(t, nil, nil)
	n, err := h.s.CountTokens(context.Background(), elastic)
	if err != nil {
		t.Fatalf("CountTokens: %v", err)
	}
	reqs := h.srv.Requests()
	if len(reqs) != 1 || reqs[0].Action != "countTokens" || n <= 0 {
		t.Fatalf("count %d from %d requests (%+v)", n, len(reqs), reqs)
	}
	if !strings.Contains(reqs[0].UserText(), "In January 2021") {
		t.Error("countTokens request lacks the article text")
	}
}

func TestCost(t *testing.T) {
	h := newHarness(t, nil, func(c *config.Gemini) {
		c.PriceInputPerMillion, c.PriceOutputPerMillion = 0.75, 3.75
	})
	for tier, want := range map[genai.ServiceTier]float64{"": 0.0075 + 0.00375, genai.ServiceTierFlex: (0.0075 + 0.00375) / 2} {
		if got := h.s.prov.(*geminiProvider).cost(10_000, 1_000, tier); got < want-1e-12 || got > want+1e-12 {
			t.Errorf("cost on tier %q = %v, want %v", tier, got, want)
		}
	}
}
