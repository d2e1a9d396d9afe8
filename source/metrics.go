package source

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/godevcommunity/newsletter/store"
)

// Metrics count what the sources offer.
type Metrics struct {
	items    *prometheus.CounterVec
	failures *prometheus.CounterVec
}

// NewMetrics registers the pollers' counters and the candidates' gauge
// (by source and state: offered, accepted, dismissed, ...) with reg.
func NewMetrics(reg prometheus.Registerer, st *store.Store) (*Metrics, error) {
	m := &Metrics{
		items: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsletter_source_items_total",
			Help: "Items the sources offered, by source and outcome (added, again, duplicate, skipped)."},
			[]string{"source", "outcome"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsletter_source_failures_total",
			Help: "Failed polls, by source."}, []string{"source"}),
	}
	for _, c := range []prometheus.Collector{m.items, m.failures, candidateCollector{st}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

var outcomeNames = map[Outcome]string{Added: "added", Again: "again", Duplicate: "duplicate", Skipped: "skipped"}

func (m *Metrics) record(source string, o Outcome) {
	if m != nil {
		m.items.WithLabelValues(source, outcomeNames[o]).Inc()
	}
}

func (m *Metrics) failed(source string) {
	if m != nil {
		m.failures.WithLabelValues(source).Inc()
	}
}

// candidateCollector reads the candidates' counts from the store at each
// scrape.
type candidateCollector struct{ st *store.Store }

var candidatesDesc = prometheus.NewDesc("newsletter_candidates",
	"Candidates by the source that first offered them and state (new, accepted, dismissed, duplicate, expired).",
	[]string{"source", "state"}, nil)

func (c candidateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- candidatesDesc }

func (c candidateCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := c.st.CountCandidates(context.Background())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(candidatesDesc, err)
		return
	}
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(candidatesDesc, prometheus.GaugeValue, float64(n.N), n.Source, string(n.State))
	}
}
