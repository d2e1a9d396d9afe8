package pipeline

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/godevcommunity/newsletter/internal/testsite"
)

func TestProcessingMetrics(t *testing.T) {
	h := newHarness(t)
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	h.env.Metrics = m
	h.rebuild()
	h.submit(h.site.Add("/a", "Go generics in practice"))
	h.submit(h.site.Add("/b", "SQLite in WAL mode"))
	h.submit(h.site.Set("/b/", testsite.Page{Title: "SQLite in WAL mode", Canonical: "/b"}))
	h.submit(h.site.URL + "/missing")
	if out := h.proc.Drain(context.Background(), h.env.Log); len(out) != 4 {
		t.Fatalf("drained %d submissions, want 4", len(out))
	}
	tests := []struct {
		name string
		c    prometheus.Collector
		want float64
	}{
		{"summarized", m.articlesProcessed.WithLabelValues("summarized"), 2},
		{"duplicate", m.articlesProcessed.WithLabelValues("duplicate"), 1},
		{"failed at fetch", m.articlesFailed.WithLabelValues("fetch"), 1},
		{"gemini requests of summaries that succeeded", m.geminiRequests.WithLabelValues("succeeded"), 2},
		{"gemini requests of summaries that failed", m.geminiRequests.WithLabelValues("failed"), 0},
		{"gemini retries", m.geminiRetries, 0},
	}
	for _, tt := range tests {
		if got := testutil.ToFloat64(tt.c); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if testutil.ToFloat64(m.geminiTokens.WithLabelValues("prompt")) == 0 {
		t.Error("no prompt tokens counted")
	}
	if n := testutil.CollectAndCount(m.geminiLatency); n != 1 {
		t.Errorf("latency histogram has %d series, want 1", n)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering the metrics twice succeeded")
	}
}
