// Package openaitest is a fake OpenAI-compatible Chat Completions API for
// tests: an httptest server speaking the wire format the openai-go SDK
// uses, so tests exercise the real SDK end to end without network access
// or an API key, as geminitest does for Gemini.
//
// It serves POST /v1/chat/completions, GET /v1/models (the list) and GET
// /v1/models/{model}, records
// every request, and answers from a queue of scripted replies: structured
// output, the error envelope {"error": {"message", "type", "param",
// "code"}}, 429 with Retry-After, a slow answer, a model that ignores the
// response schema and answers prose. Outages that last are modes: a key
// refused (401), a model it does not offer (404), a quota used up (429
// insufficient_quota) until a time. Ollama mode answers as Ollama's /v1
// documents it: no key needed, max_tokens rather than
// max_completion_tokens, errors typed "api_error" with no code, a model
// not pulled a 404 naming it. When the queue is empty it answers in echo
// mode: the valid Korean answer geminitest gives, built from the article
// title in the prompt. VLLM mode serves the list but not GET
// /v1/models/{model}, as vLLM and llama.cpp do, and wants no key.
package openaitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
	"github.com/godevcommunity/newsletter/summarizer/internal/modelfake"
)

// APIKey is the key Config sets.
const APIKey = "openaitest-key"

// Model is the model Config names.
const Model = "qwen3"

// Server is a running fake. Close happens in the test's cleanup.
//
// Besides its own methods it has the fault switches and bookkeeping every
// model fake shares: Enqueue and Pending (the queue of replies to chat
// completions), Requests, RefuseKey (401 invalid_api_key), UnknownModel
// (404), ExhaustQuotaUntil (chat completions only, 429
// insufficient_quota), QuotaRefusals and MaxConcurrent (chat completions
// answered at once).
type Server struct {
	// URL is the base URL, ending in /v1, for config.OpenAI.BaseURL.
	URL string

	core
	srv *httptest.Server

	// mu guards the modes below, which only this fake has.
	mu      sync.Mutex
	ollama  bool
	vllm    bool
	noList  bool
	offered []string
	ignore  bool
}

type core = modelfake.Core[Reply, Request]

// NewServer starts a fake on a loopback port and closes it when t ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL + "/v1"
	t.Cleanup(s.srv.Close)
	return s
}

// Config returns an openai section pointed at url, with the test key, the
// test model, no rate limit and a short timeout.
func Config(url string) config.OpenAI {
	cfg := config.Default().OpenAI
	cfg.BaseURL = url
	cfg.APIKey = APIKey
	cfg.Model = Model
	cfg.Timeout = 10 * time.Second
	cfg.RequestsPerMinute = 0
	cfg.PriceInputPerMillion, cfg.PriceOutputPerMillion = 0.15, 0.60
	return cfg
}

// Config is Config(s.URL).
func (s *Server) Config() config.OpenAI { return Config(s.URL) }

// Ollama makes the server answer as Ollama's /v1 does (see the package
// comment).
func (s *Server) Ollama(on bool) { s.set(&s.ollama, on) }

// VLLM makes the server answer as vLLM's OpenAI-compatible server does:
// no key needed, the list of models served but not GET
// /v1/models/{model}, which is a 404 {"detail": "Not Found"}.
func (s *Server) VLLM(on bool) { s.set(&s.vllm, on) }

// NoModelList makes GET /v1/models a 404, as on a server that does not
// list its models.
func (s *Server) NoModelList(on bool) { s.set(&s.noList, on) }

// set turns one of the modes on or off.
func (s *Server) set(mode *bool, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*mode = on
}

// Offer adds models to the list GET /v1/models answers, which holds Model
// and these, less the unknown ones; Ollama mode lists them with their tag,
// "qwen3:latest".
func (s *Server) Offer(models ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offered = append(s.offered, models...)
}

// IgnoreSchema makes echo answers prose instead of the JSON object the
// schema asks for, as Ollama Cloud's models do.
func (s *Server) IgnoreSchema(on bool) { s.set(&s.ignore, on) }

