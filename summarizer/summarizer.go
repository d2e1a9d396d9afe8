// Package summarizer turns one extracted article into the Korean sections of
// a newsletter entry (요약, 소개, 추천, 주의) with Gemini, or with any model
// behind an OpenAI-compatible Chat Completions endpoint, and checks every
// answer against guardrails before anyone sees it.
//
// One request asks for a JSON object under a response schema. The answer
// must be Korean prose without HTML, headings or links, and every number in
// it must appear in the article; an answer that breaks a rule gets one
// corrective retry naming what was wrong, then fails with a GuardrailError.
// Transient API failures (429, 5xx, timeouts) are retried with backoff that
// honours the server's retry delay, under client-side per-minute limits.
// Errors are classified by package retry: a bad article is permanent, and
// what no article can get past (a refused key, an unknown model, a spent
// daily quota, a run of 5xx answers) is an outage of "gemini".
// Results are cached by article text, prompt version, provider and model.
// Both providers share the prompt, the guardrails, the corrective retry and
// the failure model; only the wire differs (provider.go).
package summarizer

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"
	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/retry"
)

// Input is the article to summarise.
type Input struct {
	Title, URL, SiteName, Language, Text string
	// Instruction is an editor's request for a regenerated entry ("더
	// 짧게"); "" for none. An answer made with one is not cached.
	Instruction string
	// Urgent asks for the standard service tier whatever gemini.service_tier
	// says: the issue closes soon, and flex answers may take minutes or be
	// refused under load.
	Urgent bool
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
	// CostUSD estimates what the requests cost, from the prices configured
	// when each was made and the service tier it used.
	CostUSD float64
}

// Add adds v to u.
func (u *Usage) Add(v Usage) {
	u.Requests += v.Requests
	u.PromptTokens += v.PromptTokens
	u.OutputTokens += v.OutputTokens
	u.CostUSD += v.CostUSD
}

// Result is one article's sections and how they were made.
type Result struct {
	entry.Sections
	Model         string
	PromptVersion string
	Usage         Usage
	// Cached is true when the sections came from the cache (no request).
	Cached bool
	// Checks is how the answers fared under the guardrails, for eval.
	Checks Checks
}

// Checks is how one call's answers fared under the guardrails.
type Checks struct {
	// FirstTry lists what the first answer broke, rule "json" when it
	// was no JSON object; empty when it passed.
	FirstTry []Violation
	// Corrections counts the corrective retries (guardrails broken, or no
	// JSON object).
	Corrections int
	// Final lists what the last answer still broke when the call failed
	// on the guardrails.
	Final []Violation
}

// Cache stores validated sections as JSON, keyed by the SHA-256 of the
// trimmed article text, the prompt version and the model.
type Cache interface {
	LookupSummary(ctx context.Context, textHash, promptVersion, model string) ([]byte, bool, error)
	SaveSummary(ctx context.Context, textHash, promptVersion, model string, value []byte) error
}

// Summarizer summarises articles with one model of one provider (Gemini,
// or an OpenAI-compatible endpoint). It is safe for concurrent use; its
// rate limits are shared by all callers.
type Summarizer struct {
	// cfg holds what every provider shares: the prompts, the input budget
	// and the output limit.
	cfg     config.Gemini
	prov    provider
	prompts *promptSet
	cache   Cache
	log     *zap.Logger
	clock   clockwork.Clock
	// glossary is summarizer.glossary, parsed.
	glossary []glossaryTerm
}

// geminiProvider asks Gemini through google.golang.org/genai.
type geminiProvider struct {
	cfg     config.Gemini
	client  *genai.Client
	schema  *genai.Schema
	log     *zap.Logger
	limiter *limiter
	clock   clockwork.Clock
	backoff retry.Backoff
	health  health
	noFlex  atomic.Bool // the flex tier refused this key or model for good
}

func (s *geminiProvider) name() string       { return ProviderGemini }
func (s *geminiProvider) model() string      { return s.cfg.Model }
func (s *geminiProvider) dependency() string { return Dependency }

// Option configures a Summarizer beyond its configuration section.
type Option func(*deps)

// WithClock sets the clock of the waits between attempts, the rate limits
// and outage times (default: the real clock).
func WithClock(c clockwork.Clock) Option { return func(d *deps) { d.clock = c } }

// WithWaitNotice calls notice before every wait on the rate limit longer
// than nothing, for a progress line.
func WithWaitNotice(notice func(d time.Duration)) Option { return func(d *deps) { d.notice = notice } }

