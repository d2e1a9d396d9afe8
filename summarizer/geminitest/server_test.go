package geminitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// client is the real SDK pointed at srv, with its own retries off.
func client(t *testing.T, srv *geminitest.Server) *genai.Client {
	t.Helper()
	c, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey:  geminitest.APIKey,
		Backend: genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{
			BaseURL:      srv.URL,
			RetryOptions: &genai.HTTPRetryOptions{Attempts: genai.Ptr[int32](1)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func generate(t *testing.T, c *genai.Client) (*genai.GenerateContentResponse, error) {
	t.Helper()
	return c.Models.GenerateContent(context.Background(), "gemini-test",
		genai.Text("Title: Go 1.23 iterators\nURL: https://go.dev/blog\n\nArticle text: ..."),
		&genai.GenerateContentConfig{
			SystemInstruction: genai.NewContentFromText("Answer in JSON.", genai.RoleUser),
			ResponseMIMEType:  "application/json",
			ResponseSchema:    &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{"summary": {Type: genai.TypeString, MaxLength: genai.Ptr[int64](600)}}},
			MaxOutputTokens:   512,
		})
}

func TestScriptedReplies(t *testing.T) {
	srv := geminitest.NewServer(t)
	c := client(t, srv)
	srv.Enqueue(
		geminitest.JSON(map[string]string{"summary": "요약"}).WithUsage(100, 20),
		geminitest.Finish("MAX_TOKENS", `{"summary": "`),
		geminitest.Blocked("SAFETY"),
		geminitest.RateLimited(7*time.Second).WithHeader("Retry-After", "7"),
		geminitest.Error(503, "UNAVAILABLE", "The model is overloaded."),
	)

	resp, err := generate(t, c)
	if err != nil || resp.Text() != `{"summary":"요약"}` || resp.Candidates[0].FinishReason != genai.FinishReasonStop {
		t.Fatalf("JSON reply: %v %+v", err, resp)
	}
	if u := resp.UsageMetadata; u.PromptTokenCount != 100 || u.CandidatesTokenCount != 20 {
		t.Errorf("usage = %+v", u)
	}

	resp, err = generate(t, c)
	if err != nil || resp.Candidates[0].FinishReason != genai.FinishReasonMaxTokens {
		t.Fatalf("MAX_TOKENS reply: %v %+v", err, resp)
	}

	resp, err = generate(t, c)
	if err != nil || resp.PromptFeedback == nil || resp.PromptFeedback.BlockReason != genai.BlockedReasonSafety || len(resp.Candidates) != 0 {
		t.Fatalf("blocked reply: %v %+v", err, resp)
	}

	_, err = generate(t, c)
	var api genai.APIError
	if !errors.As(err, &api) || api.Code != 429 || api.Status != "RESOURCE_EXHAUSTED" {
		t.Fatalf("429 reply: %v", err)
	}
	var delay string
	for _, d := range api.Details {
		if d["@type"] == "type.googleapis.com/google.rpc.RetryInfo" {
			delay, _ = d["retryDelay"].(string)
		}
	}
	if delay != "7s" {
		t.Errorf("RetryInfo retryDelay = %q, want 7s", delay)
	}

	_, err = generate(t, c)
	if !errors.As(err, &api) || api.Code != 503 || api.Message != "The model is overloaded." {
		t.Fatalf("503 reply: %v", err)
	}
	if srv.Pending() != 0 {
		t.Errorf("%d replies unused", srv.Pending())
	}
}

func TestRequestCapture(t *testing.T) {
	srv := geminitest.NewServer(t)
	if _, err := generate(t, client(t, srv)); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1beta/models/gemini-test:generateContent" || r.Model != "gemini-test" || r.Action != "generateContent" {
		t.Errorf("request line: %s %s (%s, %s)", r.Method, r.Path, r.Model, r.Action)
	}
	if r.APIKey != geminitest.APIKey || r.SystemInstruction != "Answer in JSON." || !strings.HasPrefix(r.UserText(), "Title: Go 1.23") {
		t.Errorf("key %q, system %q, user %q", r.APIKey, r.SystemInstruction, r.UserText())
	}
	if r.GenerationConfig.ResponseMIMEType != "application/json" || r.GenerationConfig.MaxOutputTokens != 512 {
		t.Errorf("generation config %+v", r.GenerationConfig)
	}
	s, err := r.GenerationConfig.Schema()
	if err != nil || s.Properties["summary"] == nil || *s.Properties["summary"].MaxLength != 600 {
		t.Errorf("schema %+v, %v", s, err)
	}
}

func TestEchoIsKoreanJSON(t *testing.T) {
	srv := geminitest.NewServer(t)
	resp, err := generate(t, client(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(resp.Text()), &got); err != nil {
		t.Fatalf("echo answer is not JSON: %v\n%s", err, resp.Text())
	}
	if !strings.HasPrefix(got["title_ko"], "Go 1.23 iterators") || !strings.Contains(got["summary"], "이 글은") || got["introduction"] == "" {
		t.Errorf("echo answer = %v", got)
	}
}

func TestCountTokens(t *testing.T) {
	srv := geminitest.NewServer(t)
	resp, err := client(t, srv).Models.CountTokens(context.Background(), "gemini-test", genai.Text("12345678"), nil)
	if err != nil || resp.TotalTokens != 2 {
		t.Fatalf("CountTokens = %+v, %v; want 2", resp, err)
	}
	if r := srv.Requests()[0]; r.Action != "countTokens" || r.UserText() != "12345678" {
		t.Errorf("captured %+v", r)
	}
}

func TestConcurrentEcho(t *testing.T) {
	srv := geminitest.NewServer(t)
	c := client(t, srv)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := generate(t, c); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(srv.GenerateRequests()); got != n {
		t.Errorf("%d requests recorded, want %d", got, n)
	}
}

func TestRejectsBadRequests(t *testing.T) {
	srv := geminitest.NewServer(t)
	tests := []struct {
		name, path, key string
		want            int
	}{
		{"unknown path", "/v1/models/x:generateContent", geminitest.APIKey, http.StatusNotFound},
		{"unknown method", "/v1beta/models/x:embedContent", geminitest.APIKey, http.StatusNotFound},
		{"missing key", "/v1beta/models/x:generateContent", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+tt.path, strings.NewReader("{}"))
			if tt.key != "" {
				req.Header.Set("x-goog-api-key", tt.key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Error struct {
					Code   int    `json:"code"`
					Status string `json:"status"`
				} `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.want || body.Error.Code != tt.want || body.Error.Status == "" {
				t.Errorf("status %d, body %+v; want %d with a Google error body", resp.StatusCode, body, tt.want)
			}
		})
	}
}

func TestDelayedReplyGivesUpWithClient(t *testing.T) {
	srv := geminitest.NewServer(t)
	srv.Enqueue(geminitest.Echo().WithDelay(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := client(t, srv).Models.GenerateContent(ctx, "gemini-test", genai.Text("x"), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
}

// TestOutageModes: the modes answer through the real SDK as the API does:
// a refused key with ErrorInfo API_KEY_INVALID, an unknown model with 404,
// a spent daily quota with QuotaFailure and RetryInfo until its end.
func TestOutageModes(t *testing.T) {
	ctx := context.Background()
	srv := geminitest.NewServer(t)
	c := client(t, srv)

	m, err := c.Models.Get(ctx, "gemini-test", nil)
	if err != nil || m.Name != "models/gemini-test" {
		t.Fatalf("models.get = %+v, %v", m, err)
	}

	srv.RefuseKey(true)
	for name, call := range map[string]func() error{
		"generateContent": func() error { _, err := generate(t, c); return err },
		"models.get":      func() error { _, err := c.Models.Get(ctx, "gemini-test", nil); return err },
	} {
		var api genai.APIError
		if err := call(); !errors.As(err, &api) || api.Code != 400 || api.Status != "INVALID_ARGUMENT" ||
			len(api.Details) == 0 || api.Details[0]["reason"] != "API_KEY_INVALID" {
			t.Errorf("%s with a refused key: %v", name, err)
		}
	}
	srv.RefuseKey(false)

	srv.UnknownModel("gemini-test")
	var api genai.APIError
	if _, err := generate(t, c); !errors.As(err, &api) || api.Code != 404 || !strings.Contains(api.Message, "models/gemini-test is not found") {
		t.Errorf("unknown model: %v", err)
	}

	clock := clockwork.NewFakeClockAt(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	other := geminitest.NewServer(t)
	oc := client(t, other)
	other.ExhaustQuotaUntil(clock.Now().Add(90*time.Minute), clock.Now)
	_, err = generate(t, oc)
	if !errors.As(err, &api) || api.Code != 429 || api.Status != "RESOURCE_EXHAUSTED" {
		t.Fatalf("quota spent: %v", err)
	}
	var delay, quota string
	for _, d := range api.Details {
		switch d["@type"] {
		case "type.googleapis.com/google.rpc.RetryInfo":
			delay, _ = d["retryDelay"].(string)
		case "type.googleapis.com/google.rpc.QuotaFailure":
			b, _ := json.Marshal(d)
			quota = string(b)
		}
	}
	if delay != "5400s" || !strings.Contains(quota, "PerDay") {
		t.Errorf("retryDelay %q, quota failure %s", delay, quota)
	}
	clock.Advance(90 * time.Minute)
	if _, err := generate(t, oc); err != nil {
		t.Errorf("after the quota's end: %v", err)
	}
	if n := other.QuotaRefusals(); n != 1 {
		t.Errorf("QuotaRefusals = %d, want 1", n)
	}
}
