// Package summarizer turns one extracted article into the Korean sections of
// a newsletter entry (요약, 소개, 추천, 주의) with Gemini, and checks every
// answer against guardrails before anyone sees it.
//
// One request asks for a JSON object under a response schema. The answer
// must be Korean prose without HTML, headings or links, and every number in
// it must appear in the article; an answer that breaks a rule gets one
// corrective retry naming what was wrong, then fails with a GuardrailError.
// Transient API failures (429, 5xx, timeouts) are retried with backoff that
// honours the server's retry delay, under client-side per-minute limits.
// Results are cached by article text, prompt version and model.
package summarizer

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"

	"go.uber.org/zap"
	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/config"
)

// Input is the article to summarise.
type Input struct {
	Title, URL, SiteName, Language, Text string
}

// Usage counts what one Summarize call consumed.
type Usage struct {
	// Requests is the number of generateContent requests sent, retries and
	// corrections included (what the per-day quota counts).
	Requests int
	// PromptTokens sums usageMetadata.promptTokenCount.
	PromptTokens int
	// OutputTokens sums candidatesTokenCount and thoughtsTokenCount:
	// thinking tokens are billed as output.
	OutputTokens int
}

func (u *Usage) add(m *genai.GenerateContentResponseUsageMetadata) {
	if m == nil {
		return
	}
	u.PromptTokens += int(m.PromptTokenCount)
	u.OutputTokens += int(m.CandidatesTokenCount) + int(m.ThoughtsTokenCount)
}

// Result is one article's sections and how they were made.
type Result struct {
	Sections
	Model         string
	PromptVersion string
	Usage         Usage
	// Cached is true when the sections came from the cache (no request).
	Cached bool
}

// Cache stores validated sections as JSON, keyed by the SHA-256 of the
// trimmed article text, the prompt version and the model.
type Cache interface {
	LookupSummary(ctx context.Context, textHash, promptVersion, model string) ([]byte, bool, error)
	SaveSummary(ctx context.Context, textHash, promptVersion, model string, value []byte) error
}

// Summarizer summarises articles with one Gemini model. It is safe for
// concurrent use; its rate limits are shared by all callers.
type Summarizer struct {
	cfg     config.Gemini
	client  *genai.Client
	prompts *promptSet
	schema  *genai.Schema
	cache   Cache
	log     *zap.Logger
	limiter *limiter

	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	jitter func(n int64) int64 // uniform in [0, n)
}

// deps are the outside effects a test may replace.
type deps struct {
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
	jitter    func(n int64) int64
	transport http.RoundTripper
}

func defaultDeps() deps {
	return deps{
		now:   time.Now,
		sleep: sleepContext,
		jitter: func(n int64) int64 {
			if n <= 0 {
				return 0
			}
			return rand.Int64N(n)
		},
		transport: defaultTransport(),
	}
}

// defaultTransport is a private copy of the default transport, so that the
// summariser's connections are its own.
func defaultTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return http.DefaultTransport
}

// New returns a Summarizer for cfg. cache may be nil. It fails with
// ErrNoAPIKey when cfg.APIKey is empty, and when the prompt templates in
// cfg.PromptsDir cannot be read or parsed. Zero values in cfg fall back to
// config.Default.
func New(ctx context.Context, cfg config.Gemini, cache Cache, log *zap.Logger) (*Summarizer, error) {
	return newSummarizer(ctx, cfg, cache, log, defaultDeps())
}

func newSummarizer(ctx context.Context, cfg config.Gemini, cache Cache, log *zap.Logger, d deps) (*Summarizer, error) {
	if cfg.APIKey == "" {
		return nil, ErrNoAPIKey
	}
	if log == nil {
		log = zap.NewNop()
	}
	cfg = withDefaults(cfg)
	ps, err := loadPrompts(cfg.PromptsDir)
	if err != nil {
		return nil, err
	}
	client, err := newClient(ctx, cfg, &hintTransport{base: d.transport, now: d.now})
	if err != nil {
		return nil, err
	}
	return &Summarizer{
		cfg:     cfg,
		client:  client,
		prompts: ps,
		schema:  responseSchema(),
		cache:   cache,
		log:     log.Named("summarizer"),
		limiter: newLimiter(cfg.RequestsPerMinute, cfg.TokensPerMinute, d.now, d.sleep),
		now:     d.now,
		sleep:   d.sleep,
		jitter:  d.jitter,
	}, nil
}

// withDefaults fills the zero values that have no meaning of their own.
// Zero rate limits (unlimited), temperature and prices are kept.
func withDefaults(cfg config.Gemini) config.Gemini {
	def := config.Default().Gemini
	if cfg.Model == "" {
		cfg.Model = def.Model
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = def.Timeout
	}
	if cfg.MaxAttempts < 1 {
		cfg.MaxAttempts = 1
	}
	if cfg.InputTokenBudget <= 0 {
		cfg.InputTokenBudget = def.InputTokenBudget
	}
	if cfg.MaxOutputTokens <= 0 {
		cfg.MaxOutputTokens = def.MaxOutputTokens
	}
	return cfg
}

// Model returns the model id, as named in the disclaimer.
func (s *Summarizer) Model() string { return s.cfg.Model }

// PromptVersion returns the short hash of the prompt template and response
// schema in use.
func (s *Summarizer) PromptVersion() string { return s.prompts.version }

// Cost estimates u in US dollars from the configured prices.
func (s *Summarizer) Cost(u Usage) float64 {
	return float64(u.PromptTokens)*s.cfg.PriceInputPerMillion/1e6 +
		float64(u.OutputTokens)*s.cfg.PriceOutputPerMillion/1e6
}
