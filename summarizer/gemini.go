package summarizer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"
	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/retry"
)

// defaultBaseURL is the Gemini API endpoint. It is always passed to the SDK
// so that the SDK's own environment lookup (GOOGLE_GEMINI_BASE_URL) never
// overrides the configuration.
const defaultBaseURL = "https://generativelanguage.googleapis.com/"

// newClient builds the SDK client from cfg alone: API key, base URL and API
// version are explicit, and the SDK's retries are off so the retry loop in
// send is the only one.
func newClient(ctx context.Context, cfg config.Gemini, transport http.RoundTripper) (*genai.Client, error) {
	base := cfg.BaseURL
	if base == "" {
		base = defaultBaseURL
	}
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:     cfg.APIKey,
		Backend:    genai.BackendGeminiAPI,
		HTTPClient: &http.Client{Transport: transport},
		HTTPOptions: genai.HTTPOptions{
			BaseURL:      base,
			APIVersion:   "v1beta",
			RetryOptions: &genai.HTTPRetryOptions{Attempts: genai.Ptr[int32](1)},
		},
	})
	if err != nil {
		// The SDK's messages can print the whole client config, key included.
		msg := strings.ReplaceAll(err.Error(), cfg.APIKey, "********")
		return nil, fmt.Errorf("summarizer: create Gemini client: %s", msg)
	}
	return client, nil
}

// generateConfig is the request configuration for one call.
func (s *geminiProvider) generateConfig(system string, maxOutput int, urgent bool) *genai.GenerateContentConfig {
	gc := &genai.GenerateContentConfig{
		SystemInstruction: &genai.Content{Parts: []*genai.Part{{Text: system}}},
		Temperature:       genai.Ptr(float32(s.cfg.Temperature)),
		MaxOutputTokens:   int32(maxOutput),
		ResponseMIMEType:  "application/json",
		ResponseSchema:    s.schema,
		ThinkingConfig:    thinkingConfig(s.cfg.Model),
	}
	if s.cfg.ServiceTier == config.TierFlex && !urgent && !s.noFlex.Load() {
		gc.ServiceTier = genai.ServiceTierFlex
	}
	return gc
}

// thinkingConfig asks Gemini 3 models for low thinking: summarising one
// article needs little reasoning, and thinking tokens count against
// max_output_tokens and are billed as output. Older models keep their
// default (their thinking is set by a token budget, not a level).
func thinkingConfig(model string) *genai.ThinkingConfig {
	if strings.HasPrefix(strings.TrimPrefix(model, "models/"), "gemini-3") {
		return &genai.ThinkingConfig{ThinkingLevel: genai.ThinkingLevelLow}
	}
	return nil
}

// timeout is the deadline of one request: gemini.timeout, or
// gemini.flex_timeout on the flex tier, whose answers may take minutes.
func (s *geminiProvider) timeout(gc *genai.GenerateContentConfig) time.Duration {
	if gc.ServiceTier == genai.ServiceTierFlex {
		return s.cfg.FlexTimeout
	}
	return s.cfg.Timeout
}

