package main

import (
	"context"
	"errors"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/server"
)

// keyNeed says what a command does without a Gemini API key.
type keyNeed int

const (
	keyUnused   keyNeed = iota // the command never summarises
	keyOptional                // serve: summaries wait for a key
	keyRequired                // run, --url: refuse to start
)

// preflight checks, beyond the values load validated, everything a command
// would refuse at its start, before it opens or creates anything: the
// schedule, the API's listen address without a token, the fetcher's, the
// prompts', the chats' and Hashnode's settings (built as serve builds
// them), the Gemini key.
// Problems are one line each, joined; warnings are worth a look but stop
// nothing. `config check` shows both for serve, the command that needs the
// most.
func preflight(cfg config.Config, key keyNeed, now time.Time) (warnings []string, problems error) {
	var errs []error
	if err := edition.CheckSchedule(cfg.Schedule); err != nil {
		errs = append(errs, err)
	}
	if err := server.CheckListen(cfg.Server); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, buildOutlets(cfg)...)
	if needsGeminiKey(cfg) {
		switch key {
		case keyRequired:
			errs = append(errs, errNoAPIKey(""))
		case keyOptional:
			warnings = append(warnings, "gemini.api_key is not set: serve accepts, fetches and extracts submissions, and their summaries wait for GEMINI_API_KEY; run and --url refuse to start")
		}
	}
	if cfg.Summarizer.Fallback == config.ProviderGemini && cfg.Gemini.APIKey == "" {
		warnings = append(warnings, "summarizer.fallback is gemini but gemini.api_key is not set: there is no fallback until GEMINI_API_KEY is")
	}
	return append(warnings, cfg.Warnings(now)...), errors.Join(errs...)
}

// buildOutlets builds, with the constructors buildDaemon uses and without
// any traffic, what serve builds from the configuration beyond the
// database: the fetcher, the summariser (its prompts), the chat webhooks
// and the Hashnode client. What
// one refuses, preflight refuses, so config check and serve agree.
func buildOutlets(cfg config.Config) []error {
	var errs []error
	if _, err := fetcher.New(cfg.Fetcher, zap.NewNop()); err != nil {
		errs = append(errs, err)
	}
	if _, err := newNotifier(cfg.Notify, clockwork.NewRealClock()); err != nil {
		errs = append(errs, err)
	}
	// The prompts they read; no request is made.
	if _, _, err := buildSummarizers(context.Background(), cfg, nil, zap.NewNop()); err != nil {
		errs = append(errs, err)
	}
	if cfg.Publisher.Hashnode.PublicationID != "" {
		// The ledger is the database's; none is opened here, nor used.
		if _, err := newHashnode(cfg.Publisher.Hashnode, edition.StoreLedger{}, clockwork.NewRealClock(), zap.NewNop()); err != nil {
			errs = append(errs, err)
		}
	}
	if cfg.Publisher.Listmonk.URL != "" {
		if _, err := newListmonk(cfg.Publisher.Listmonk, nil, clockwork.NewRealClock(), zap.NewNop()); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
