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
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer/internal/modelfake"
)

// APIKey is the key Config sets; the server accepts any non-empty key.
const APIKey = "geminitest-key"

// Server is a running fake. Close happens in the test's cleanup.
//
// Besides its own methods it has the fault switches and bookkeeping every
// model fake shares: Enqueue and Pending (the queue of replies to
// generateContent), Requests, RefuseKey, UnknownModel, ExhaustQuotaUntil
// (generateContent only), QuotaRefusals and MaxConcurrent (generateContent
// requests answered at once).
type Server struct {
	// URL is the base URL, for config.Gemini.BaseURL.
	URL string

	core
	srv *httptest.Server
}

type core = modelfake.Core[Reply, Request]

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

// GenerateRequests returns the generateContent requests received so far.
func (s *Server) GenerateRequests() []Request {
	return modelfake.RequestsWhere(&s.core, func(r Request) bool { return r.Action == "generateContent" })
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

	a := modelfake.Admit(&s.core, req, modelfake.Call{Model: req.Model, Generate: req.Action == "generateContent"})
	defer a.Done()

	wantMethod := http.MethodPost
	if req.Action == "get" {
		wantMethod = http.MethodGet
	}
	switch {
	case m == nil || r.Method != wantMethod:
		writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("%s %s is not a Gemini API method", r.Method, r.URL.Path), nil)
	case req.APIKey != "" && a.KeyRefused:
		invalidKey(w)
	case a.Unknown:
		writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf(
			"models/%s is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", req.Model), nil)
	case req.Action == "get":
		writeJSON(w, http.StatusOK, modelInfo(req.Model))
	case a.QuotaLeft > 0:
		quotaExhausted(w, a.QuotaLeft)
	case req.APIKey == "":
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED",
			"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", nil)
	case decodeErr != nil:
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. "+decodeErr.Error(), nil)
	case req.Action == "countTokens":
		writeJSON(w, http.StatusOK, map[string]any{"totalTokens": modelfake.Estimate(req.allText())})
	case a.Reply != nil:
		a.Reply.serve(w, r, &req, a.N)
	default:
		Echo().serve(w, r, &req, a.N)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	modelfake.WriteJSON(w, status, "application/json; charset=UTF-8", v)
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
