package pipeline

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Metrics are the pipeline's Prometheus collectors: articles and Gemini. A nil *Metrics records
// nothing.
type Metrics struct {
	articlesProcessed *prometheus.CounterVec
	articlesFailed    *prometheus.CounterVec
	articlesRetried   *prometheus.CounterVec
	geminiRequests    *prometheus.CounterVec
	geminiCost        prometheus.Counter
	geminiRetries     prometheus.Counter
	geminiTokens      *prometheus.CounterVec
	geminiLatency     prometheus.Histogram
	summaryCacheHits  prometheus.Counter
}

// NewMetrics creates the pipeline's collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		articlesProcessed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_articles_processed_total",
			Help: "Submissions processed to the end, by outcome (summarized, duplicate).",
		}, []string{"outcome"}),
		articlesFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_articles_failed_total",
			Help: "Submissions that failed for good, by the stage that failed (fetch, extract, summarize, save).",
		}, []string{"stage"}),
		articlesRetried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_articles_retried_total",
			Help: "Transient failures that scheduled a retry, by stage.",
		}, []string{"stage"}),
		geminiRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_gemini_requests_total",
			Help: "generateContent requests sent to Gemini, retries and corrections included, by the outcome of their summary (succeeded, failed).",
		}, []string{"outcome"}),
		geminiCost: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsletter_gemini_cost_usd_total",
			Help: "Estimated cost of the Gemini requests, in US dollars, from the configured prices.",
		}),
		geminiRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsletter_gemini_retries_total",
			Help: "Requests beyond the first per summary (transient retries and corrections).",
		}),
		geminiTokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsletter_gemini_tokens_total",
			Help: "Gemini tokens used, by kind (prompt, output; thinking counts as output).",
		}, []string{"kind"}),
		geminiLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newsletter_gemini_summarize_duration_seconds",
			Help:    "Time to obtain one article's summary from Gemini, retries and rate-limit waits included.",
			Buckets: []float64{0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300},
		}),
		summaryCacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsletter_summary_cache_hits_total",
			Help: "Summaries served from the cache without a Gemini request.",
		}),
	}
	for _, c := range []prometheus.Collector{m.articlesProcessed, m.articlesFailed, m.articlesRetried,
		m.geminiRequests, m.geminiCost, m.geminiRetries, m.geminiTokens, m.geminiLatency, m.summaryCacheHits} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("pipeline: register metrics: %w", err)
		}
	}
	for _, o := range []string{"succeeded", "failed"} {
		m.geminiRequests.WithLabelValues(o)
	}
	for _, o := range []store.State{store.StateSummarized, store.StateDuplicate} {
		m.articlesProcessed.WithLabelValues(string(o))
	}
	for _, s := range []Stage{StageFetch, StageExtract, StageSummarize, StageSave} {
		m.articlesFailed.WithLabelValues(string(s))
		m.articlesRetried.WithLabelValues(string(s))
	}
	return m, nil
}

func (m *Metrics) processed(state store.State) {
	if m != nil {
		m.articlesProcessed.WithLabelValues(string(state)).Inc()
	}
}

func (m *Metrics) failed(stage Stage) {
	if m != nil {
		m.articlesFailed.WithLabelValues(string(stage)).Inc()
	}
}

func (m *Metrics) retried(stage Stage) {
	if m != nil {
		m.articlesRetried.WithLabelValues(string(stage)).Inc()
	}
}

// summarized counts what one Summarize call used, whether it succeeded
// (err nil) or not.
func (m *Metrics) summarized(res *summarizer.Result, err error, d time.Duration) {
	if m == nil {
		return
	}
	if res.Cached {
		m.summaryCacheHits.Inc()
		return
	}
	outcome := "succeeded"
	if err != nil {
		outcome = "failed"
	}
	m.geminiRequests.WithLabelValues(outcome).Add(float64(res.Usage.Requests))
	m.geminiCost.Add(res.Usage.CostUSD)
	m.geminiRetries.Add(float64(max(res.Usage.Requests-1, 0)))
	m.geminiTokens.WithLabelValues("prompt").Add(float64(res.Usage.PromptTokens))
	m.geminiTokens.WithLabelValues("output").Add(float64(res.Usage.OutputTokens))
	if err == nil {
		m.geminiLatency.Observe(d.Seconds())
	}
}

// dependencyCollector exposes newsletter_dependency_up from the pauses.
type dependencyCollector struct {
	pauses *Pauses
	desc   *prometheus.Desc
}

// NewDependencyCollector returns the collector of
// newsletter_dependency_up{dependency}: 1 while a dependency is available,
// 0 while the work that needs it is paused.
func NewDependencyCollector(p *Pauses) prometheus.Collector {
	return &dependencyCollector{pauses: p, desc: prometheus.NewDesc("newsletter_dependency_up",
		"Whether a dependency is available (1) or the work that needs it is paused (0).", []string{"dependency"}, nil)}
}

func (c *dependencyCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *dependencyCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.pauses.Status() {
		v := 0.0
		if st.Up {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v, st.Dependency)
	}
}
