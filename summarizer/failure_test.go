package summarizer

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/waitlog"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// TestSummarizeClassifiesFailures: what no article gets past is an outage
// of Gemini, with the time it ends when the API says; what is the
// article's is permanent; the rest is transient.
func TestSummarizeClassifiesFailures(t *testing.T) {
	// The bubble's clock starts at 2000-01-01 00:00 UTC, 16:00 the day
	// before in California: the daily quota resets at 08:00 UTC.
	reset := time.Date(2000, 1, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		setup   func(h *harness)
		replies []geminitest.Reply
		kind    retry.Kind
		dep     string
		until   time.Time
		is      error
	}{
		{name: "refused key", setup: func(h *harness) { h.srv.RefuseKey(true) },
			kind: retry.Outage, dep: Dependency, is: ErrKeyRefused},
		{name: "permission denied", replies: []geminitest.Reply{geminitest.Error(403, "PERMISSION_DENIED", "Your API key was reported as leaked.")},
			kind: retry.Outage, dep: Dependency, is: ErrKeyRefused},
		{name: "unknown model", setup: func(h *harness) { h.srv.UnknownModel(config.DefaultModel) },
			kind: retry.Outage, dep: Dependency, is: ErrUnknownModel},
		{name: "daily quota: until it resets, though RetryInfo says 41s", replies: []geminitest.Reply{geminitest.DailyQuotaExceeded()},
			kind: retry.Outage, dep: Dependency, until: reset, is: ErrQuotaExhausted},
		{name: "daily quota: until the later time it names", setup: func(h *harness) {
			// The server answers outside the bubble: its clock is the bubble's start.
			h.srv.ExhaustQuotaUntil(waitlog.Start.Add(10*time.Hour), func() time.Time { return waitlog.Start })
		}, kind: retry.Outage, dep: Dependency, until: time.Date(2000, 1, 1, 10, 0, 0, 0, time.UTC), is: ErrQuotaExhausted},
		{name: "a rate limit longer than worth waiting", replies: []geminitest.Reply{geminitest.RateLimited(10 * time.Minute)},
			kind: retry.Outage, dep: Dependency, until: time.Date(2000, 1, 1, 0, 10, 0, 0, time.UTC)},
		{name: "a rate limit that does not lift", replies: []geminitest.Reply{
			geminitest.RateLimited(time.Second), geminitest.RateLimited(time.Second), geminitest.RateLimited(time.Second),
		}, kind: retry.Outage, dep: Dependency},
		{name: "a request Gemini rejects", replies: []geminitest.Reply{geminitest.Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")},
			kind: retry.Permanent},
		{name: "blocked", replies: []geminitest.Reply{geminitest.Blocked("SAFETY")}, kind: retry.Permanent, is: ErrBlocked},
		{name: "one article without an answer", replies: []geminitest.Reply{
			geminitest.Error(503, "UNAVAILABLE", "overloaded"), geminitest.Error(503, "UNAVAILABLE", "overloaded"),
			geminitest.Error(503, "UNAVAILABLE", "overloaded"),
		}, kind: retry.Transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil, func(c *config.Gemini) { c.MaxAttempts = 3 })
			if tt.setup != nil {
				tt.setup(h)
			}
			h.srv.Enqueue(tt.replies...)
			_, err := h.summarize(t, elastic)
			c := retry.Classify(err)
			if c == nil || c.Kind != tt.kind || c.Dependency != tt.dep {
				t.Fatalf("err = %v classified %+v, want %v of %q", err, c, tt.kind, tt.dep)
			}
			if !tt.until.IsZero() && !c.At.Equal(tt.until) {
				t.Errorf("until %v, want %v", c.At, tt.until)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to match %v", err, tt.is)
			}
		})
	}
}

// TestSummarizeRunOfFailuresIsAnOutage: one article that gets no answer is
// retried later; the next one failing the same way makes it an outage.
func TestSummarizeRunOfFailuresIsAnOutage(t *testing.T) {
	h := newHarness(t, nil, func(c *config.Gemini) { c.MaxAttempts = 1 })
	h.srv.Enqueue(geminitest.Error(500, "INTERNAL", "An internal error has occurred."),
		geminitest.Error(503, "UNAVAILABLE", "overloaded"),
		geminitest.Error(503, "UNAVAILABLE", "overloaded"),
		geminitest.JSON(goodElastic),
		geminitest.Error(503, "UNAVAILABLE", "overloaded"))
	want := []retry.Kind{retry.Transient, retry.Outage, retry.Outage}
	for i, k := range want {
		_, err := h.s.Summarize(context.Background(), elastic)
		if got := retry.Classify(err); got == nil || got.Kind != k {
			t.Fatalf("call %d: %v, want %v", i+1, err, k)
		}
	}
	if _, err := h.s.Summarize(context.Background(), elastic); err != nil {
		t.Fatalf("an answer: %v", err)
	}
	_, err := h.s.Summarize(context.Background(), elastic)
	if got := retry.Classify(err); got.Kind != retry.Transient {
		t.Errorf("after an answer a failure is the article's bad luck again, got %v", got.Kind)
	}
}

