package summarizer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// The Chat Completions wire format, the part this program sends and
// reads. It is written with the standard library rather than through
// github.com/openai/openai-go: the SDK's root package registers thousands
// of types at init, whichever services are used, and linking it grew the
// binary from 28.0 to 48.6 MB (65.2 MB with its whole client), over the
// image's 30 MB cap. The tests drive the fake server with the official SDK
// and decode what this client sends with the SDK's own types, so both
// sides stay the format the SDK speaks.

// chatRequest is POST /chat/completions.
type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
	// MaxTokens is what servers other than OpenAI's read (Ollama
	// documents only it); MaxCompletionTokens is OpenAI's, whose reasoning
	// models refuse max_tokens.
	MaxTokens           int            `json:"max_tokens,omitempty"`
	MaxCompletionTokens int            `json:"max_completion_tokens,omitempty"`
	ResponseFormat      responseFormat `json:"response_format"`
}

type chatMessage struct {
	Role    string `json:"role"` // system, user, assistant
	Content string `json:"content"`
}

// responseFormat is {"type": "json_schema", "json_schema": {...}}.
type responseFormat struct {
	Type       string     `json:"type"`
	JSONSchema jsonSchema `json:"json_schema"`
}

type jsonSchema struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Strict      bool           `json:"strict"`
	Schema      map[string]any `json:"schema"`
}

// chatResponse is the part of a chat.completion object read here.
type chatResponse struct {
	Choices []struct {
		FinishReason string `json:"finish_reason"`
		Message      struct {
			Content *string `json:"content"`
			Refusal *string `json:"refusal"`
		} `json:"message"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// wireError is a non-2xx answer: its status, Retry-After and the error
// envelope {"error": {"message", "type", "param", "code"}} when there is
// one.
type wireError struct {
	Status     int
	RetryAfter string
	Type       string
	Code       string
	Param      string
	Message    string // with keys redacted
}

func (e *wireError) Error() string {
	return fmt.Sprintf("HTTP %d %s %s: %s", e.Status, e.Type, e.Code, e.Message)
}

// envelope decodes the error envelope; code is a string, a number or
// null depending on the server.
type envelope struct {
	Error *struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Param   *string         `json:"param"`
		Code    json.RawMessage `json:"code"`
	} `json:"error"`
}

// openaiClient sends requests to an OpenAI-compatible API root.
type openaiClient struct {
	base string // ends without a slash
	key  string // "" sends no Authorization header
	http *http.Client
}

// maxAnswerBytes bounds what is read of one answer.
const maxAnswerBytes = 8 << 20

// do sends method path with body as JSON (nil for none) and decodes a 2xx
// answer into out. A non-2xx answer is a *wireError; transport failures
// and unreadable answers are returned as they are.
func (c *openaiClient) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer quiet.Close(resp.Body) // read to the end or the limit; nothing to report
	// One byte over the limit tells a whole answer from a cut one.
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return fmt.Errorf("read the answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.wireError(resp, b)
	}
	// The server answered: an answer too long or not JSON is the model's
	// (or a proxy's) unusable answer, not a failure to get one.
	if len(b) > maxAnswerBytes {
		return fmt.Errorf("%w: the answer is over %d MiB", ErrInvalidResponse, maxAnswerBytes>>20)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%w: unreadable answer: %w", ErrInvalidResponse, err)
	}
	return nil
}

// wireError reads a non-2xx answer b: the error envelope when there is
// one, else the body as the message, keys redacted either way.
func (c *openaiClient) wireError(resp *http.Response, b []byte) *wireError {
	b = b[:min(len(b), maxAnswerBytes)]
	we := &wireError{Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After")}
	var env envelope
	if json.Unmarshal(b, &env) == nil && env.Error != nil {
		we.Type, we.Message = env.Error.Type, env.Error.Message
		if env.Error.Param != nil {
			we.Param = *env.Error.Param
		}
		var code string
		if json.Unmarshal(env.Error.Code, &code) != nil && len(env.Error.Code) > 0 && string(env.Error.Code) != "null" {
			code = string(env.Error.Code)
		}
		we.Code = code
	} else {
		we.Message = strings.TrimSpace(string(b))
	}
	we.Message = redactKeys(we.Message, c.key)
	return we
}

// secretKey is what an API key looks like in an error message: OpenAI's
// 401 names the key masked ("sk-proj-****...abcd"), and a proxy may echo
// more of it.
var secretKey = regexp.MustCompile(`sk-[A-Za-z0-9_*.-]{6,}`)

// redactKeys removes key, and anything shaped like an API key, from msg,
// which goes to logs, pause reasons, the status page and chat.
func redactKeys(msg, key string) string {
	if key != "" {
		msg = strings.ReplaceAll(msg, key, "[redacted]")
	}
	return secretKey.ReplaceAllString(msg, "[redacted]")
}
