package geminitest

import (
	"encoding/json"
	"net/http"
	"strings"

	"google.golang.org/genai"
)

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	// Model and Action come from the path
	// /v1beta/models/{Model}:{Action}; Action is "generateContent" or
	// "countTokens", empty for an unknown path.
	Model, Action string
	// APIKey is the x-goog-api-key header.
	APIKey string
	Header http.Header
	Body   []byte

	// SystemInstruction is the text of systemInstruction.
	SystemInstruction string
	// Contents are the conversation turns, text parts joined.
	Contents []Content
	// GenerationConfig holds the settings that matter to the summarizer.
	GenerationConfig GenerationConfig
	// ServiceTier is the request's serviceTier ("flex"), "" for standard.
	ServiceTier string
}

// Content is one turn: role "user" or "model", and its text.
type Content struct {
	Role, Text string
}

// GenerationConfig is the part of generationConfig tests assert on.
type GenerationConfig struct {
	ResponseMIMEType string          `json:"responseMimeType"`
	ResponseSchema   json.RawMessage `json:"responseSchema"`
	Temperature      *float64        `json:"temperature"`
	MaxOutputTokens  int             `json:"maxOutputTokens"`
	ThinkingConfig   *struct {
		ThinkingLevel  string `json:"thinkingLevel"`
		ThinkingBudget *int   `json:"thinkingBudget"`
	} `json:"thinkingConfig"`
}

// Schema decodes the response schema, nil when there is none.
func (g GenerationConfig) Schema() (*genai.Schema, error) {
	if len(g.ResponseSchema) == 0 {
		return nil, nil
	}
	var s genai.Schema
	if err := json.Unmarshal(g.ResponseSchema, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// UserText joins the text of every user turn.
func (r Request) UserText() string {
	var parts []string
	for _, c := range r.Contents {
		if c.Role == "user" || c.Role == "" {
			parts = append(parts, c.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// LastUserText is the text of the final user turn (a correction, in a
// corrective retry).
func (r Request) LastUserText() string {
	for i := len(r.Contents) - 1; i >= 0; i-- {
		if c := r.Contents[i]; c.Role == "user" || c.Role == "" {
			return c.Text
		}
	}
	return ""
}

// allText is every text the request carries, for token estimates.
func (r Request) allText() string {
	var parts []string
	if r.SystemInstruction != "" {
		parts = append(parts, r.SystemInstruction)
	}
	for _, c := range r.Contents {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

// wireContent is a Content on the wire.
type wireContent struct {
	Role  string `json:"role"`
	Parts []struct {
		Text string `json:"text"`
	} `json:"parts"`
}

func (c wireContent) text() string {
	var b strings.Builder
	for _, p := range c.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// decode fills the decoded fields from Body.
func (r *Request) decode() error {
	if len(r.Body) == 0 {
		return nil
	}
	var wire struct {
		Contents          []wireContent    `json:"contents"`
		SystemInstruction *wireContent     `json:"systemInstruction"`
		GenerationConfig  GenerationConfig `json:"generationConfig"`
		ServiceTier       string           `json:"serviceTier"`
	}
	if err := json.Unmarshal(r.Body, &wire); err != nil {
		return err
	}
	if wire.SystemInstruction != nil {
		r.SystemInstruction = wire.SystemInstruction.text()
	}
	for _, c := range wire.Contents {
		r.Contents = append(r.Contents, Content{Role: c.Role, Text: c.text()})
	}
	r.GenerationConfig = wire.GenerationConfig
	r.ServiceTier = wire.ServiceTier
	return nil
}
