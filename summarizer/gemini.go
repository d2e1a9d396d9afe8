package summarizer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"go.uber.org/zap"
	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/config"
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
func (s *Summarizer) generateConfig(system string, maxOutput int) *genai.GenerateContentConfig {
	return &genai.GenerateContentConfig{
		SystemInstruction: &genai.Content{Parts: []*genai.Part{{Text: system}}},
		Temperature:       genai.Ptr(float32(s.cfg.Temperature)),
		MaxOutputTokens:   int32(maxOutput),
		ResponseMIMEType:  "application/json",
		ResponseSchema:    s.schema,
		ThinkingConfig:    thinkingConfig(s.cfg.Model),
	}
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

// send makes one generateContent call, retrying 408, 429, 5xx, timeouts
// and network failures up to gemini.max_attempts times in all. Every
// attempt waits for the rate limiter and counts in u.
func (s *Summarizer) send(ctx context.Context, url string, contents []*genai.Content, gc *genai.GenerateContentConfig, tokens int, u *Usage) (*genai.GenerateContentResponse, error) {
	for attempt := 1; ; attempt++ {
		if err := s.limiter.wait(ctx, tokens); err != nil {
			return nil, err
		}
		hint := &retryHint{}
		rctx, cancel := context.WithTimeout(withRetryHint(ctx, hint), s.cfg.Timeout)
		resp, err := s.client.Models.GenerateContent(rctx, s.cfg.Model, contents, gc)
		timedOut := errors.Is(rctx.Err(), context.DeadlineExceeded)
		cancel()
		u.Requests++
		if err == nil {
			u.add(resp.UsageMetadata)
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("gemini %s: %w", s.cfg.Model, ctx.Err())
		}
		info := classify(err, hint)
		err = s.describe(err, timedOut)
		switch {
		case !info.retryable:
			return nil, err
		case attempt >= s.cfg.MaxAttempts:
			return nil, fmt.Errorf("%w (gave up after %d attempts)", err, attempt)
		case info.delay > maxServerDelay:
			return nil, fmt.Errorf("%w (the server asked to wait %s)", err, info.delay)
		}
		delay := s.backoff(attempt, info.delay)
		// The next attempt also waits its turn at the rate limiter, which
		// may add to the backoff.
		s.log.Warn("gemini request failed; retrying after a backoff",
			zap.String("url", url), zap.Int("attempt", attempt), zap.Int("status", info.status),
			zap.Duration("backoff", delay), zap.Error(err))
		if err := s.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("gemini %s: %w", s.cfg.Model, err)
		}
	}
}

// describe turns an SDK error into one naming the model and, for API
// errors, the status and message without the raw details.
func (s *Summarizer) describe(err error, timedOut bool) error {
	var api genai.APIError
	switch {
	case errors.As(err, &api):
		e := &APIError{Model: s.cfg.Model, err: api}
		if api.Code == http.StatusTooManyRequests && dailyQuota(api) {
			return fmt.Errorf("%w: %w", ErrQuotaExhausted, e)
		}
		return e
	case timedOut:
		return fmt.Errorf("gemini %s: no answer within %s: %w", s.cfg.Model, s.cfg.Timeout, err)
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
// (countTokens has its own, larger quota) and is not retried.
func (s *Summarizer) CountTokens(ctx context.Context, in Input) (int, error) {
	p, err := s.prompts.build(in, s.cfg.InputTokenBudget)
	if err != nil {
		return 0, fmt.Errorf("count tokens %s: %w", in.URL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	contents := []*genai.Content{
		genai.NewContentFromText(p.System, genai.RoleUser),
		genai.NewContentFromText(p.User, genai.RoleUser),
	}
	resp, err := s.client.Models.CountTokens(ctx, s.cfg.Model, contents, nil)
	if err != nil {
		return 0, fmt.Errorf("count tokens %s: %w", in.URL, s.describe(err, errors.Is(ctx.Err(), context.DeadlineExceeded)))
	}
	return int(resp.TotalTokens), nil
}
