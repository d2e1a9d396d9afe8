// Package eval measures how models and prompts summarise a set of
// articles: for each run (one provider's model with one prompt template)
// it summarises every article once, without the cache, and reports side
// by side the first-try guardrail pass rate, the corrections needed, the
// failures by rule, the fields' lengths, the Korean checks, the tokens,
// the cost and the latency. It is how a user chooses a model and how a
// prompt change is judged (newsletter eval).
package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Summarizer is what a run asks; *summarizer.Summarizer is one.
type Summarizer interface {
	Summarize(ctx context.Context, in summarizer.Input) (*summarizer.Result, error)
	Model() string
	Provider() string
	PromptVersion() string
}

// Run is one column of the report: a model with a prompt template.
type Run struct {
	// Prompt names the template: its directory, or "embedded".
	Prompt string
	S      Summarizer
	// Flex asks Gemini's flex tier, as the worker does away from an
	// issue's deadline. The default is the standard tier (Input.Urgent):
	// the flex tier may refuse a request under load, which would count as
	// the model's failure, and its latency includes the queueing.
	Flex bool
}

// Article is one article to summarise, named for the report.
type Article struct {
	Name string
	In   summarizer.Input
}

// Result is one run's figures.
type Result struct {
	Provider      string `json:"provider"`
	Model         string `json:"model"`
	Prompt        string `json:"prompt"`
	PromptVersion string `json:"prompt_version"`
	// Flex is true when the run asked Gemini's flex tier.
	Flex     bool `json:"flex,omitempty"`
	Articles int  `json:"articles"`
	// FirstTryPass counts the articles answered in exactly one request
	// whose answer passed every guardrail: no correction, no truncated
	// answer asked again, no transient failure retried.
	FirstTryPass int `json:"first_try_pass"`
	// Retried counts the articles that passed without a correction but
	// took more than one request: a truncated or empty answer asked again,
	// a rate limit or a server error retried.
	Retried int `json:"retried"`
	// Corrected counts the articles that needed a corrective retry and
	// then passed.
	Corrected int `json:"corrected"`
	// Corrections counts every corrective retry sent.
	Corrections int `json:"corrections"`
	Failed      int `json:"failed"`
	// FirstTryRules counts, by rule, what the first answers broke.
	FirstTryRules map[string]int `json:"first_try_rules"`
	// FailuresByRule counts the failed articles by what failed them: a
	// guardrail rule, or "invalid_response", "truncated", "blocked",
	// "outage", "error".
	FailuresByRule map[string]int `json:"failures_by_rule"`
	// Lengths are the passing answers' field lengths in characters.
	Lengths map[string]Spread `json:"lengths"`
	// Korean: the passing answers' sentences in 합니다체 and in another
	// level, and the speech and glossary violations of first answers.
	FormalSentences    int `json:"formal_sentences"`
	OtherSentences     int `json:"other_sentences"`
	SpeechViolations   int `json:"speech_violations"`
	GlossaryViolations int `json:"glossary_violations"`
	Requests           int `json:"requests"`
	PromptTokens       int `json:"prompt_tokens"`
	OutputTokens       int `json:"output_tokens"`
	// CostUSD is the estimate from the provider's configured prices.
	CostUSD float64 `json:"cost_usd"`
	// Latency is the time of one article's Summarize call, retries
	// included.
	Latency LatencySpread `json:"latency"`
	// Errors are the failed articles' reasons, by article.
	Errors map[string]string `json:"errors,omitempty"`
}

// Spread is the median and 95th percentile of some lengths.
type Spread struct {
	Median int `json:"median"`
	P95    int `json:"p95"`
}

// LatencySpread is the median and 95th percentile of some durations.
type LatencySpread struct {
	P50 time.Duration `json:"p50"`
	P95 time.Duration `json:"p95"`
}

// Report is every run's result, in the order of the runs.
type Report struct {
	Articles int      `json:"articles"`
	Runs     []Result `json:"runs"`
}

