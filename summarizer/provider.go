package summarizer

import (
	"context"
	"fmt"

	"github.com/godevcommunity/newsletter/config"
)

// Providers a Summarizer can ask: Gemini through its SDK, or any
// OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM, ...),
// as the configuration names them.
const (
	ProviderGemini = config.ProviderGemini
	ProviderOpenAI = config.ProviderOpenAI
)

// turn is one message of the conversation after the system instruction:
// the user's (the prompt, a correction) or the model's earlier answer.
type turn struct {
	model bool
	text  string
}

// ask is one question to a provider: the conversation so far and the
// limits of the answer.
type ask struct {
	url       string // the article, for logs
	system    string
	turns     []turn
	maxOutput int
	tokens    int  // estimated input tokens, for the rate limiter
	urgent    bool // the issue closes soon: no slow tier
}

// provider is one model behind one API. complete sends an ask, retrying
// what its API says is worth retrying, and returns the answer's text. Its
// errors are classified by package retry as Gemini's always were: a
// refused key, an unknown model or a spent quota is an outage of
// dependency(), a request the server rejects is permanent, the rest
// transient; and an answer that is not usable is ErrTruncated,
// ErrInvalidResponse or a *BlockedError, which the Summarizer handles.
type provider interface {
	// name is ProviderGemini or ProviderOpenAI.
	name() string
	// model is the model id, as the disclaimer names it.
	model() string
	// dependency names the provider in outages and pauses.
	dependency() string
	complete(ctx context.Context, a ask, u *Usage) (string, error)
	// check asks about the model without generating anything.
	check(ctx context.Context) error
}

// cacheModel is the model part of the cache key: Gemini's models by their
// id alone (the key of every summary cached before there were other
// providers), the others prefixed with their provider, so that a local
// model named like a Gemini one never shares its answers.
func cacheModel(p provider) string {
	if p.name() == ProviderGemini {
		return p.model()
	}
	return fmt.Sprintf("%s:%s", p.name(), p.model())
}
