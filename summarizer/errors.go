package summarizer

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNoAPIKey is returned by New when no Gemini API key is configured.
	ErrNoAPIKey = errors.New("summarizer: no Gemini API key: set gemini.api_key or GEMINI_API_KEY")
	// ErrEmptyInput means the article has no text to summarise.
	ErrEmptyInput = errors.New("summarizer: article has no text")
	// ErrBlocked means Gemini refused the prompt or stopped its answer for
	// safety, recitation or a similar policy; see BlockedError for the reason.
	ErrBlocked = errors.New("summarizer: the model blocked the request")
	// ErrTruncated means the answer hit the output token limit, also after a
	// retry with a doubled limit.
	ErrTruncated = errors.New("summarizer: answer cut off at the output token limit")
	// ErrInvalidResponse means the answer was not the JSON object asked for,
	// also after a corrective retry.
	ErrInvalidResponse = errors.New("summarizer: answer is not the expected JSON object")
	// ErrQuotaExhausted means a daily quota of the Gemini project is used up:
	// retrying before it resets (midnight Pacific time) cannot succeed.
	ErrQuotaExhausted = errors.New("summarizer: the model provider's quota is used up")
	// ErrKeyRefused means Gemini refused the API key: invalid, expired,
	// revoked, or without access to the API.
	ErrKeyRefused = errors.New("summarizer: the model provider refused the API key")
	// ErrUnknownModel means Gemini does not know the configured model, or
	// it cannot generate content.
	ErrUnknownModel = errors.New("summarizer: the model provider does not offer the model")
	// ErrRefusedSetting means the endpoint refused a setting of every
	// request (a parameter or value the model does not support): the
	// configuration must change, not the article.
	ErrRefusedSetting = errors.New("summarizer: the endpoint refuses a configured setting")
	// ErrNoTokenCount means the provider has no token-counting method.
	ErrNoTokenCount = errors.New("summarizer: only Gemini counts tokens")
)

// BlockedError tells why the model blocked a request. It matches ErrBlocked.
type BlockedError struct {
	// Reason is Gemini's blockReason or finishReason, e.g. "SAFETY", or
	// an OpenAI-compatible endpoint's content_filter or refusal.
	Reason string
	// Prompt is true when the prompt itself was refused (promptFeedback),
	// false when generation stopped (finishReason).
	Prompt bool
}

func (e *BlockedError) Error() string {
	if e.Prompt {
		return fmt.Sprintf("summarizer: the model blocked the prompt (block reason %s)", e.Reason)
	}
	return fmt.Sprintf("summarizer: the model stopped the answer (finish reason %s)", e.Reason)
}

// Is reports whether target is ErrBlocked.
func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// GuardrailError is returned when an answer still breaks the guardrails after
// one corrective retry.
type GuardrailError struct {
	Violations []Violation
}

func (e *GuardrailError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
	}
	return "summarizer: answer broke the guardrails after a corrective retry: " + strings.Join(parts, "; ")
}
