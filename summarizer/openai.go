package summarizer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/retry"
)

// OpenAIDependency names an OpenAI-compatible endpoint in outages, pauses
// and metrics.
const OpenAIDependency = "openai"

// openaiProvider asks an OpenAI-compatible Chat Completions endpoint:
// OpenAI, Ollama's /v1, vLLM and the like (the wire: openai_wire.go). Its failures map onto the Gemini provider's: a refused key, an
// unknown model or a spent quota is an outage of "openai", 429, 408, 5xx,
// timeouts and the network are retried with the same backoff (the
// server's Retry-After honoured), and two calls in a row that got no
// answer are an outage; any other 4xx is permanent.
type openaiProvider struct {
	cfg     config.OpenAI
	shared  config.Gemini // temperature and attempts
	client  *openaiClient
	schema  map[string]any
	log     *zap.Logger
	limiter *limiter
	clock   clockwork.Clock
	backoff retry.Backoff
	health  health
	// legacyMaxTokens sends max_tokens instead of max_completion_tokens:
	// Ollama documents only the former, OpenAI's reasoning models accept
	// only the latter.
	legacyMaxTokens bool
}

// ErrNoOpenAIModel is returned by NewOpenAI when openai.model is empty.
var ErrNoOpenAIModel = errors.New("summarizer: no OpenAI-compatible model: set openai.model")

// NewOpenAI returns a Summarizer asking the OpenAI-compatible endpoint of
// cfg, with the prompts, budgets, attempts and temperature of shared (the
// gemini section, which both providers share). The API key is optional:
// a local server (Ollama) wants none. It makes no request; Check does.
func NewOpenAI(cfg config.OpenAI, shared config.Gemini, cache Cache, log *zap.Logger, opts ...Option) (*Summarizer, error) {
	d := deps{clock: clockwork.NewRealClock(), transport: defaultTransport()}
	for _, o := range opts {
		o(&d)
	}
	return newOpenAISummarizer(cfg, shared, cache, log, d)
}

func newOpenAISummarizer(cfg config.OpenAI, shared config.Gemini, cache Cache, log *zap.Logger, d deps) (*Summarizer, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, ErrNoOpenAIModel
	}
	if log == nil {
		log = zap.NewNop()
	}
	log = log.Named("summarizer")
	p := &openaiProvider{
		cfg:    cfg,
		shared: shared,
		// From the configuration alone (which honours OPENAI_BASE_URL and
		// OPENAI_API_KEY itself); the client never retries, complete's
		// loop does.
		client: &openaiClient{base: strings.TrimRight(cfg.BaseURL, "/"), key: cfg.APIKey,
			http: &http.Client{Transport: d.transport}},
		schema:          openAISchema(),
		log:             log,
		limiter:         newLimiter(cfg.RequestsPerMinute, 0, d.clock, d.notice),
		clock:           d.clock,
		backoff:         retry.Backoff{Base: backoffBase, Max: backoffMax, Jitter: d.jitter},
		legacyMaxTokens: !isOpenAIHost(cfg.BaseURL),
	}
	return withProvider(shared, p, cache, log, d)
}

// isOpenAIHost reports whether base is OpenAI's own API.
func isOpenAIHost(base string) bool {
	u, err := url.Parse(base)
	return err == nil && (u.Hostname() == "api.openai.com" || strings.HasSuffix(u.Hostname(), ".openai.azure.com"))
}

func (p *openaiProvider) name() string       { return ProviderOpenAI }
func (p *openaiProvider) model() string      { return p.cfg.Model }
func (p *openaiProvider) dependency() string { return OpenAIDependency }

