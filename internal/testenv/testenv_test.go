package testenv

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

func TestNew(t *testing.T) {
	start := time.Date(2024, 9, 2, 6, 0, 0, 0, Seoul)
	tests := []struct {
		name                     string
		o                        Options
		loopback, site, summarer bool
		attempts                 int
	}{
		{"bare", Options{Start: start}, false, false, false, config.Default().Gemini.MaxAttempts},
		{"loopback", Options{Start: start, Loopback: true}, true, false, false, config.Default().Gemini.MaxAttempts},
		{"site", Options{Start: start, Site: true}, true, true, false, config.Default().Gemini.MaxAttempts},
		{"gemini", Options{Start: start, Gemini: true, Log: true}, false, false, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(t, tt.o)
			if !e.Clock.Now().Equal(start) {
				t.Errorf("clock at %v, want %v", e.Clock.Now(), start)
			}
			if e.Config.Fetcher.MaxRetries != 0 {
				t.Errorf("fetcher retries %d, want 0", e.Config.Fetcher.MaxRetries)
			}
			if got := len(e.Config.Fetcher.AllowedNetworks) > 0; got != tt.loopback {
				t.Errorf("loopback allowed %v, want %v", got, tt.loopback)
			}
			if got := e.Site != nil; got != tt.site {
				t.Errorf("site served %v, want %v", got, tt.site)
			}
			if got := e.Summarizer != nil; got != tt.summarer {
				t.Errorf("summarizer built %v, want %v", got, tt.summarer)
			}
			if got := e.Gemini != nil; got != tt.summarer {
				t.Errorf("fake Gemini served %v, want %v", got, tt.summarer)
			}
			if e.Config.Gemini.MaxAttempts != tt.attempts {
				t.Errorf("Gemini attempts %d, want %d", e.Config.Gemini.MaxAttempts, tt.attempts)
			}
		})
	}
}

// A site's page is fetched: the fetcher may reach loopback.
func TestSiteFetched(t *testing.T) {
	e := New(t, Options{Start: time.Date(2024, 9, 2, 6, 0, 0, 0, Seoul), Site: true})
	u := e.Site.Add("/a", "Go generics in practice")
	page, err := e.Fetcher.Fetch(context.Background(), u)
	if err != nil {
		t.Fatalf("fetch %s: %v", u, err)
	}
	if !strings.Contains(string(page.Body), "Go generics in practice") {
		t.Errorf("page of %s lacks its title", u)
	}
}

func TestChangeAndWorkerByHand(t *testing.T) {
	e := New(t, Options{Start: time.Unix(0, 0), Change: []func(*config.Config){WorkerByHand, nil,
		func(c *config.Config) { c.Schedule.Mode = config.ModeReview }}})
	if e.Config.Worker.PollInterval != time.Hour || e.Config.Worker.RetryBackoff != time.Minute {
		t.Errorf("worker %+v, want polls an hour apart and retries a minute later", e.Config.Worker)
	}
	if e.Config.Schedule.Mode != config.ModeReview {
		t.Errorf("mode %q: a later change did not win", e.Config.Schedule.Mode)
	}
}

func TestSubmitAndSummarized(t *testing.T) {
	e := New(t, Options{Start: time.Date(2024, 9, 2, 7, 0, 0, 0, Seoul)})
	sub := e.Submit("HTTPS://Go.dev/blog/a#top")
	if sub.URL != "https://go.dev/blog/a" {
		t.Errorf("submitted %q, want it normalised", sub.URL)
	}
	e.Summarized(sub.ID, store.Article{FinalURL: sub.URL, CanonicalURL: sub.URL, Title: "A", Text: "one two three"},
		store.Summary{PromptVersion: "test", Model: "gemini-test"})
	if got := e.Submission(sub.ID); got.State != store.StateSummarized {
		t.Errorf("state %q, want %q", got.State, store.StateSummarized)
	}
	a, ok, err := e.Store.Article(context.Background(), sub.ID)
	if err != nil || !ok {
		t.Fatalf("article %d: %v %v", sub.ID, ok, err)
	}
	if a.WordCount != 3 || a.TextHash == "" || !a.FetchedAt.Equal(e.Clock.Now()) {
		t.Errorf("article %+v: word count, hash or fetch time not filled in", a)
	}
}

type fakeMetrics struct{ c prometheus.Counter }

func newFakeMetrics(reg prometheus.Registerer) (*fakeMetrics, error) {
	m := &fakeMetrics{c: prometheus.NewCounter(prometheus.CounterOpts{Name: "test_total", Help: "A test counter."})}
	if err := reg.Register(m.c); err != nil {
		return nil, errors.New("register: " + err.Error())
	}
	return m, nil
}

func TestMetrics(t *testing.T) {
	m := Registered(t, newFakeMetrics)
	m.c.Add(2)
	CheckMetrics(t, Metric{"test counter", m.c, 2})
	Series(t, m.c, 1, "test counter")
}
