package testenv

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Registered makes a package's metrics with newMetrics on a fresh
// registry, failing the test if that is refused, and checks that making
// them a second time on the same registry is refused.
func Registered[M any](t testing.TB, newMetrics func(prometheus.Registerer) (M, error)) M {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := newMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newMetrics(reg); err == nil {
		t.Error("registering the metrics twice succeeded")
	}
	return m
}

// Metric is the value a test wants of a collector of one series.
type Metric struct {
	Name string
	C    prometheus.Collector
	Want float64
}

// CheckMetrics reports each metric whose value is not the one wanted.
func CheckMetrics(t testing.TB, ms ...Metric) {
	t.Helper()
	for _, m := range ms {
		if got := testutil.ToFloat64(m.C); got != m.Want {
			t.Errorf("%s = %v, want %v", m.Name, got, m.Want)
		}
	}
}

// Series counts the series a collector holds (a histogram's is one a
// label set).
func Series(t testing.TB, c prometheus.Collector, want int, what string) {
	t.Helper()
	if n := testutil.CollectAndCount(c); n != want {
		t.Errorf("%s has %d series, want %d", what, n, want)
	}
}

// Value is the value of a collector of one series.
func Value(c prometheus.Collector) float64 { return testutil.ToFloat64(c) }