// deps are the outside effects a test may replace.
type deps struct {
	clock     clockwork.Clock
	jitter    func(n int64) int64 // nil: random
	transport http.RoundTripper
	notice    func(time.Duration)
	glossary  []glossaryTerm // nil: config.DefaultGlossary
}

// WithGlossary sets the terms' Korean forms the guardrails keep to,
// summarizer.glossary entries (default: config.DefaultGlossary).
func WithGlossary(entries []string) Option {
	return func(d *deps) { d.glossary = parseGlossary(entries) }
}

// defaultTransport is a private copy of the default transport, so that the
// summariser's connections are its own.
func defaultTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return http.DefaultTransport
}

// New returns a Summarizer for cfg, which config.Validate has approved.
// cache may be nil. It fails with ErrNoAPIKey when cfg.APIKey is empty, and
// when the prompt templates in cfg.PromptsDir cannot be read or parsed. It
// makes no request; Check does.
func New(ctx context.Context, cfg config.Gemini, cache Cache, log *zap.Logger, opts ...Option) (*Summarizer, error) {
	d := deps{clock: clockwork.NewRealClock(), transport: defaultTransport()}
	for _, o := range opts {
		o(&d)
	}
	return newSummarizer(ctx, cfg, cache, log, d)
}

func newSummarizer(ctx context.Context, cfg config.Gemini, cache Cache, log *zap.Logger, d deps) (*Summarizer, error) {
	if cfg.APIKey == "" {
		return nil, ErrNoAPIKey
	}
	if log == nil {
		log = zap.NewNop()
	}
	client, err := newClient(ctx, cfg, &hintTransport{base: d.transport, clock: d.clock})
	if err != nil {
		return nil, err
	}
	log = log.Named("summarizer")
	g := &geminiProvider{
		cfg:     cfg,
		client:  client,
		schema:  responseSchema(),
		log:     log,
		limiter: newLimiter(cfg.RequestsPerMinute, cfg.TokensPerMinute, d.clock, d.notice),
		clock:   d.clock,
		backoff: retry.Backoff{Base: backoffBase, Max: backoffMax, Jitter: d.jitter},
	}
	return withProvider(cfg, g, cache, log, d)
}

// withProvider is the Summarizer asking p, with the prompts and limits of
// shared.
func withProvider(shared config.Gemini, p provider, cache Cache, log *zap.Logger, d deps) (*Summarizer, error) {
	ps, err := loadPrompts(shared.PromptsDir)
	if err != nil {
		return nil, err
	}
	g := d.glossary
	if g == nil {
		g = defaultGlossary
	}
	return &Summarizer{cfg: shared, prov: p, prompts: ps, cache: cache, log: log, clock: d.clock, glossary: g}, nil
}

// Model returns the model id, as named in the disclaimer.
func (s *Summarizer) Model() string { return s.prov.model() }

// Provider returns the provider's name: ProviderGemini or ProviderOpenAI.
func (s *Summarizer) Provider() string { return s.prov.name() }

// Dependency names the provider in outages and pauses: Dependency for
// Gemini, OpenAIDependency for an OpenAI-compatible endpoint.
func (s *Summarizer) Dependency() string { return s.prov.dependency() }

// Check asks the provider about the configured model, which costs no
// quota: the cheap call that tells at start whether the key is accepted
// and the model exists. Its error is an outage of the provider naming why.
func (s *Summarizer) Check(ctx context.Context) error { return s.prov.check(ctx) }

// PromptVersion returns the short hash of the prompt template and response
// schema in use.
func (s *Summarizer) PromptVersion() string { return s.prompts.version }

// cost estimates the price of tokens in US dollars from the configured
// prices; the flex tier costs half.
func (s *geminiProvider) cost(prompt, output int, tier genai.ServiceTier) float64 {
	c := float64(prompt)*s.cfg.PriceInputPerMillion/1e6 + float64(output)*s.cfg.PriceOutputPerMillion/1e6
	if tier == genai.ServiceTierFlex {
		c /= 2
	}
	return c
}

// health counts the calls in a row whose every attempt failed on a 5xx,
// a timeout or the network: two in a row, for different articles, is an
// outage of the provider rather than bad luck with one article.
type health struct {
	mu     sync.Mutex
	failed int
}

// answered records that Gemini answered (whatever the answer said).
func (h *health) answered() {
	h.mu.Lock()
	h.failed = 0
	h.mu.Unlock()
}

// unavailable records a call that got no answer and returns how many in a
// row have not.
func (h *health) unavailable() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failed++
	return h.failed
}
