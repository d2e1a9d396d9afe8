package summarizer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/waitlog"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/summarizer/openaitest"
)

// openaiHarness is a Summarizer asking a fake OpenAI-compatible server
// through the real openai-go SDK.
type openaiHarness struct {
	harness
	osrv *openaitest.Server
}

func newOpenAIHarness(t testing.TB, cache Cache, edit func(*config.OpenAI)) *openaiHarness {
	t.Helper()
	srv := openaitest.NewServer(t)
	cfg := srv.Config()
	if edit != nil {
		edit(&cfg)
	}
	shared := config.Default().Gemini
	clock := waitlog.New()
	core, logs := observer.New(zap.DebugLevel)
	d := deps{clock: clock, jitter: func(int64) int64 { return 0 }, transport: bubbleTransport()}
	s, err := newOpenAISummarizer(cfg, shared, cache, zap.New(core), d)
	if err != nil {
		t.Fatalf("newOpenAISummarizer: %v", err)
	}
	h := &openaiHarness{harness: harness{s: s, clock: clock, logs: logs}, osrv: srv}
	t.Cleanup(func() {
		if cfg.APIKey != "" {
			h.assertKeyNotLogged(t, cfg.APIKey)
		}
	})
	return h
}

func TestOpenAIStructuredOutput(t *testing.T) {
	cache := newMemCache()
	h := newOpenAIHarness(t, cache, nil)
	h.osrv.Enqueue(openaitest.JSON(goodElastic).WithUsage(1200, 300))
	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Sections != goodElastic || res.Model != openaitest.Model || h.s.Provider() != ProviderOpenAI {
		t.Errorf("got %+v from %s (%s)", res.Sections, res.Model, h.s.Provider())
	}
	if want := (1200*0.15 + 300*0.60) / 1e6; res.Usage.PromptTokens != 1200 || res.Usage.OutputTokens != 300 ||
		res.Usage.CostUSD < want-1e-12 || res.Usage.CostUSD > want+1e-12 {
		t.Errorf("usage %+v, want 1200/300 tokens costing %g", res.Usage, want)
	}
	reqs := h.osrv.Completions()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	c := reqs[0].Chat
	if reqs[0].APIKey != openaitest.APIKey || c.Model != openaitest.Model {
		t.Errorf("key %q model %q", reqs[0].APIKey, c.Model)
	}
	if len(c.Messages) != 2 || c.Messages[0].Role != "system" || c.Messages[1].Role != "user" ||
		!strings.Contains(c.Messages[1].Content, elastic.Title) {
		t.Errorf("messages %+v, want the system instruction and the article", c.Messages)
	}
	rf := c.ResponseFormat
	if rf == nil || rf.Type != "json_schema" || rf.JSONSchema == nil || rf.JSONSchema.Strict == nil || !*rf.JSONSchema.Strict {
		t.Fatalf("response_format %+v, want a strict json_schema", rf)
	}
	var schema struct {
		Required             []string                  `json:"required"`
		AdditionalProperties *bool                     `json:"additionalProperties"`
		Properties           map[string]map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(rf.JSONSchema.Schema, &schema); err != nil {
		t.Fatal(err)
	}
	if len(schema.Required) != 5 || schema.AdditionalProperties == nil || *schema.AdditionalProperties ||
		len(schema.Properties) != 5 {
		t.Errorf("schema %s: strict mode needs every property required and no other", rf.JSONSchema.Schema)
	}
	// Not OpenAI's host: max_tokens, which every compatible server reads.
	if c.MaxTokens == nil || c.MaxCompletionTokens != nil {
		t.Errorf("max_tokens %v, max_completion_tokens %v", c.MaxTokens, c.MaxCompletionTokens)
	}
	p, _ := h.s.prompts.build(elastic, h.s.cfg.InputTokenBudget)
	if _, ok := cache.m[cacheKey(p.TextHash, h.s.PromptVersion(), "openai:"+openaitest.Model)]; !ok {
		t.Errorf("cache keys %v, want one naming the provider and the model", keys(cache.m))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOpenAIMaxCompletionTokensOnOpenAI(t *testing.T) {
	p := &openaiProvider{cfg: config.OpenAI{Model: "gpt-5-mini"}, legacyMaxTokens: !isOpenAIHost("https://api.openai.com/v1")}
	params := p.params(ask{system: "s", turns: []turn{{text: "u"}}, maxOutput: 100})
	if params.MaxCompletionTokens != 100 || params.MaxTokens != 0 {
		t.Errorf("OpenAI's own API gets max_completion_tokens (its reasoning models refuse max_tokens)")
	}
}

// TestOpenAIFailures maps the server's statuses onto the failure model
// Gemini's follow.
func TestOpenAIFailures(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(*openaitest.Server)
		wantIs   error
		outage   bool
		perm     bool
		requests int
		message  string
	}{
		{"bad request is permanent, with the envelope's message",
			func(s *openaitest.Server) {
				s.Enqueue(openaitest.Error(400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length is 8192 tokens."))
			}, nil, false, true, 1, "HTTP 400 context_length_exceeded: This model's maximum context length"},
		{"401 refuses the key: an outage of openai",
			func(s *openaitest.Server) { s.RefuseKey(true) }, ErrKeyRefused, true, false, 1, "invalid_api_key"},
		{"404 model: an outage",
			func(s *openaitest.Server) { s.UnknownModel(openaitest.Model) }, ErrUnknownModel, true, false, 1, "model_not_found"},
		{"insufficient quota: an outage, not retried",
			func(s *openaitest.Server) { s.ExhaustQuotaUntil(time.Now().Add(time.Hour), time.Now) }, ErrQuotaExhausted, true, false, 1, "insufficient_quota"},
		{"5xx every time: retried, then the article's bad luck",
			func(s *openaitest.Server) {
				for range 4 {
					s.Enqueue(openaitest.Error(503, "server_error", "", "The server is overloaded."))
				}
			}, nil, false, false, 4, "HTTP 503 server_error"},
		{"Ollama: a model not pulled is an outage",
			func(s *openaitest.Server) {
				s.Ollama(true)
				s.UnknownModel(openaitest.Model)
			}, ErrUnknownModel, true, false, 1, `HTTP 404 api_error: model "qwen3" not found, try pulling it first`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newOpenAIHarness(t, nil, nil)
			tt.setup(h.osrv)
			_, err := h.summarize(t, elastic)
			if err == nil {
				t.Fatal("Summarize succeeded")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want %v", err, tt.wantIs)
			}
			if c := retry.Classify(err); tt.outage != retry.IsOutage(err) || (tt.outage && c.Dependency != OpenAIDependency) {
				t.Errorf("outage = %v (%+v), want %v of %s", retry.IsOutage(err), c, tt.outage, OpenAIDependency)
			}
			if retry.IsPermanent(err) != tt.perm {
				t.Errorf("permanent = %v, want %v: %v", retry.IsPermanent(err), tt.perm, err)
			}
			if n := len(h.osrv.Completions()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err = %v, want it to say %q", err, tt.message)
			}
		})
	}
}

func TestOpenAIRateLimitHonoursRetryAfter(t *testing.T) {
	h := newOpenAIHarness(t, nil, nil)
	h.osrv.Enqueue(openaitest.RateLimited(7 * time.Second))
	res, err := h.summarize(t, elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if w := h.clock.Waits(); len(w) != 1 || w[0] != 7*time.Second || res.Usage.Requests != 2 {
		t.Errorf("waits %v, %d requests; want one wait of the Retry-After, 7s", w, res.Usage.Requests)
	}
}

func TestOpenAIRateLimitThatDoesNotLiftIsAnOutage(t *testing.T) {
	h := newOpenAIHarness(t, nil, nil)
	h.osrv.Enqueue(openaitest.RateLimited(10 * time.Minute))
	_, err := h.summarize(t, elastic)
	c := retry.Classify(err)
	if !retry.IsOutage(err) || c.Dependency != OpenAIDependency || c.At.Sub(waitlog.Start) != 10*time.Minute {
		t.Errorf("err = %v (%+v), want an outage of openai for the 10 minutes asked", err, c)
	}
}

func TestOpenAISlowAnswerIsRetried(t *testing.T) {
	h := newOpenAIHarness(t, nil, func(c *config.OpenAI) { c.Timeout = time.Second })
	h.osrv.Enqueue(openaitest.JSON(goodElastic).WithDelay(time.Hour), openaitest.JSON(goodElastic))
	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Usage.Requests != 2 || len(h.clock.Waits()) != 1 {
		t.Errorf("%d requests, waits %v; want a retry after the timeout", res.Usage.Requests, h.clock.Waits())
	}
}

// TestOpenAIModelIgnoringTheSchema: a model answering prose (as Ollama
// Cloud's do, whatever response_format says) is asked again once, naming
// the JSON object wanted; still prose, the article fails for good.
func TestOpenAIModelIgnoringTheSchema(t *testing.T) {
	t.Run("corrected", func(t *testing.T) {
		h := newOpenAIHarness(t, nil, nil)
		h.osrv.Enqueue(openaitest.Prose())
		res, err := h.s.Summarize(context.Background(), elastic)
		if err != nil {
			t.Fatalf("Summarize: %v", err)
		}
		reqs := h.osrv.Completions()
		if res.Usage.Requests != 2 || len(reqs) != 2 {
			t.Fatalf("%d requests, want the prose and a correction", len(reqs))
		}
		msgs := reqs[1].Chat.Messages
		if len(msgs) != 4 || msgs[2].Role != "assistant" || !strings.Contains(msgs[3].Content, "JSON object") {
			t.Errorf("correction %+v, want the prose answer and what was wrong", msgs)
		}
	})
	t.Run("never", func(t *testing.T) {
		h := newOpenAIHarness(t, nil, nil)
		h.osrv.IgnoreSchema(true)
		_, err := h.s.Summarize(context.Background(), elastic)
		if !errors.Is(err, ErrInvalidResponse) || !retry.IsPermanent(err) {
			t.Errorf("err = %v, want a permanent ErrInvalidResponse", err)
		}
	})
}

func TestOpenAIAnswers(t *testing.T) {
	tests := []struct {
		name   string
		reply  openaitest.Reply
		wantIs error
	}{
		{"content filter", openaitest.Finish("content_filter", ""), ErrBlocked},
		{"refusal", openaitest.Refusal("I can't help with that."), ErrBlocked},
		{"cut off twice", openaitest.Finish("length", `{"title_ko": "Elastic`), ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newOpenAIHarness(t, nil, nil)
			h.osrv.Enqueue(tt.reply, tt.reply)
			_, err := h.s.Summarize(context.Background(), elastic)
			if !errors.Is(err, tt.wantIs) || !retry.IsPermanent(err) {
				t.Errorf("err = %v, want a permanent %v", err, tt.wantIs)
			}
		})
	}
}

func TestOpenAIThinkingBlockDropped(t *testing.T) {
	h := newOpenAIHarness(t, nil, nil)
	h.osrv.Enqueue(openaitest.Answer("<think>\nThe user wants JSON.\n</think>\n" + mustJSON(t, goodElastic)))
	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil || res.Sections != goodElastic {
		t.Fatalf("Summarize = %+v, %v", res, err)
	}
}

// TestOllama is Ollama's /v1 as its documentation describes it: no key,
// and the answer's usage counted.
func TestOllama(t *testing.T) {
	h := newOpenAIHarness(t, nil, func(c *config.OpenAI) {
		c.APIKey = ""
		c.PriceInputPerMillion, c.PriceOutputPerMillion = 0, 0
	})
	h.osrv.Ollama(true)
	res, err := h.s.Summarize(context.Background(), elastic)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	r := h.osrv.Completions()[0]
	if r.APIKey != "" || r.Header.Get("Authorization") != "" {
		t.Errorf("sent a key %q to a server that wants none", r.Header.Get("Authorization"))
	}
	if res.Usage.PromptTokens == 0 || res.Usage.CostUSD != 0 {
		t.Errorf("usage %+v, want tokens counted at no cost", res.Usage)
	}
	if err := h.s.Check(context.Background()); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestOpenAICheck(t *testing.T) {
	h := newOpenAIHarness(t, nil, nil)
	if err := h.s.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	h.osrv.RefuseKey(true)
	if err := h.s.Check(context.Background()); !retry.IsOutage(err) || !errors.Is(err, ErrKeyRefused) {
		t.Errorf("Check with a refused key = %v, want an outage", err)
	}
	h.osrv.RefuseKey(false)
	h.osrv.UnknownModel(openaitest.Model)
	if err := h.s.Check(context.Background()); !retry.IsOutage(err) || !errors.Is(err, ErrUnknownModel) {
		t.Errorf("Check with an unknown model = %v, want an outage", err)
	}
	if got := h.osrv.Requests()[0]; got.Method != http.MethodGet || got.Path != "/v1/models/"+openaitest.Model {
		t.Errorf("Check asked %s %s", got.Method, got.Path)
	}
}
