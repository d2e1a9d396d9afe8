package outbox

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/godevcommunity/newsletter/store"
)

// collector reports the outbox's deliveries by state when scraped.
type collector struct {
	store   *store.Store
	desc    *prometheus.Desc
	outlets *prometheus.Desc
}

// NewCollector returns a Prometheus collector of the deliveries by state
// (newsletter_deliveries{state="pending|sending|done|failed"}), read from
// the store at each scrape.
func NewCollector(st *store.Store) prometheus.Collector {
	return &collector{store: st, desc: prometheus.NewDesc("newsletter_deliveries",
		"Deliveries of the outbox (Hashnode posts, email campaigns, chat messages) by state.", []string{"state"}, nil),
		outlets: prometheus.NewDesc("newsletter_outlet_deliveries",
			"Deliveries of the outbox by outlet (hashnode, listmonk, chat) and state.", []string{"outlet", "state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
	ch <- c.outlets
}

// Collect implements prometheus.Collector; a failed read reports nothing.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.store.CountDeliveries(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	states := []store.DeliveryState{store.DeliveryPending, store.DeliverySending, store.DeliveryDone, store.DeliveryFailed}
	for _, st := range states {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
	outlets, err := c.store.DeliveriesByOutlet(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.outlets, err)
		return
	}
	for _, o := range outlets {
		for _, st := range states {
			ch <- prometheus.MustNewConstMetric(c.outlets, prometheus.GaugeValue, float64(o.Counts[st]), o.Outlet, string(st))
		}
	}
}
