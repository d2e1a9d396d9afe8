package summarizer

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
)

// Build returns the Summarizer of provider (ProviderGemini or
// ProviderOpenAI) as cfg configures it: Gemini from the gemini section,
// an OpenAI-compatible endpoint from the openai section, both with the
// gemini section's prompts and limits and the summarizer section's
// glossary. It fails with ErrNoAPIKey for Gemini without a key.
func Build(ctx context.Context, cfg config.Config, provider string, cache Cache, log *zap.Logger, opts ...Option) (*Summarizer, error) {
	opts = append([]Option{WithGlossary(cfg.Summarizer.Glossary)}, opts...)
	switch provider {
	case ProviderGemini:
		return New(ctx, cfg.Gemini, cache, log, opts...)
	case ProviderOpenAI:
		return NewOpenAI(cfg.OpenAI, cfg.Gemini, cache, log, opts...)
	}
	return nil, fmt.Errorf("summarizer: unknown provider %q: must be %s or %s", provider, ProviderGemini, ProviderOpenAI)
}

// ModelOf is the model provider would use under cfg, for messages before
// a Summarizer exists.
func ModelOf(cfg config.Config, provider string) string {
	if provider == ProviderOpenAI {
		return cfg.OpenAI.Model
	}
	return cfg.Gemini.Model
}
