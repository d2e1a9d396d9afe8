package summarizer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		{"400 unsupported_value for temperature: the configuration, an outage",
			func(s *openaitest.Server) {
				s.Enqueue(openaitest.Error(400, "invalid_request_error", "unsupported_value",
					"Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.").WithParam("temperature"))
			}, ErrRefusedSetting, true, false, 1, "HTTP 400 unsupported_value (temperature): Unsupported value"},
		{"400 unsupported_parameter max_tokens: an outage",
			func(s *openaitest.Server) {
				s.Enqueue(openaitest.Error(400, "invalid_request_error", "unsupported_parameter",
					"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.").WithParam("max_tokens"))
			}, ErrRefusedSetting, true, false, 1, "unsupported_parameter (max_tokens)"},
		{"400 naming response_format without a code: an outage",
			func(s *openaitest.Server) {
				s.Enqueue(openaitest.Error(400, "invalid_request_error", "", "Invalid schema for response_format 'newsletter_entry'.").WithParam("response_format"))
			}, ErrRefusedSetting, true, false, 1, "invalid_request_error (response_format)"},
		{"400 naming a message: the article's, permanent",
			func(s *openaitest.Server) {
				s.Enqueue(openaitest.Error(400, "invalid_request_error", "invalid_value", "Invalid content.").WithParam("messages"))
			}, nil, false, true, 1, "invalid_value (messages)"},
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

// TestOpenAICheck: the model is looked for in GET /v1/models, which
// OpenAI, Ollama, vLLM and llama.cpp all serve (vLLM and llama.cpp serve
// no GET /v1/models/{id}, and ids may hold a slash).
func TestOpenAICheck(t *testing.T) {
	tests := []struct {
		name   string
		model  string
		setup  func(*openaitest.Server)
		wantIs error // nil: the check passes
		outage bool
	}{
		{"OpenAI lists the model", openaitest.Model, func(*openaitest.Server) {}, nil, false},
		{"vLLM: an id with a slash", "meta-llama/Llama-3.1-8B", func(s *openaitest.Server) {
			s.VLLM(true)
			s.Offer("meta-llama/Llama-3.1-8B")
		}, nil, false},
		{"vLLM: a model it does not serve", "meta-llama/Llama-3.1-70B", func(s *openaitest.Server) {
			s.VLLM(true)
			s.Offer("meta-llama/Llama-3.1-8B")
		}, ErrUnknownModel, true},
		{"Ollama lists qwen3 as qwen3:latest", openaitest.Model, func(s *openaitest.Server) { s.Ollama(true) }, nil, false},
		{"Ollama: a model not pulled", openaitest.Model, func(s *openaitest.Server) {
			s.Ollama(true)
			s.UnknownModel(openaitest.Model)
		}, ErrUnknownModel, true},
		{"no list: not checked", "anything", func(s *openaitest.Server) { s.NoModelList(true) }, nil, false},
		{"a refused key", openaitest.Model, func(s *openaitest.Server) { s.RefuseKey(true) }, ErrKeyRefused, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newOpenAIHarness(t, nil, func(c *config.OpenAI) { c.Model = tt.model })
			tt.setup(h.osrv)
			err := h.s.Check(context.Background())
			if tt.wantIs == nil && err != nil {
				t.Fatalf("Check: %v", err)
			}
			if tt.wantIs != nil && (!errors.Is(err, tt.wantIs) || retry.IsOutage(err) != tt.outage) {
				t.Errorf("Check = %v, want %v (outage %v)", err, tt.wantIs, tt.outage)
			}
			if got := h.osrv.Requests(); len(got) != 1 || got[0].Method != http.MethodGet || got[0].Path != "/v1/models" {
				t.Errorf("Check asked %+v, want GET /v1/models once", got)
			}
		})
	}
}

// TestOpenAIRedactsKeys: the provider's error message goes to logs, pause
// reasons, the status and chat; the configured key and anything shaped
// like a key are removed from it first.
func TestOpenAIRedactsKeys(t *testing.T) {
	const key = "sk-proj-Zx81secretQR0A"
	tests := []struct {
		name    string
		status  int
		message string
		leak    string
	}{
		{"OpenAI's 401 names the key masked", 401,
			"Incorrect API key provided: sk-proj-****************************QR0A. You can find your API key at https://platform.openai.com/account/api-keys.", "****QR0A"},
		{"a proxy echoes the key", 502, "upstream refused Authorization: Bearer " + key, key},
		{"another key in the message", 400, "key sk-live_abc.DEF-123 is not allowed for model qwen3", "sk-live_abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newOpenAIHarness(t, nil, func(c *config.OpenAI) { c.APIKey = key })
			for range 4 {
				h.osrv.Enqueue(openaitest.Error(tt.status, "invalid_request_error", "", tt.message))
			}
			_, err := h.summarize(t, elastic)
			if err == nil {
				t.Fatal("Summarize succeeded")
			}
			if strings.Contains(err.Error(), tt.leak) || !strings.Contains(err.Error(), "[redacted]") {
				t.Errorf("err = %v, want %q redacted", err, tt.leak)
			}
			for _, e := range h.logs.All() {
				if line := e.Message + fmt.Sprint(e.ContextMap()); strings.Contains(line, tt.leak) {
					t.Errorf("log entry %q holds %q", e.Message, tt.leak)
				}
			}
		})
	}
}

// TestOpenAIUnusableAnswer: a 2xx answer over the size limit, or not
// JSON, is the model's unusable answer (asked once more, then the
// article fails), not a failure to get one (retried, and counted toward
// an outage).
func TestOpenAIUnusableAnswer(t *testing.T) {
	huge := openaitest.Answer(strings.Repeat("가", maxAnswerBytes/3+1))
	tests := []struct {
		name  string
		reply openaitest.Reply
	}{
		{"over the size limit", huge},
		{"not JSON", openaitest.Raw("<html><body>upstream answered</body></html>")},
		{"cut JSON", openaitest.Raw(`{"id": "chatcmpl-1", "choices": [{"message": {"content": "{\"title`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newOpenAIHarness(t, nil, nil)
			for range 4 {
				h.osrv.Enqueue(tt.reply)
			}
			res, err := h.summarize(t, elastic)
			if !errors.Is(err, ErrInvalidResponse) || !retry.IsPermanent(err) || retry.IsOutage(err) {
				t.Errorf("err = %v, want a permanent ErrInvalidResponse", err)
			}
			if n := len(h.osrv.Completions()); n != 2 || res == nil || res.Usage.Requests != 2 {
				t.Errorf("%d requests, want 2: the answer and one more ask, no backoff", n)
			}
			if n := h.s.prov.(*openaiProvider).health.unavailable(); n != 1 {
				t.Errorf("calls without an answer in a row = %d after, want 1: the answers reset the count", n)
			}
		})
	}
}
