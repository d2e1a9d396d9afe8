package server

import (
	"context"
	"fmt"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics count API requests by route pattern and status class.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_http_requests_total",
			Help: "HTTP requests answered, by route and status class.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsletter_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("server: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *httpMetrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, statusClass(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// storeCollector reads gauges from the database, through the desk, at
// scrape time, so they are right after a restart too.
type storeCollector struct {
	desk        *desk.Desk
	submissions *prometheus.Desc
	lastIssue   *prometheus.Desc
}

func newStoreCollector(d *desk.Desk) *storeCollector {
	return &storeCollector{
		desk: d,
		submissions: prometheus.NewDesc("newsletter_submissions",
			"Submissions in the database, by state.", []string{"state"}, nil),
		lastIssue: prometheus.NewDesc("newsletter_last_issue_published_timestamp_seconds",
			"When an issue was last published (Unix time); absent before the first.", nil, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.submissions
	ch <- c.lastIssue
}

// scrapeTimeout bounds the database queries of one scrape.
const scrapeTimeout = 5 * time.Second

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := c.desk.CountByState(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.submissions, err)
		return
	}
	for _, st := range api.States {
		ch <- prometheus.MustNewConstMetric(c.submissions, prometheus.GaugeValue, float64(counts[st]), st)
	}
	at, ok, err := c.desk.LastPublished(ctx)
	switch {
	case err != nil:
		ch <- prometheus.NewInvalidMetric(c.lastIssue, err)
	case ok:
		ch <- prometheus.MustNewConstMetric(c.lastIssue, prometheus.GaugeValue, float64(at.UnixNano())/1e9)
	}
}