// TestServiceTier: flex unless the issue is near; a flex refusal under
// load falls back to standard when urgent and is an outage of the flex
// tier otherwise; a key without flex uses standard from then on.
func TestServiceTier(t *testing.T) {
	flex := func(c *config.Gemini) { c.ServiceTier = config.TierFlex; c.MaxAttempts = 2 }
	t.Run("flex when not urgent, standard when urgent", func(t *testing.T) {
		h := newHarness(t, nil, flex)
		h.srv.Enqueue(geminitest.JSON(goodElastic), geminitest.JSON(goodElastic))
		res, err := h.s.Summarize(context.Background(), elastic)
		if err != nil {
			t.Fatal(err)
		}
		urgent := elastic
		urgent.Urgent = true
		urgent.Text += "\n\nA second, different article."
		if _, err := h.s.Summarize(context.Background(), urgent); err != nil {
			t.Fatal(err)
		}
		reqs := h.srv.GenerateRequests()
		if reqs[0].ServiceTier != "flex" || reqs[1].ServiceTier != "" {
			t.Errorf("tiers %q, %q; want flex, then standard", reqs[0].ServiceTier, reqs[1].ServiceTier)
		}
		if want := h.s.prov.(*geminiProvider).cost(res.Usage.PromptTokens, res.Usage.OutputTokens, "") / 2; res.Usage.CostUSD != want {
			t.Errorf("flex cost %v, want half the standard price %v", res.Usage.CostUSD, want)
		}
	})
	t.Run("refused under load", func(t *testing.T) {
		h := newHarness(t, nil, flex)
		for range 2 {
			h.srv.Enqueue(geminitest.Error(429, "RESOURCE_EXHAUSTED", "Flex capacity is exhausted."))
		}
		_, err := h.summarize(t, elastic)
		if c := retry.Classify(err); c.Kind != retry.Outage || c.Dependency != FlexDependency {
			t.Fatalf("err = %v, want an outage of %s", err, FlexDependency)
		}
		h.srv.Enqueue(geminitest.Error(503, "UNAVAILABLE", "Flex capacity is exhausted."), geminitest.JSON(goodElastic))
		urgent := elastic
		urgent.Urgent = true
		if _, err := h.summarize(t, urgent); err != nil {
			t.Fatalf("urgent: %v", err)
		}
		reqs := h.srv.GenerateRequests()
		if last := reqs[len(reqs)-1]; last.ServiceTier != "" {
			t.Errorf("the urgent retry used tier %q, want standard", last.ServiceTier)
		}
	})
	t.Run("not offered to this key", func(t *testing.T) {
		h := newHarness(t, nil, flex)
		h.srv.Enqueue(geminitest.Error(400, "INVALID_ARGUMENT", "Service tier flex is not supported for this project."),
			geminitest.JSON(goodElastic), geminitest.JSON(goodElastic))
		if _, err := h.s.Summarize(context.Background(), elastic); err != nil {
			t.Fatalf("Summarize: %v", err)
		}
		other := elastic
		other.Text += "\n\nAnother article."
		if _, err := h.s.Summarize(context.Background(), other); err != nil {
			t.Fatal(err)
		}
		reqs := h.srv.GenerateRequests()
		if len(reqs) != 3 || reqs[1].ServiceTier != "" || reqs[2].ServiceTier != "" {
			t.Errorf("%d requests; tiers after the refusal %q", len(reqs), []string{reqs[1].ServiceTier, reqs[2].ServiceTier})
		}
	})
}

// TestCheck asks for the model once, costing no generate request.
func TestCheck(t *testing.T) {
	h := newHarness(t, nil, nil)
	if err := h.s.Check(context.Background()); err != nil {
		t.Fatalf("Check = %v", err)
	}
	h.srv.RefuseKey(true)
	if err := h.s.Check(context.Background()); !retry.IsOutage(err) || !errors.Is(err, ErrKeyRefused) {
		t.Errorf("refused key: %v", err)
	}
	h.srv.RefuseKey(false)
	h.srv.UnknownModel(config.DefaultModel)
	if err := h.s.Check(context.Background()); !retry.IsOutage(err) || !errors.Is(err, ErrUnknownModel) {
		t.Errorf("unknown model: %v", err)
	}
	if n := len(h.srv.GenerateRequests()); n != 0 {
		t.Errorf("%d generate requests; Check must only look the model up", n)
	}
}
