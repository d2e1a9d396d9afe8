// Package geminitest is a fake Gemini API for tests: an httptest server
// speaking the REST wire format the genai SDK uses, so tests exercise the
// real SDK end to end without network access or an API key.
//
// It serves POST /v1beta/models/{model}:generateContent and
// :countTokens and GET /v1beta/models/{model}, records every request
// (headers, raw body and the decoded prompt, schema and generation
// settings), and answers generateContent from a queue of scripted replies.
// Outages that last are modes rather than replies, in the real API's error
// format: a key refused (RefuseKey), a model it does not offer
// (UnknownModel), a daily quota used up until a time (ExhaustQuotaUntil). When the queue is empty it answers in echo
// mode: a valid Korean answer built from the article title in the request,
// which passes the summarizer's guardrails. The server is safe for
// concurrent use and answers any number of requests.
package geminitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

// APIKey is the key Config sets; the server accepts any non-empty key.
const APIKey = "geminitest-key"

// Server is a running fake. Close happens in the test's cleanup.
type Server struct {
	// URL is the base URL, for config.Gemini.BaseURL.
	URL string

	srv      *httptest.Server
	mu       sync.Mutex
	queue    []Reply
	requests []Request
	served   int

	refuseKey   bool
	unknown     map[string]bool
	quotaUntil  time.Time
	quotaClock  func() time.Time
	quotaServed int

	inFlight, maxInFlight int
}

// MaxConcurrent returns the most generateContent requests the server has
// been answering at the same time.
func (s *Server) MaxConcurrent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// NewServer starts a fake on a loopback port and closes it when t ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Config returns the default Gemini configuration pointed at url, with the
// test key, no client-side rate limits, the standard tier and a short
// timeout.
func Config(url string) config.Gemini {
	cfg := config.Default().Gemini
	cfg.APIKey = APIKey
	cfg.BaseURL = url
	cfg.RequestsPerMinute = 0
	cfg.TokensPerMinute = 0
	cfg.ServiceTier = config.TierStandard
	cfg.Timeout = 10 * time.Second
	cfg.FlexTimeout = 10 * time.Second
	return cfg
}

// Config is Config(s.URL).
func (s *Server) Config() config.Gemini { return Config(s.URL) }

// Enqueue adds replies for the next generateContent requests, in order.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// Pending returns how many enqueued replies are still unused.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// GenerateRequests returns the generateContent requests received so far.
func (s *Server) GenerateRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Action == "generateContent" {
			out = append(out, r)
		}
	}
	return out
}

// RefuseKey makes the server refuse every request's API key (on) as the
// real API does a wrong or revoked one, or accept any non-empty key again
// (off).
func (s *Server) RefuseKey(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseKey = on
}

// UnknownModel makes model unknown to the server: every request for it is
// 404 NOT_FOUND.
func (s *Server) UnknownModel(model string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unknown == nil {
		s.unknown = map[string]bool{}
	}
	s.unknown[model] = true
}

// ExhaustQuotaUntil makes every generateContent request before until, on
// the clock now, a 429 RESOURCE_EXHAUSTED naming the per-day quota, with a
// RetryInfo delay until then; from until on, requests are answered again.
func (s *Server) ExhaustQuotaUntil(until time.Time, now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quotaUntil, s.quotaClock = until, now
}

// QuotaRefusals returns how many requests the quota mode refused.
func (s *Server) QuotaRefusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quotaServed
}

var modelPath = regexp.MustCompile(`^/v1beta/models/([^/:]+)(?::(generateContent|countTokens))?$`)

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "cannot read request body", nil)
		return
	}
	req := Request{
		Method: r.Method,
		Path:   r.URL.Path,
		APIKey: r.Header.Get("x-goog-api-key"),
		Header: r.Header.Clone(),
		Body:   body,
	}
	m := modelPath.FindStringSubmatch(r.URL.Path)
	if m != nil {
		req.Model, req.Action = m[1], m[2]
	}
	if m != nil && req.Action == "" {
		req.Action = "get"
	}
	decodeErr := req.decode()

	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.served++
	n := s.served
	if req.Action == "generateContent" {
		s.inFlight++
		s.maxInFlight = max(s.maxInFlight, s.inFlight)
		defer func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		}()
	}
	refuse, unknown := s.refuseKey, s.unknown[req.Model]
	var quotaLeft time.Duration
	if req.Action == "generateContent" && s.quotaClock != nil {
		if quotaLeft = s.quotaUntil.Sub(s.quotaClock()); quotaLeft > 0 {
			s.quotaServed++
		}
	}
	var reply *Reply
	if req.Action == "generateContent" && len(s.queue) > 0 && !refuse && !unknown && quotaLeft <= 0 {
		reply = &s.queue[0]
		s.queue = s.queue[1:]
	}
	s.mu.Unlock()

	wantMethod := http.MethodPost
	if req.Action == "get" {
		wantMethod = http.MethodGet
	}
	switch {
	case m == nil || r.Method != wantMethod:
		writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("%s %s is not a Gemini API method", r.Method, r.URL.Path), nil)
	case req.APIKey != "" && refuse:
		invalidKey(w)
	case unknown:
		writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf(
			"models/%s is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", req.Model), nil)
	case req.Action == "get":
		writeJSON(w, http.StatusOK, modelInfo(req.Model))
	case quotaLeft > 0:
		quotaExhausted(w, quotaLeft)
	case req.APIKey == "":
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED",
			"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", nil)
	case decodeErr != nil:
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. "+decodeErr.Error(), nil)
	case req.Action == "countTokens":
		writeJSON(w, http.StatusOK, map[string]any{"totalTokens": estimate(req.allText())})
	case reply != nil:
		reply.serve(w, r, &req, n)
	default:
		Echo().serve(w, r, &req, n)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes Google's error body: {"error": {code, message, status,
// details}}.
func writeError(w http.ResponseWriter, code int, status, message string, details []any) {
	e := map[string]any{"code": code, "message": message, "status": status}
	if len(details) > 0 {
		e["details"] = details
	}
	writeJSON(w, code, map[string]any{"error": e})
}

// invalidKey answers as the API does a key it does not know.
func invalidKey(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", []any{
		map[string]any{
			"@type":    "type.googleapis.com/google.rpc.ErrorInfo",
			"reason":   "API_KEY_INVALID",
			"domain":   "googleapis.com",
			"metadata": map[string]any{"service": "generativelanguage.googleapis.com"},
		},
		map[string]any{
			"@type":   "type.googleapis.com/google.rpc.LocalizedMessage",
			"locale":  "en-US",
			"message": "API key not valid. Please pass a valid API key.",
		},
	})
}

// quotaExhausted answers as the API does once a per-day quota is used
// up, asking to retry after left.
func quotaExhausted(w http.ResponseWriter, left time.Duration) {
	writeError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
		"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
		[]any{
			quotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
			map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo",
				"retryDelay": fmt.Sprintf("%ds", int64((left+time.Second-1)/time.Second))},
		})
}

// modelInfo is the answer of models.get.
func modelInfo(model string) map[string]any {
	return map[string]any{
		"name":                       "models/" + model,
		"version":                    "001",
		"displayName":                model,
		"inputTokenLimit":            1048576,
		"outputTokenLimit":           65536,
		"supportedGenerationMethods": []string{"generateContent", "countTokens"},
		"thinking":                   true,
	}
}

// estimate is the fake's token count: one token per four bytes.
func estimate(s string) int { return (len(s) + 3) / 4 }