// openAISchema is the response schema in the subset strict structured
// outputs accept: every property required, no other property, no length
// keywords (the lengths are in the descriptions; the guardrails check them
// on every answer).
func openAISchema() map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range responseFields() {
		props[f.key] = map[string]any{"type": "string",
			"description": fmt.Sprintf("%s (%d to %d characters)", f.desc, f.min, f.max)}
		required = append(required, f.key)
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// params is the Chat Completions request for a.
func (p *openaiProvider) params(a ask) chatRequest {
	msgs := []chatMessage{{Role: "system", Content: a.system}}
	for _, t := range a.turns {
		role := "user"
		if t.model {
			role = "assistant"
		}
		msgs = append(msgs, chatMessage{Role: role, Content: t.text})
	}
	r := chatRequest{
		Model:       p.cfg.Model,
		Messages:    msgs,
		Temperature: p.shared.Temperature,
		ResponseFormat: responseFormat{Type: "json_schema", JSONSchema: jsonSchema{
			Name:        "newsletter_entry",
			Description: "The Korean sections of one newsletter entry.",
			Strict:      true,
			Schema:      p.schema,
		}},
	}
	if p.legacyMaxTokens {
		r.MaxTokens = a.maxOutput
	} else {
		r.MaxCompletionTokens = a.maxOutput
	}
	return r
}

// complete sends a, retrying 408, 429, 5xx, timeouts and network
// failures up to gemini.max_attempts times in all, as the Gemini provider
// does.
func (p *openaiProvider) complete(ctx context.Context, a ask, u *Usage) (string, error) {
	params := p.params(a)
	for attempt := 1; ; attempt++ {
		if err := p.limiter.wait(ctx, a.tokens); err != nil {
			return "", err
		}
		rctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
		var resp chatResponse
		err := p.client.do(rctx, http.MethodPost, "/chat/completions", params, &resp)
		timedOut := errors.Is(rctx.Err(), context.DeadlineExceeded)
		cancel()
		u.Requests++
		if errors.Is(err, ErrInvalidResponse) {
			// An answer came, unusable: the Summarizer asks once more.
			p.health.answered()
			return "", fmt.Errorf("openai %s: %w", p.cfg.Model, err)
		}
		if err == nil {
			p.health.answered()
			prompt, output := int(resp.Usage.PromptTokens), int(resp.Usage.CompletionTokens)
			u.PromptTokens += prompt
			u.OutputTokens += output
			u.CostUSD += p.cost(prompt, output)
			return openAIAnswer(&resp)
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("openai %s: %w", p.cfg.Model, ctx.Err())
		}
		f := p.classify(err, timedOut)
		now := p.clock.Now()
		switch {
		case f.outage:
			return "", retry.Unavailable(OpenAIDependency, f.until, f.err)
		case !f.retryable:
			p.health.answered()
			return "", retry.Never(f.err)
		case f.delay > maxServerDelay:
			return "", retry.Unavailable(OpenAIDependency, now.Add(f.delay),
				fmt.Errorf("%w (the server asked to wait %s)", f.err, f.delay))
		case attempt >= p.shared.MaxAttempts:
			return "", p.gaveUp(f, attempt, now)
		}
		delay := p.backoff.Delay(attempt, f.delay)
		p.log.Warn("openai request failed; retrying after a backoff",
			zap.String("url", a.url), zap.Int("attempt", attempt), zap.Int("status", f.status),
			zap.Duration("backoff", delay), zap.Error(f.err))
		if err := retry.Sleep(ctx, p.clock, delay); err != nil {
			return "", fmt.Errorf("openai %s: %w", p.cfg.Model, err)
		}
	}
}

// gaveUp is the Gemini provider's rule: a rate limit that does not lift is
// an outage until its delay, two calls in a row without an answer an
// outage until a probe succeeds, one the article's bad luck.
func (p *openaiProvider) gaveUp(f failure, attempts int, now time.Time) error {
	err := fmt.Errorf("%w (gave up after %d attempts)", f.err, attempts)
	if f.status == http.StatusTooManyRequests {
		return retry.Unavailable(OpenAIDependency, now.Add(max(f.delay, p.backoff.Max)), err)
	}
	if n := p.health.unavailable(); n >= 2 {
		return retry.Unavailable(OpenAIDependency, time.Time{}, fmt.Errorf("%w; %d requests in a row got no answer", err, n))
	}
	return retry.After(err, time.Time{})
}

// cost estimates the price of tokens in US dollars from openai's prices.
func (p *openaiProvider) cost(prompt, output int) float64 {
	return float64(prompt)*p.cfg.PriceInputPerMillion/1e6 + float64(output)*p.cfg.PriceOutputPerMillion/1e6
}

// classify reads a failed attempt: the error envelope
// {"error": {"message", "type", "param", "code"}} and the status.
func (p *openaiProvider) classify(err error, timedOut bool) failure {
	var api *wireError
	if !errors.As(err, &api) {
		f := failure{retryable: true}
		if timedOut {
			f.err = fmt.Errorf("openai %s: no answer within %s: %w", p.cfg.Model, p.cfg.Timeout, err)
		} else {
			f.err = fmt.Errorf("openai %s: %w", p.cfg.Model, err)
		}
		return f
	}
	f := failure{err: &OpenAIError{Model: p.cfg.Model, Status: api.Status, Type: api.Type, Code: api.Code,
		Param: api.Param, Message: api.Message}, status: api.Status}
	f.delay, _ = retry.ParseRetryAfter(api.RetryAfter, p.clock.Now())
	switch {
	case api.Status == http.StatusUnauthorized || api.Status == http.StatusForbidden:
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrKeyRefused, f.err)
	case api.Status == http.StatusNotFound:
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrUnknownModel, f.err)
	case api.Status == http.StatusTooManyRequests && (api.Code == "insufficient_quota" || api.Type == "insufficient_quota"):
		// The account's credit or monthly budget: no retry helps until
		// someone pays; a probe finds out when.
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrQuotaExhausted, f.err)
		if f.delay > 0 {
			f.until = p.clock.Now().Add(f.delay)
		}
	case api.Status == http.StatusBadRequest && refusesSetting(api):
		// The configuration, not the article: every article would be
		// refused the same way until someone changes it.
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrRefusedSetting, f.err)
	default:
		f.retryable = retry.Status(api.Status)
	}
	return f
}

