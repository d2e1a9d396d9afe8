package edition

import (
	"context"
	"testing"

	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/store"
)

func TestRunMetrics(t *testing.T) {
	h := newHarness(t)
	m := testenv.Registered(t, NewMetrics)
	h.env.Metrics = m
	h.rebuild()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	if _, err := h.runner.Run(context.Background(), store.RunScheduled, t0); err != nil {
		t.Fatal(err)
	}
	testenv.CheckMetrics(t, testenv.Metric{Name: "succeeded scheduled runs", C: m.runs.WithLabelValues("scheduled", "succeeded"), Want: 1})
	if testenv.Value(m.lastSuccess) == 0 {
		t.Error("last successful run time not set")
	}
	testenv.Series(t, m.runDuration, 1, "run duration histogram")
}
