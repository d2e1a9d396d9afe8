package edition

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/godevcommunity/newsletter/store"
)

// Metrics are the issue runs' Prometheus collectors. A nil *Metrics
// records nothing.
type Metrics struct {
	runs        *prometheus.CounterVec
	runDuration *prometheus.HistogramVec
	lastSuccess prometheus.Gauge
}

// NewMetrics creates the runs' collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_runs_total",
			Help: "Issue runs finished, by kind (manual, scheduled) and state (succeeded, failed).",
		}, []string{"kind", "state"}),
		runDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsletter_run_duration_seconds",
			Help:    "Duration of issue runs, by kind and state.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600},
		}, []string{"kind", "state"}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsletter_last_successful_run_timestamp_seconds",
			Help: "When the last successful issue run finished (Unix time), since this process started.",
		}),
	}
	for _, c := range []prometheus.Collector{m.runs, m.runDuration, m.lastSuccess} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("edition: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) runFinished(kind store.RunKind, state store.RunState, d time.Duration, at time.Time) {
	if m == nil {
		return
	}
	m.runs.WithLabelValues(string(kind), string(state)).Inc()
	m.runDuration.WithLabelValues(string(kind), string(state)).Observe(d.Seconds())
	if state == store.RunSucceeded {
		m.lastSuccess.Set(float64(at.UnixNano()) / 1e9)
	}
}