// settingParams are the request's parameters set by the configuration
// rather than by the article.
var settingParams = map[string]bool{"temperature": true, "response_format": true, "max_tokens": true,
	"max_completion_tokens": true, "model": true}

// refusesSetting reports whether a 400 refuses the configuration (a
// parameter or value the model does not support, as OpenAI's reasoning
// models do for temperature and max_tokens) rather than the article.
func refusesSetting(api *wireError) bool {
	return api.Code == "unsupported_parameter" || api.Code == "unsupported_value" || settingParams[api.Param]
}

// check looks for the model in the list of models (GET /models, which
// costs nothing). OpenAI, Ollama, vLLM and llama.cpp all serve the list;
// only OpenAI serves GET /models/{id}, and ids may hold a slash
// (meta-llama/Llama-3.1-8B). The model is unknown only when the list
// answers and lacks it; a server without the list is not checked.
func (p *openaiProvider) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	err := p.client.do(ctx, http.MethodGet, "/models", nil, &list)
	if err == nil {
		for _, m := range list.Data {
			if sameModel(m.ID, p.cfg.Model) {
				return nil
			}
		}
		ids := make([]string, 0, min(len(list.Data), 10))
		for _, m := range list.Data[:min(len(list.Data), 10)] {
			ids = append(ids, m.ID)
		}
		return retry.Unavailable(OpenAIDependency, time.Time{}, fmt.Errorf("%w: openai %s: not among the %d models the endpoint lists (%s)",
			ErrUnknownModel, p.cfg.Model, len(list.Data), strings.Join(ids, ", ")))
	}
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("openai %s: check the model: %w", p.cfg.Model, ctx.Err())
	}
	var api *wireError
	if errors.As(err, &api) && (api.Status == http.StatusNotFound || api.Status == http.StatusMethodNotAllowed) {
		p.log.Info("the endpoint lists no models; the model is not checked before the first request",
			zap.String("model", p.cfg.Model), zap.Int("status", api.Status))
		return nil
	}
	f := p.classify(err, errors.Is(ctx.Err(), context.DeadlineExceeded))
	if f.outage {
		return retry.Unavailable(OpenAIDependency, f.until, f.err)
	}
	return retry.After(fmt.Errorf("check the model: %w", f.err), time.Time{})
}

// sameModel reports whether the listed id names model: the same id, or
// Ollama's "qwen3:latest" for "qwen3".
func sameModel(id, model string) bool {
	return id == model || (!strings.Contains(model, ":") && id == model+":latest")
}

// openAIAnswer extracts the first choice's text, or says why there is
// none, as answerText does for Gemini. A thinking model's <think> block
// (qwen3 on servers that leave it in the content) is dropped.
func openAIAnswer(resp *chatResponse) (string, error) {
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("%w: no choices in the response", ErrInvalidResponse)
	}
	c := resp.Choices[0]
	switch c.FinishReason {
	case "length":
		return "", ErrTruncated
	case "content_filter":
		return "", &BlockedError{Reason: "content_filter"}
	}
	if r := c.Message.Refusal; r != nil && *r != "" {
		return "", &BlockedError{Reason: "refusal: " + quote(*r)}
	}
	var text string
	if c.Message.Content != nil {
		text = stripThinking(*c.Message.Content)
	}
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%w: empty answer", ErrInvalidResponse)
	}
	return text, nil
}

// stripThinking drops a leading <think>…</think> block.
func stripThinking(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "<think>") {
		return s
	}
	if _, after, ok := strings.Cut(t, "</think>"); ok {
		return after
	}
	return s
}

// OpenAIError is an error status from an OpenAI-compatible API, read from
// its error envelope.
type OpenAIError struct {
	Model      string
	Status     int
	Type, Code string
	Param      string // the request parameter refused, if any
	Message    string // with API keys redacted
}

func (e *OpenAIError) Error() string {
	msg, _, _ := strings.Cut(strings.TrimSpace(e.Message), "\n")
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	kind := e.Type
	if e.Code != "" {
		kind = e.Code
	}
	if e.Param != "" {
		kind = strings.TrimSpace(kind + " (" + e.Param + ")")
	}
	if kind == "" {
		return fmt.Sprintf("openai %s: HTTP %d: %s", e.Model, e.Status, msg)
	}
	return fmt.Sprintf("openai %s: HTTP %d %s: %s", e.Model, e.Status, kind, msg)
}

// StatusCode is the HTTP status.
func (e *OpenAIError) StatusCode() int { return e.Status }
