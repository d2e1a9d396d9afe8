package summarizer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/retry"
)

// Summarize returns the sections for in, from the cache when a validated
// answer for the same trimmed text, prompt version and model is there, and
// otherwise from Gemini. Errors name the article URL and are classified by
// package retry. When the error comes after requests were made, the Result
// is not nil and reports their Usage, so that failed articles count in
// cost totals; its sections are then empty.
func (s *Summarizer) Summarize(ctx context.Context, in Input) (*Result, error) {
	start := s.clock.Now()
	p, err := s.prompts.build(in, s.cfg.InputTokenBudget)
	if err != nil {
		return nil, retry.Never(fmt.Errorf("summarize %s: %w", in.URL, err))
	}
	src := newSource(in)
	src.glossary = s.glossary
	res := &Result{Model: s.prov.model(), PromptVersion: s.prompts.version}
	cacheable := in.Instruction == ""
	if cacheable {
		if secs, ok := s.lookup(ctx, p, src, in.URL); ok {
			res.Sections, res.Cached = secs, true
			s.logDone(in.URL, p, res, start, nil)
			return res, nil
		}
	}
	secs, err := s.generate(ctx, in, p, src, &res.Usage, &res.Checks)
	s.logDone(in.URL, p, res, start, err)
	if err != nil {
		if res.Usage.Requests == 0 {
			res = nil
		}
		return res, fmt.Errorf("summarize %s: %w", in.URL, err)
	}
	res.Sections = secs
	if cacheable {
		s.save(ctx, p, secs, in.URL)
	}
	return res, nil
}

// maxOutputCeiling is the output limit of current Gemini Flash models; a
// truncated answer is retried with at most this budget.
const maxOutputCeiling = 65536

// generate asks Gemini until an answer passes the guardrails. Beyond the
// transient retries in send, it makes at most one more request for each of:
// a truncated answer (with twice the output budget), a missing or non-JSON
// answer, and an answer breaking the guardrails (a correction naming the
// violations).
func (s *Summarizer) generate(ctx context.Context, in Input, p *prompt, src *source, u *Usage, ch *Checks) (entry.Sections, error) {
	url := in.URL
	first := turn{text: p.User}
	turns := []turn{first}
	maxOutput := s.cfg.MaxOutputTokens
	var widened, reasked, corrected bool
	for {
		tokens := EstimateTokens(p.System)
		for _, t := range turns {
			tokens += EstimateTokens(t.text)
		}
		text, err := s.prov.complete(ctx, ask{url: url, system: p.System, turns: turns, maxOutput: maxOutput,
			tokens: tokens, urgent: in.Urgent}, u)
		switch {
		case errors.Is(err, ErrTruncated) && !widened:
			widened, maxOutput = true, min(2*maxOutput, maxOutputCeiling)
			s.log.Info("answer cut off; retrying with a larger output budget",
				zap.String("url", url), zap.Int("max_output_tokens", maxOutput))
			continue
		case errors.Is(err, ErrTruncated):
			return entry.Sections{}, retry.Never(fmt.Errorf("%w (max_output_tokens %d)", err, maxOutput))
		case errors.Is(err, ErrInvalidResponse) && !reasked:
			reasked = true
			s.log.Info("no usable answer; asking again", zap.String("url", url), zap.Error(err))
			continue
		case errors.Is(err, ErrInvalidResponse), errors.Is(err, ErrBlocked):
			return entry.Sections{}, retry.Never(err) // blocked, or still no usable answer
		case err != nil:
			return entry.Sections{}, err // classified by the provider
		}

		secs, err := decodeSections(text)
		if err != nil {
			if reasked {
				return entry.Sections{}, retry.Never(err)
			}
			reasked = true
			ch.Corrections++
			if ch.FirstTry == nil {
				ch.FirstTry = []Violation{{Rule: "json", Detail: err.Error()}}
			}
			s.log.Info("answer is not JSON; asking again", zap.String("url", url), zap.Error(err))
			problem := "the answer is not one JSON object with the fields title_ko, summary, introduction, recommendation and caution"
			if turns, err = s.correction(first, text, []string{problem}); err != nil {
				return entry.Sections{}, err
			}
			continue
		}
		violations := validate(secs, src)
		if !corrected && ch.FirstTry == nil {
			ch.FirstTry = violations
			if ch.FirstTry == nil {
				ch.FirstTry = []Violation{}
			}
		}
		if len(violations) == 0 {
			return secs, nil
		}
		if corrected {
			ch.Final = violations
			return entry.Sections{}, retry.Never(&GuardrailError{Violations: violations})
		}
		corrected = true
		ch.Corrections++
		problems := make([]string, len(violations))
		for i, v := range violations {
			problems[i] = v.String()
		}
		s.log.Warn("answer broke the guardrails; asking for a correction",
			zap.String("url", url), zap.Strings("violations", problems))
		if turns, err = s.correction(first, text, problems); err != nil {
			return entry.Sections{}, err
		}
	}
}

