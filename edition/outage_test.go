package edition

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// TestRunHonoursPausesAndCharges: the issue run claims nothing that needs
// a paused dependency, charges at most one attempt per article, and runs no
// more summaries at once than worker.concurrency, the worker's included.
func TestRunHonoursPausesAndCharges(t *testing.T) {
	t.Run("paused", func(t *testing.T) {
		h := newHarness(t)
		h.proc.Pauses().Hold(summarizer.Dependency, "no Gemini API key")
		sub := h.submit(h.Site.Add("/a", "Go generics in practice"))
		rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Pending) != 1 || rep.Pending[0].SubmissionID != sub.ID || len(rep.Failed) != 0 {
			t.Errorf("report pending %+v failed %+v; want the article pending", rep.Pending, rep.Failed)
		}
		if got := h.state(sub.ID); got.Attempts != 0 || got.WaitingFor != "gemini" {
			t.Errorf("after the run: %d attempts, waiting for %q", got.Attempts, got.WaitingFor)
		}
		if n := len(h.Gemini.GenerateRequests()); n != 0 {
			t.Errorf("%d Gemini requests while paused", n)
		}
	})
	t.Run("one attempt each, bounded concurrency", func(t *testing.T) {
		h := newHarness(t, func(c *config.Config) { c.Worker.Concurrency = 2; c.Worker.RetryBackoff = time.Second })
		var ids []int64
		for i, title := range []string{"Go generics in practice", "SQLite in WAL mode", "Structured logging with zap", "Fuzzing in Go", "Profiling with pprof"} {
			ids = append(ids, h.submit(h.Site.Add("/p"+string(rune('a'+i)), title)).ID)
			h.Gemini.Enqueue(geminitest.Error(503, "UNAVAILABLE", "The model is overloaded.").WithDelay(20 * time.Millisecond))
		}
		w := startWorker(t, h) // beside the run, as in serve
		w.Notify()
		if _, err := h.runner.Run(context.Background(), store.RunScheduled, t0); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if got := h.state(id); got.Attempts > 1 {
				t.Errorf("submission %d: %d attempts in one run, want at most 1", id, got.Attempts)
			}
		}
		if n := h.Gemini.MaxConcurrent(); n > 2 {
			t.Errorf("%d summaries at once, want at most worker.concurrency = 2", n)
		}
	})
}

// TestIssueUsageCountsEveryRequest is defect 14: the run report's usage
// left out the worker's requests, so the week's cost appeared nowhere.
// The issue's usage counts every request made for its articles: the
// worker's, the run's and the failed ones.
func TestIssueUsageCountsEveryRequest(t *testing.T) {
	h := newHarness(t)
	a := h.submit(h.Site.Add("/a", "Go generics in practice"))
	b := h.submit(h.Site.Add("/b", "SQLite in WAL mode"))
	h.process(a.ID) // by the worker, during the week
	h.Gemini.Enqueue(geminitest.Error(503, "UNAVAILABLE", "The model is overloaded."))
	if out := h.process(b.ID); out.State != store.StateNew {
		t.Fatalf("b: %s, want a retry", out.State)
	}
	h.Clock.Advance(h.Config.Worker.RetryBackoff)
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Usage.Requests != 1 {
		t.Errorf("the run's own usage: %d requests, want 1", rep.Usage.Requests)
	}
	if iu := rep.IssueUsage; iu.Requests != 3 || iu.CostUSD <= rep.Usage.CostUSD {
		t.Errorf("the issue's usage: %+v, want the 3 requests of the week", iu)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "the issue's articles, all week: 3 requests") {
		t.Errorf("report text lacks the issue's usage:\n%s", text.String())
	}
}
