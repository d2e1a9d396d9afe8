package openaitest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

// client is the official SDK pointed at s, without its retries.
func client(s *Server, key string) *openai.Client {
	c := openai.NewClient(option.WithBaseURL(s.URL), option.WithAPIKey(key), option.WithMaxRetries(0))
	return &c
}

func params() openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:    shared.ChatModel(Model),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("sys"), openai.UserMessage("Title: Go iterators\n\nText")},
		ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "x", Strict: openai.Bool(true), Schema: map[string]any{"type": "object"}}}},
	}
}

// TestThroughTheSDK drives the fake with the official openai-go SDK: what
// it answers is what the SDK reads, answers and errors alike.
func TestThroughTheSDK(t *testing.T) {
	ctx := context.Background()
	t.Run("structured output", func(t *testing.T) {
		s := NewServer(t)
		resp, err := client(s, APIKey).Chat.Completions.New(ctx, params())
		if err != nil {
			t.Fatal(err)
		}
		if c := resp.Choices[0]; c.FinishReason != "stop" || !strings.Contains(c.Message.Content, `"title_ko"`) || resp.Usage.PromptTokens == 0 {
			t.Errorf("answer %+v", resp)
		}
		r := s.Completions()[0]
		if r.Chat.ResponseFormat == nil || r.Chat.ResponseFormat.Type != "json_schema" || !*r.Chat.ResponseFormat.JSONSchema.Strict {
			t.Errorf("recorded response_format %+v", r.Chat.ResponseFormat)
		}
	})
	t.Run("error envelope", func(t *testing.T) {
		s := NewServer(t)
		s.Enqueue(Error(400, "invalid_request_error", "context_length_exceeded", "too long"))
		_, err := client(s, APIKey).Chat.Completions.New(ctx, params())
		var api *openai.Error
		if !errors.As(err, &api) || api.StatusCode != 400 || api.Code != "context_length_exceeded" || api.Type != "invalid_request_error" || api.Message != "too long" {
			t.Errorf("err = %#v", err)
		}
	})
	t.Run("429 with Retry-After", func(t *testing.T) {
		s := NewServer(t)
		s.Enqueue(RateLimited(7 * time.Second))
		_, err := client(s, APIKey).Chat.Completions.New(ctx, params())
		var api *openai.Error
		if !errors.As(err, &api) || api.StatusCode != http.StatusTooManyRequests || api.Response.Header.Get("Retry-After") != "7" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("401", func(t *testing.T) {
		s := NewServer(t)
		_, err := client(s, "").Chat.Completions.New(ctx, params())
		var api *openai.Error
		if !errors.As(err, &api) || api.StatusCode != http.StatusUnauthorized || api.Code != "invalid_api_key" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a model ignoring the schema", func(t *testing.T) {
		s := NewServer(t)
		s.IgnoreSchema(true)
		resp, err := client(s, APIKey).Chat.Completions.New(ctx, params())
		if err != nil || strings.HasPrefix(resp.Choices[0].Message.Content, "{") {
			t.Errorf("answer %v, %v: want prose", resp, err)
		}
	})
	t.Run("a slow answer", func(t *testing.T) {
		s := NewServer(t)
		s.Enqueue(Echo().WithDelay(time.Hour))
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := client(s, APIKey).Chat.Completions.New(cctx, params()); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the deadline", err)
		}
	})
	t.Run("Ollama: no key, a model not pulled", func(t *testing.T) {
		s := NewServer(t)
		s.Ollama(true)
		if _, err := client(s, "").Chat.Completions.New(ctx, params()); err != nil {
			t.Errorf("without a key: %v", err)
		}
		s.UnknownModel(Model)
		_, err := client(s, "").Models.Get(ctx, Model)
		var api *openai.Error
		if !errors.As(err, &api) || api.StatusCode != 404 || api.Type != "api_error" || !strings.Contains(api.Message, "try pulling it first") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("the list of models", func(t *testing.T) {
		tests := []struct {
			name  string
			setup func(*Server)
			key   string
			want  []string
			byID  bool // GET /v1/models/{model} answers too
		}{
			{"OpenAI", func(s *Server) { s.Offer("gpt-5-mini") }, APIKey, []string{Model, "gpt-5-mini"}, true},
			{"Ollama, tagged", func(s *Server) { s.Ollama(true) }, "", []string{Model + ":latest"}, true},
			{"vLLM, a slash in the id, no GET by id", func(s *Server) {
				s.VLLM(true)
				s.Offer("meta-llama/Llama-3.1-8B")
			}, "", []string{Model, "meta-llama/Llama-3.1-8B"}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := NewServer(t)
				tt.setup(s)
				page, err := client(s, tt.key).Models.List(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, m := range page.Data {
					got = append(got, m.ID)
				}
				if strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Errorf("listed %v, want %v", got, tt.want)
				}
				_, err = client(s, tt.key).Models.Get(ctx, Model)
				if (err == nil) != tt.byID {
					t.Errorf("GET by id: %v, want it answered: %v", err, tt.byID)
				}
			})
		}
	})
}
