package edition

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/godevcommunity/newsletter/store"
)

func TestRunMetrics(t *testing.T) {
	h := newHarness(t)
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	h.env.Metrics = m
	h.rebuild()
	h.submit(h.site.Add("/a", "Go generics in practice"))
	if _, err := h.runner.Run(context.Background(), store.RunScheduled, t0); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.runs.WithLabelValues("scheduled", "succeeded")); got != 1 {
		t.Errorf("succeeded scheduled runs = %v, want 1", got)
	}
	if testutil.ToFloat64(m.lastSuccess) == 0 {
		t.Error("last successful run time not set")
	}
	if n := testutil.CollectAndCount(m.runDuration); n != 1 {
		t.Errorf("run duration histogram has %d series, want 1", n)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering the metrics twice succeeded")
	}
}