// Completions returns the chat completion requests received so far.
func (s *Server) Completions() []Request {
	return modelfake.RequestsWhere(&s.core, func(r Request) bool { return r.Path == "/v1/chat/completions" })
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "invalid_request_error", "", "cannot read the request body")
		return
	}
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body,
		APIKey: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")}
	var decodeErr error
	if r.Method == http.MethodPost {
		decodeErr = json.Unmarshal(body, &req.Chat)
	}

	model := req.Chat.Model
	if m, ok := strings.CutPrefix(r.URL.Path, "/v1/models/"); ok {
		model = m
	}
	chat := r.URL.Path == "/v1/chat/completions" && r.Method == http.MethodPost
	a := modelfake.Admit(&s.core, req, modelfake.Call{Model: model, Generate: chat, Malformed: decodeErr != nil})
	defer a.Done()

	s.mu.Lock()
	ollama, vllm, noList, ignore := s.ollama, s.vllm, s.noList, s.ignore
	offered := append([]string{Model}, s.offered...)
	s.mu.Unlock()

	e := errorWriter{ollama: ollama}
	modelGet := r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/models/")
	list := r.Method == http.MethodGet && r.URL.Path == "/v1/models"
	switch {
	case (!chat && !modelGet && !list) || (list && noList):
		e.write(w, http.StatusNotFound, "invalid_request_error", "unknown_url", fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path))
	case modelGet && vllm:
		writeJSON(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
	case !ollama && ((!vllm && req.APIKey == "") || a.KeyRefused):
		e.write(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key",
			"Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.")
	case list:
		listed := s.listed(offered)
		data := make([]any, len(listed))
		for i, id := range listed {
			if ollama && !strings.Contains(id, ":") {
				id += ":latest"
			}
			data[i] = map[string]any{"id": id, "object": "model", "created": 1700000000, "owned_by": "openaitest"}
		}
		writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
	case a.Unknown && ollama:
		e.write(w, http.StatusNotFound, "api_error", "", fmt.Sprintf("model %q not found, try pulling it first", model))
	case a.Unknown:
		e.write(w, http.StatusNotFound, "invalid_request_error", "model_not_found",
			fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model))
	case r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"id": model, "object": "model", "created": 1700000000, "owned_by": "openaitest"})
	case decodeErr != nil:
		e.write(w, http.StatusBadRequest, "invalid_request_error", "", "We could not parse the JSON body of your request. "+decodeErr.Error())
	case a.QuotaLeft > 0:
		w.Header().Set("Retry-After", fmt.Sprint(int64((a.QuotaLeft+time.Second-1)/time.Second)))
		e.write(w, http.StatusTooManyRequests, "insufficient_quota", "insufficient_quota",
			"You exceeded your current quota, please check your plan and billing details.")
	case a.Reply != nil:
		a.Reply.serve(w, r, &req, a.N, e)
	case ignore:
		Prose().serve(w, r, &req, a.N, e)
	default:
		Echo().serve(w, r, &req, a.N, e)
	}
}

// listed is the list of models: offered less the unknown ones.
func (s *Server) listed(offered []string) []string {
	var out []string
	for _, m := range offered {
		if modelfake.Known(&s.core, m) {
			out = append(out, m)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	modelfake.WriteJSON(w, status, "application/json", v)
}

// errorWriter writes the error envelope, OpenAI's or Ollama's.
type errorWriter struct{ ollama bool }

// write writes {"error": {"message", "type", "param", "code"}} without a
// param.
func (e errorWriter) write(w http.ResponseWriter, status int, typ, code, message string) {
	e.writeParam(w, status, typ, code, "", message)
}

// writeParam writes {"error": {"message", "type", "param", "code"}}; code
// and param "" are null, as Ollama always sends them.
func (e errorWriter) writeParam(w http.ResponseWriter, status int, typ, code, param, message string) {
	var p any
	if param != "" {
		p = param
	}
	var c any
	if code != "" && !e.ollama {
		c = code
	}
	if e.ollama && typ != "insufficient_quota" {
		typ = "api_error"
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"message": message, "type": typ, "param": p, "code": c,
	}})
}

func (s *Server) writeError(w http.ResponseWriter, status int, typ, code, message string) {
	errorWriter{}.write(w, status, typ, code, message)
}

// echo is the answer in echo mode for req.
func echo(req *Request) string {
	return geminitest.EchoAnswer(req.firstUser())
}