// send makes one generateContent call, retrying 408, 429, 5xx, timeouts
// and network failures up to gemini.max_attempts times in all. Every
// attempt waits for the rate limiter and counts in u. Its errors are
// classified (package retry): an outage of "gemini" for what no article
// gets past, permanent for a request Gemini rejects as such, transient
// otherwise. A flex request refused under load falls back to the
// standard tier when urgent is set.
func (s *geminiProvider) send(ctx context.Context, url string, contents []*genai.Content, gc *genai.GenerateContentConfig, tokens int, urgent bool, u *Usage) (*genai.GenerateContentResponse, error) {
	for attempt := 1; ; attempt++ {
		if err := s.limiter.wait(ctx, tokens); err != nil {
			return nil, err
		}
		hint := &retryHint{}
		rctx, cancel := context.WithTimeout(withRetryHint(ctx, hint), s.timeout(gc))
		resp, err := s.client.Models.GenerateContent(rctx, s.cfg.Model, contents, gc)
		timedOut := errors.Is(rctx.Err(), context.DeadlineExceeded)
		cancel()
		u.Requests++
		if err == nil {
			s.health.answered()
			if m := resp.UsageMetadata; m != nil {
				prompt, output := int(m.PromptTokenCount), int(m.CandidatesTokenCount)+int(m.ThoughtsTokenCount)
				u.PromptTokens += prompt
				u.OutputTokens += output
				u.CostUSD += s.cost(prompt, output, gc.ServiceTier)
			}
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("gemini %s: %w", s.cfg.Model, ctx.Err())
		}
		f := s.classify(err, hint, timedOut, gc.ServiceTier)
		now := s.clock.Now()
		switch {
		case f.noFlex:
			if !s.noFlex.Swap(true) {
				s.log.Warn("the flex tier is not available to this key or model; using the standard tier from now on",
					zap.Error(f.err))
			}
			gc.ServiceTier = ""
			continue
		case f.outage:
			return nil, retry.Unavailable(Dependency, f.until, f.err)
		case !f.retryable:
			s.health.answered()
			return nil, retry.Never(f.err)
		case f.flex && urgent:
			s.log.Info("flex tier refused the request; the issue closes soon, so it goes to the standard tier",
				zap.String("url", url), zap.Error(f.err))
			gc.ServiceTier = ""
			continue
		case f.delay > maxServerDelay:
			return nil, retry.Unavailable(f.dependency(), now.Add(f.delay),
				fmt.Errorf("%w (the server asked to wait %s)", f.err, f.delay))
		case attempt >= s.cfg.MaxAttempts:
			return nil, s.gaveUp(f, attempt, now)
		}
		delay := s.backoff.Delay(attempt, f.delay)
		// The next attempt also waits its turn at the rate limiter, which
		// may add to the backoff.
		s.log.Warn("gemini request failed; retrying after a backoff",
			zap.String("url", url), zap.Int("attempt", attempt), zap.Int("status", f.status),
			zap.Duration("backoff", delay), zap.Error(f.err))
		if err := retry.Sleep(ctx, s.clock, delay); err != nil {
			return nil, fmt.Errorf("gemini %s: %w", s.cfg.Model, err)
		}
	}
}

// Dependency names Gemini in outages, pauses and metrics.
const Dependency = "gemini"

// FlexDependency names the flex tier, which is refused under load while
// the standard tier still answers.
const FlexDependency = "gemini-flex"

// gaveUp classifies a request whose every attempt failed transiently. The
// flex tier refusing is an outage of that tier; a rate limit that does
// not lift is one of Gemini until its delay; and two calls in a row that
// got no answer at all (5xx, timeouts, the network), for two articles, are
// an outage of Gemini. Once is the article's bad luck: retried later.
func (s *geminiProvider) gaveUp(f failure, attempts int, now time.Time) error {
	err := fmt.Errorf("%w (gave up after %d attempts)", f.err, attempts)
	switch {
	case f.flex:
		return retry.Unavailable(FlexDependency, now.Add(max(f.delay, s.backoff.Max)), err)
	case f.status == http.StatusTooManyRequests:
		return retry.Unavailable(Dependency, now.Add(max(f.delay, s.backoff.Max)), err)
	}
	if n := s.health.unavailable(); n >= 2 {
		return retry.Unavailable(Dependency, time.Time{}, fmt.Errorf("%w; %d requests in a row got no answer", err, n))
	}
	return retry.After(err, time.Time{})
}

// Check asks Gemini about the configured model (models.get, which costs no
// quota): the cheap call that tells at start whether the key is accepted
// and the model exists. Its error is an outage of "gemini" naming why.
func (s *geminiProvider) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	_, err := s.client.Models.Get(ctx, s.cfg.Model, nil)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("gemini %s: check the model: %w", s.cfg.Model, ctx.Err())
	}
	f := s.classify(err, nil, errors.Is(ctx.Err(), context.DeadlineExceeded), "")
	if f.outage {
		return retry.Unavailable(Dependency, f.until, f.err)
	}
	// The model lookup failing otherwise (5xx, network) leaves the key and
	// model unknown: the first summary finds out.
	return retry.After(fmt.Errorf("check the model: %w", f.err), time.Time{})
}

// describe turns an SDK error into one naming the model and, for API
// errors, the status and message without the raw details.
func (s *geminiProvider) describe(err error, timedOut bool, timeout time.Duration) error {
	var api genai.APIError
	switch {
	case errors.As(err, &api):
		return &APIError{Model: s.cfg.Model, err: api}
	case timedOut:
		return fmt.Errorf("gemini %s: no answer within %s: %w", s.cfg.Model, timeout, err)
	default:
		return fmt.Errorf("gemini %s: %w", s.cfg.Model, err)
	}
}