// Evaluate summarises every article with every run, one at a time, on
// clock (nil means the real clock). A failed article is counted, never
// fatal; an ended ctx ends the evaluation with what was measured.
func Evaluate(ctx context.Context, runs []Run, articles []Article, clock clockwork.Clock) (*Report, error) {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	rep := &Report{Articles: len(articles)}
	for _, r := range runs {
		res := Result{Provider: r.S.Provider(), Model: r.S.Model(), Prompt: r.Prompt, PromptVersion: r.S.PromptVersion(), Flex: r.Flex,
			FirstTryRules: map[string]int{}, FailuresByRule: map[string]int{}, Lengths: map[string]Spread{}}
		lengths := map[string][]int{}
		var latencies []time.Duration
		for _, a := range articles {
			if err := ctx.Err(); err != nil {
				rep.Runs = append(rep.Runs, res)
				return rep, err
			}
			in := a.In
			in.Urgent = !r.Flex
			start := clock.Now()
			out, err := r.S.Summarize(ctx, in)
			latencies = append(latencies, clock.Since(start))
			res.Articles++
			if out != nil {
				res.Requests += out.Usage.Requests
				res.PromptTokens += out.Usage.PromptTokens
				res.OutputTokens += out.Usage.OutputTokens
				res.CostUSD += out.Usage.CostUSD
				res.Corrections += out.Checks.Corrections
				for _, v := range out.Checks.FirstTry {
					res.FirstTryRules[v.Rule]++
					switch v.Rule {
					case "speech":
						res.SpeechViolations++
					case "glossary":
						res.GlossaryViolations++
					}
				}
			}
			if err != nil {
				res.Failed++
				rule := failureRule(err)
				res.FailuresByRule[rule]++
				if res.Errors == nil {
					res.Errors = map[string]string{}
				}
				res.Errors[a.Name] = err.Error()
				continue
			}
			switch {
			case out.Checks.Corrections > 0:
				res.Corrected++
			case out.Usage.Requests == 1:
				res.FirstTryPass++
			default:
				res.Retried++
			}
			for _, f := range entry.Fields {
				if v := out.Get(f); v != "" {
					lengths[f.Key()] = append(lengths[f.Key()], utf8.RuneCountInString(v))
				}
			}
			formal, other := summarizer.SpeechCounts(out.Sections)
			res.FormalSentences += formal
			res.OtherSentences += other
		}
		for k, v := range lengths {
			res.Lengths[k] = Spread{Median: percentile(v, 50), P95: percentile(v, 95)}
		}
		res.Latency = LatencySpread{P50: percentile(latencies, 50), P95: percentile(latencies, 95)}
		rep.Runs = append(rep.Runs, res)
	}
	return rep, nil
}

// failureRule names what failed an article.
func failureRule(err error) string {
	var ge *summarizer.GuardrailError
	switch {
	case errors.As(err, &ge) && len(ge.Violations) > 0:
		return ge.Violations[0].Rule
	case errors.Is(err, summarizer.ErrInvalidResponse):
		return "invalid_response"
	case errors.Is(err, summarizer.ErrTruncated):
		return "truncated"
	case errors.Is(err, summarizer.ErrBlocked):
		return "blocked"
	}
	if retry.IsOutage(err) {
		return "outage"
	}
	return "error"
}

// percentile is the nearest-rank percentile p of v, zero for none.
func percentile[T int | time.Duration](v []T, p float64) T {
	if len(v) == 0 {
		var zero T
		return zero
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Markdown writes the report as one markdown table: a row per figure, a
// column per run.
func (r *Report) Markdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| | ")
	cols := make([]string, len(r.Runs))
	for i, run := range r.Runs {
		cols[i] = fmt.Sprintf("%s %s, prompt %s (%s)", run.Provider, run.Model, run.Prompt, run.PromptVersion)
		if run.Flex {
			cols[i] += ", flex tier"
		}
	}
	b.WriteString(strings.Join(cols, " | "))
	b.WriteString(" |\n|---|")
	b.WriteString(strings.Repeat("---|", len(r.Runs)))
	b.WriteString("\n")
	row := func(name string, cell func(Result) string) {
		b.WriteString("| " + name + " |")
		for _, run := range r.Runs {
			b.WriteString(" " + cell(run) + " |")
		}
		b.WriteString("\n")
	}
	pct := func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return fmt.Sprintf("%d/%d (%.0f%%)", n, of, 100*float64(n)/float64(of))
	}
	row("articles", func(x Result) string { return fmt.Sprint(x.Articles) })
	row("first-try guardrail pass", func(x Result) string { return pct(x.FirstTryPass, x.Articles) })
	row("passed after a retry, no correction", func(x Result) string { return pct(x.Retried, x.Articles) })
	row("passed after a correction", func(x Result) string { return pct(x.Corrected, x.Articles) })
	row("corrections sent", func(x Result) string { return fmt.Sprint(x.Corrections) })
	row("failed", func(x Result) string { return pct(x.Failed, x.Articles) })
	row("first answers' violations by rule", func(x Result) string { return counts(x.FirstTryRules) })
	row("failures by rule", func(x Result) string { return counts(x.FailuresByRule) })
	for _, f := range entry.Fields {
		row(f.Key()+" length (median / p95)", func(x Result) string {
			s, ok := x.Lengths[f.Key()]
			if !ok {
				return "–"
			}
			return fmt.Sprintf("%d / %d", s.Median, s.P95)
		})
	}
	row("Korean: sentences in 합니다체", func(x Result) string {
		return pct(x.FormalSentences, x.FormalSentences+x.OtherSentences)
	})
	row("Korean: speech / glossary violations, first answers", func(x Result) string {
		return fmt.Sprintf("%d / %d", x.SpeechViolations, x.GlossaryViolations)
	})
	row("requests", func(x Result) string { return fmt.Sprint(x.Requests) })
	row("tokens in / out", func(x Result) string { return fmt.Sprintf("%d / %d", x.PromptTokens, x.OutputTokens) })
	row("cost (USD)", func(x Result) string { return fmt.Sprintf("%.4f", x.CostUSD) })
	row("latency p50 / p95", func(x Result) string {
		return fmt.Sprintf("%s / %s", x.Latency.P50.Round(time.Millisecond), x.Latency.P95.Round(time.Millisecond))
	})
	_, err := io.WriteString(w, b.String())
	return err
}

// counts writes a rule count as "speech 2, glossary 1", largest first.
func counts(m map[string]int) string {
	if len(m) == 0 {
		return "–"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
