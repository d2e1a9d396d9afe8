package main

import (
	"context"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer"
)

// needsGeminiKey reports whether Gemini is the provider of the summaries
// and has no key: the only provider that cannot start without one
// (summarizer.fallback writes while it waits).
func needsGeminiKey(cfg config.Config) bool {
	return cfg.Summarizer.Provider == config.ProviderGemini && cfg.Gemini.APIKey == ""
}

// buildSummarizers builds the configured provider and its fallback (nil
// when none). Gemini without a key is nil, primary or fallback: its
// summaries wait, or the other provider writes them.
func buildSummarizers(ctx context.Context, cfg config.Config, cache summarizer.Cache, log *zap.Logger, opts ...summarizer.Option) (primary, fallback *summarizer.Summarizer, err error) {
	build := func(provider string) (*summarizer.Summarizer, error) {
		if provider == "" || (provider == config.ProviderGemini && cfg.Gemini.APIKey == "") {
			return nil, nil
		}
		return summarizer.Build(ctx, cfg, provider, cache, log, opts...)
	}
	if primary, err = build(cfg.Summarizer.Provider); err != nil {
		return nil, nil, err
	}
	if fallback, err = build(cfg.Summarizer.Fallback); err != nil {
		return nil, nil, err
	}
	return primary, fallback, nil
}

// summarizerDependencies are the dependencies the configured providers
// are paused under, for the status page from the start.
func summarizerDependencies(cfg config.Config) []string {
	var deps []string
	if cfg.Uses(config.ProviderGemini) {
		deps = append(deps, summarizer.Dependency)
	}
	if cfg.Uses(config.ProviderOpenAI) {
		deps = append(deps, summarizer.OpenAIDependency)
	}
	return deps
}
