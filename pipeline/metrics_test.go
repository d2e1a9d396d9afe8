package pipeline

import (
	"context"
	"testing"

	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/internal/testsite"
)

func TestProcessingMetrics(t *testing.T) {
	h := newHarness(t)
	m := testenv.Registered(t, NewMetrics)
	h.env.Metrics = m
	h.rebuild()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	h.submit(h.Site.Add("/b", "SQLite in WAL mode"))
	h.submit(h.Site.Set("/b/", testsite.Page{Title: "SQLite in WAL mode", Canonical: "/b"}))
	h.submit(h.Site.URL + "/missing")
	if out := h.proc.Drain(context.Background(), h.env.Log); len(out) != 4 {
		t.Fatalf("drained %d submissions, want 4", len(out))
	}
	testenv.CheckMetrics(t,
		testenv.Metric{Name: "summarized", C: m.articlesProcessed.WithLabelValues("summarized"), Want: 2},
		testenv.Metric{Name: "duplicate", C: m.articlesProcessed.WithLabelValues("duplicate"), Want: 1},
		testenv.Metric{Name: "failed at fetch", C: m.articlesFailed.WithLabelValues("fetch"), Want: 1},
		testenv.Metric{Name: "gemini requests of summaries that succeeded", C: m.geminiRequests.WithLabelValues("succeeded"), Want: 2},
		testenv.Metric{Name: "gemini requests of summaries that failed", C: m.geminiRequests.WithLabelValues("failed"), Want: 0},
		testenv.Metric{Name: "gemini retries", C: m.geminiRetries, Want: 0},
	)
	if testenv.Value(m.geminiTokens.WithLabelValues("prompt")) == 0 {
		t.Error("no prompt tokens counted")
	}
	testenv.Series(t, m.geminiLatency, 1, "latency histogram")
}
