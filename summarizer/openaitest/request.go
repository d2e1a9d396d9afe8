package openaitest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Request is one request the server received.
type Request struct {
	Method, Path string
	// APIKey is the bearer token, "" when none was sent.
	APIKey string
	Header http.Header
	Body   []byte
	// Chat is the decoded body of a chat completion.
	Chat Chat
}

// Chat is the part of a chat completion request tests assert on.
type Chat struct {
	Model               string          `json:"model"`
	Messages            []Message       `json:"messages"`
	Temperature         *float64        `json:"temperature"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	ResponseFormat      *ResponseFormat `json:"response_format"`
}

// Message is one message; content is text.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ResponseFormat is response_format.
type ResponseFormat struct {
	Type       string `json:"type"`
	JSONSchema *struct {
		Name   string          `json:"name"`
		Strict *bool           `json:"strict"`
		Schema json.RawMessage `json:"schema"`
	} `json:"json_schema"`
}

// firstUser is the first user message's text.
func (r *Request) firstUser() string {
	for _, m := range r.Chat.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

func (r *Request) allText() string {
	var b strings.Builder
	for _, m := range r.Chat.Messages {
		b.WriteString(m.Content)
	}
	return b.String()
}
