// Package geminitest is a fake Gemini API for tests: an httptest server
// speaking the REST wire format the genai SDK uses, so tests exercise the
// real SDK end to end without network access or an API key.
//
// It serves POST /v1beta/models/{model}:generateContent and
// :countTokens, records every request (headers, raw body and the decoded
// prompt, schema and generation settings), and answers generateContent from
// a queue of scripted replies. When the queue is empty it answers in echo
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
// test key, no client-side rate limits and a short timeout.
func Config(url string) config.Gemini {
	cfg := config.Default().Gemini
	cfg.APIKey = APIKey
	cfg.BaseURL = url
	cfg.RequestsPerMinute = 0
	cfg.TokensPerMinute = 0
	cfg.Timeout = 10 * time.Second
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

var modelPath = regexp.MustCompile(`^/v1beta/models/([^/:]+):(generateContent|countTokens)$`)

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
	decodeErr := req.decode()

	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.served++
	n := s.served
	var reply *Reply
	if req.Action == "generateContent" && len(s.queue) > 0 {
		reply = &s.queue[0]
		s.queue = s.queue[1:]
	}
	s.mu.Unlock()

	switch {
	case m == nil || r.Method != http.MethodPost:
		writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("%s %s is not a Gemini API method", r.Method, r.URL.Path), nil)
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

// estimate is the fake's token count: one token per four bytes.
func estimate(s string) int { return (len(s) + 3) / 4 }
