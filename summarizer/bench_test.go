package summarizer

import (
	"context"
	"testing"

	"google.golang.org/genai"
)

// BenchmarkSummarizeEcho is one article through the real SDK against the
// fake server in echo mode: prompt building, HTTP, parsing and guardrails,
// without a model's latency.
func BenchmarkSummarizeEcho(b *testing.B) {
	h := newHarness(b, nil, nil)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.s.Summarize(ctx, elastic); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate is the guardrail check of one answer.
func BenchmarkValidate(b *testing.B) {
	src := newSource(elastic)
	for b.Loop() {
		if v := validate(goodElastic, src); len(v) != 0 {
			b.Fatal(v)
		}
	}
}

// The provider layer's overhead: one Gemini request as the summariser
// made it before there were providers (contents built by hand, send and
// answerText called directly) against the same request through the
// provider interface, in the same run:
//
//	go test ./summarizer -run '^$' -bench 'GeminiRequest' -benchmem -count 6
func BenchmarkGeminiRequestDirect(b *testing.B) {
	h := newHarness(b, nil, nil)
	g := h.s.prov.(*geminiProvider)
	p, err := h.s.prompts.build(elastic, h.s.cfg.InputTokenBudget)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		var u Usage
		contents := []*genai.Content{genai.NewContentFromText(p.User, genai.RoleUser)}
		tokens := EstimateTokens(p.System) + EstimateTokens(p.User)
		resp, err := g.send(ctx, elastic.URL, contents, g.generateConfig(p.System, h.s.cfg.MaxOutputTokens, false), tokens, false, &u)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := answerText(resp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGeminiRequestProvider(b *testing.B) {
	h := newHarness(b, nil, nil)
	p, err := h.s.prompts.build(elastic, h.s.cfg.InputTokenBudget)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		var u Usage
		turns := []turn{{text: p.User}}
		a := ask{url: elastic.URL, system: p.System, turns: turns, maxOutput: h.s.cfg.MaxOutputTokens,
			tokens: EstimateTokens(p.System) + EstimateTokens(p.User)}
		if _, err := h.s.prov.complete(ctx, a, &u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarizeEchoOpenAI is BenchmarkSummarizeEcho through the
// OpenAI-compatible provider and its fake.
func BenchmarkSummarizeEchoOpenAI(b *testing.B) {
	h := newOpenAIHarness(b, nil, nil)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.s.Summarize(ctx, elastic); err != nil {
			b.Fatal(err)
		}
	}
}