// APIError is an error status from the Gemini API. It unwraps to the SDK's
// genai.APIError, which carries the details.
type APIError struct {
	Model string
	err   genai.APIError
}

func (e *APIError) Error() string {
	msg, _, _ := strings.Cut(strings.TrimSpace(e.err.Message), "\n")
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return fmt.Sprintf("gemini %s: HTTP %d %s: %s", e.Model, e.err.Code, e.err.Status, msg)
}

// StatusCode is the HTTP status.
func (e *APIError) StatusCode() int { return e.err.Code }

func (e *APIError) Unwrap() error { return e.err }

// blockingFinish are the finish reasons that mean a policy stopped the
// answer; asking again gives the same result.
var blockingFinish = map[genai.FinishReason]bool{
	genai.FinishReasonSafety:            true,
	genai.FinishReasonRecitation:        true,
	genai.FinishReasonProhibitedContent: true,
	genai.FinishReasonBlocklist:         true,
	genai.FinishReasonSPII:              true,
	genai.FinishReasonLanguage:          true,
	genai.FinishReasonImageSafety:       true,
}

// answerText extracts the answer of the first candidate, or says why there
// is none: blocked (BlockedError), cut off (ErrTruncated) or missing
// (ErrInvalidResponse).
func answerText(resp *genai.GenerateContentResponse) (string, error) {
	if pf := resp.PromptFeedback; pf != nil && pf.BlockReason != "" {
		return "", &BlockedError{Reason: string(pf.BlockReason), Prompt: true}
	}
	if len(resp.Candidates) == 0 || resp.Candidates[0] == nil {
		return "", fmt.Errorf("%w: no candidates in the response", ErrInvalidResponse)
	}
	c := resp.Candidates[0]
	switch r := c.FinishReason; {
	case blockingFinish[r]:
		return "", &BlockedError{Reason: string(r)}
	case r == genai.FinishReasonMaxTokens:
		return "", ErrTruncated
	case r != "" && r != genai.FinishReasonStop:
		return "", fmt.Errorf("%w: generation finished with %s", ErrInvalidResponse, r)
	}
	var text strings.Builder
	if c.Content != nil {
		for _, p := range c.Content.Parts {
			if p != nil && !p.Thought {
				text.WriteString(p.Text)
			}
		}
	}
	if strings.TrimSpace(text.String()) == "" {
		return "", fmt.Errorf("%w: empty answer", ErrInvalidResponse)
	}
	return text.String(), nil
}

// CountTokens asks the API how many tokens the prompt for in takes, to
// compare with EstimateTokens. It bypasses the cache and the rate limiter
// (countTokens has its own, larger quota) and is not retried. Only Gemini
// counts tokens; other providers answer ErrNoTokenCount.
func (s *Summarizer) CountTokens(ctx context.Context, in Input) (int, error) {
	g, ok := s.prov.(*geminiProvider)
	if !ok {
		return 0, fmt.Errorf("count tokens %s: %w", in.URL, ErrNoTokenCount)
	}
	p, err := s.prompts.build(in, s.cfg.InputTokenBudget)
	if err != nil {
		return 0, fmt.Errorf("count tokens %s: %w", in.URL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	contents := []*genai.Content{
		genai.NewContentFromText(p.System, genai.RoleUser),
		genai.NewContentFromText(p.User, genai.RoleUser),
	}
	resp, err := g.client.Models.CountTokens(ctx, g.cfg.Model, contents, nil)
	if err != nil {
		return 0, fmt.Errorf("count tokens %s: %w", in.URL, g.describe(err, errors.Is(ctx.Err(), context.DeadlineExceeded), g.cfg.Timeout))
	}
	return int(resp.TotalTokens), nil
}

// complete asks Gemini: the conversation as contents, the answer's text
// from the first candidate.
func (s *geminiProvider) complete(ctx context.Context, a ask, u *Usage) (string, error) {
	contents := make([]*genai.Content, len(a.turns))
	for i, t := range a.turns {
		role := genai.Role(genai.RoleUser)
		if t.model {
			role = genai.RoleModel
		}
		contents[i] = genai.NewContentFromText(t.text, role)
	}
	resp, err := s.send(ctx, a.url, contents, s.generateConfig(a.system, a.maxOutput, a.urgent), a.tokens, a.urgent, u)
	if err != nil {
		return "", err
	}
	return answerText(resp)
}
