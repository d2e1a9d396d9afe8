package summarizer

import (
	"context"
	"testing"
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