// correction is the conversation for a corrective retry: the article, the
// previous answer, and what was wrong with it.
func (s *Summarizer) correction(first turn, previous string, problems []string) ([]turn, error) {
	text, err := s.prompts.correction(problems)
	if err != nil {
		return nil, err
	}
	return []turn{first, {model: true, text: previous}, {text: text}}, nil
}

// lookup returns cached sections that still pass the guardrails. Cache
// failures are logged and treated as a miss.
func (s *Summarizer) lookup(ctx context.Context, p *prompt, src *source, url string) (entry.Sections, bool) {
	if s.cache == nil {
		return entry.Sections{}, false
	}
	b, ok, err := s.cache.LookupSummary(ctx, p.TextHash, s.prompts.version, cacheModel(s.prov))
	if err != nil {
		s.log.Warn("summary cache lookup failed", zap.String("url", url), zap.Error(err))
		return entry.Sections{}, false
	}
	if !ok {
		return entry.Sections{}, false
	}
	var secs entry.Sections
	if err := json.Unmarshal(b, &secs); err != nil {
		s.log.Warn("cached summary is unreadable; regenerating", zap.String("url", url), zap.Error(err))
		return entry.Sections{}, false
	}
	secs = normalize(secs)
	if vs := validate(secs, src); len(vs) > 0 {
		s.log.Warn("cached summary breaks the guardrails; regenerating",
			zap.String("url", url), zap.Stringer("first", vs[0]))
		return entry.Sections{}, false
	}
	return secs, true
}

func (s *Summarizer) save(ctx context.Context, p *prompt, secs entry.Sections, url string) {
	if s.cache == nil {
		return
	}
	b, err := json.Marshal(secs)
	if err == nil {
		err = s.cache.SaveSummary(ctx, p.TextHash, s.prompts.version, cacheModel(s.prov), b)
	}
	if err != nil {
		s.log.Warn("summary cache save failed", zap.String("url", url), zap.Error(err))
	}
}

// logDone records one article's outcome and cost. The API key never
// reaches the logger.
func (s *Summarizer) logDone(url string, p *prompt, res *Result, start time.Time, err error) {
	fields := []zap.Field{
		zap.String("url", url),
		zap.String("model", res.Model),
		zap.String("prompt_version", res.PromptVersion),
		zap.Int("prompt_tokens", res.Usage.PromptTokens),
		zap.Int("output_tokens", res.Usage.OutputTokens),
		zap.Float64("cost_usd", res.Usage.CostUSD),
		zap.Int("attempts", res.Usage.Requests),
		zap.Bool("cached", res.Cached),
		zap.Bool("input_trimmed", p.Truncated),
		zap.Duration("took", s.clock.Since(start)),
	}
	if err != nil {
		s.log.Warn("summarize failed", append(fields, zap.Error(err))...)
		return
	}
	s.log.Info("summarized", fields...)
}
