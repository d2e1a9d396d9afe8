package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// process claims sub (due now) and processes it.
func (h *harness) process(id int64) Outcome {
	h.t.Helper()
	claimed, ok, err := h.Store.Claim(context.Background(), id, h.Clock.Now())
	if err != nil || !ok {
		h.t.Fatalf("claim %d: %v %v", id, ok, err)
	}
	return h.proc.Process(context.Background(), claimed)
}

// TestQuotaOutageBurnsNothing is defect 1: with the daily quota used up,
// every pending article used to fail after five attempts. Now the first
// refusal pauses Gemini until the quota resets; the other articles are
// fetched, extracted and parked without an attempt or a request; probes
// try one article at a time; once one succeeds, all go through.
func TestQuotaOutageBurnsNothing(t *testing.T) {
	h := newHarness(t)
	h.proc.env.Pauses.backoff.Jitter = func(int64) int64 { return 0 }
	end := h.Clock.Now().Add(3 * time.Hour)
	h.Gemini.ExhaustQuotaUntil(end, h.Clock.Now)
	var ids []int64
	for _, title := range []string{"Go generics in practice", "SQLite in WAL mode", "Structured logging with zap", "Fuzzing in Go"} {
		ids = append(ids, h.submit(h.Site.Add("/"+strings.Fields(title)[0], title)).ID)
	}
	for _, id := range ids {
		if out := h.process(id); out.State != store.StateNew || out.WaitingFor != summarizer.Dependency {
			t.Fatalf("submission %d: %s waiting for %q (%v); want new, waiting for gemini", id, out.State, out.WaitingFor, out.Err)
		}
	}
	if n := h.Gemini.QuotaRefusals(); n != 1 {
		t.Errorf("%d requests refused; after the first, none should be sent during the pause", n)
	}
	for _, id := range ids {
		if sub := h.state(id); sub.Attempts != 0 || sub.WaitingFor != "gemini" {
			t.Errorf("submission %d: %d attempts, waiting for %q; want no attempt charged", id, sub.Attempts, sub.WaitingFor)
		}
		if _, ok, _ := h.Store.Article(context.Background(), id); !ok {
			t.Errorf("submission %d was not fetched and extracted while Gemini was paused", id)
		}
	}

	// Probes before the end fail, and charge nothing.
	for h.Clock.Now().Before(end) {
		next := h.proc.env.Pauses.nextTry(summarizer.Dependency)
		h.Clock.Advance(next.Sub(h.Clock.Now()))
		due, _ := h.Store.DueIDs(context.Background(), h.Clock.Now())
		for _, id := range due {
			h.process(id)
		}
	}
	refusedProbes := h.Gemini.QuotaRefusals() - 1
	if refusedProbes < 1 || refusedProbes > 10 {
		t.Errorf("%d probes refused over three hours; want a few at growing intervals", refusedProbes)
	}
	// The first probe after the end succeeds and the rest are due at once.
	due, _ := h.Store.DueIDs(context.Background(), h.Clock.Now())
	for _, id := range due {
		h.process(id)
	}
	due, _ = h.Store.DueIDs(context.Background(), h.Clock.Now())
	for _, id := range due {
		h.process(id)
	}
	for _, id := range ids {
		if sub := h.state(id); sub.State != store.StateSummarized || sub.Attempts != 1 {
			t.Errorf("submission %d: %s after %d attempts; want summarized, the one attempt that succeeded", id, sub.State, sub.Attempts)
		}
	}
	if !h.proc.env.Pauses.Up(summarizer.Dependency) {
		t.Error("gemini is still paused after a probe succeeded")
	}
}

// TestRefusedKeyFailsNothing is defect 2: a refused key used to fail every
// article on its first try.
func TestRefusedKeyFailsNothing(t *testing.T) {
	h := newHarness(t)
	h.Gemini.RefuseKey(true)
	a := h.submit(h.Site.Add("/a", "Go generics in practice"))
	b := h.submit(h.Site.Add("/b", "SQLite in WAL mode"))
	for _, s := range []store.Submission{a, b} {
		if out := h.process(s.ID); out.State != store.StateNew || out.WaitingFor != "gemini" {
			t.Errorf("submission %d: %s (%v), want new waiting for gemini", s.ID, out.State, out.Err)
		}
	}
	st := h.proc.env.Pauses.Status()
	if st[0].Up || !strings.Contains(st[0].Reason, "refused the API key") {
		t.Errorf("status = %+v, want gemini paused because the key was refused", st)
	}
	if n := len(h.Gemini.GenerateRequests()); n != 1 {
		t.Errorf("%d requests; only the first should be sent", n)
	}
}

// TestNoSummarizerWaits: without an API key articles are fetched and
// extracted, and their summaries wait.
func TestNoSummarizerWaits(t *testing.T) {
	h := newHarness(t)
	h.env.Summarizer = nil
	h.rebuild()
	h.proc.env.Pauses.Hold(summarizer.Dependency, "no Gemini API key")
	sub := h.submit(h.Site.Add("/a", "Go generics in practice"))
	out := h.process(sub.ID)
	if out.State != store.StateNew || out.WaitingFor != "gemini" {
		t.Fatalf("outcome %s (%v), want new waiting for gemini", out.State, out.Err)
	}
	if _, ok, _ := h.Store.Article(context.Background(), sub.ID); !ok {
		t.Error("the article was not fetched and extracted")
	}
	if ids, _ := h.Store.DueIDs(context.Background(), h.Clock.Now().Add(240*time.Hour)); len(ids) != 0 {
		t.Errorf("due later: %v; a held wait has no time", ids)
	}
}

// TestGitHubRateLimitIsAnOutage: GitHub's API rate limit pauses the
// repositories until its reset, charging nothing and asking nothing more;
// other pages go on.
func TestGitHubRateLimitIsAnOutage(t *testing.T) {
	reset := t0.Add(20 * time.Minute)
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		w.WriteHeader(http.StatusForbidden)
	}))
	defer api.Close()
	h := newHarness(t, func(c *config.Config) { c.Fetcher.GitHubAPIURL = api.URL })
	a := h.submit("https://github.com/golang/go")
	b := h.submit("https://github.com/golang/tools")
	page := h.submit(h.Site.Add("/a", "Go generics in practice"))
	for _, s := range []store.Submission{a, b} {
		if out := h.process(s.ID); out.State != store.StateNew || out.WaitingFor != fetcher.GitHubAPI {
			t.Errorf("submission %d: %s waiting for %q (%v); want new, waiting for github", s.ID, out.State, out.WaitingFor, out.Err)
		}
		if got := h.state(s.ID); got.Attempts != 0 || !got.NextAttemptAt.Equal(reset) {
			t.Errorf("submission %d: %d attempts, next at %v; want none charged, due at the reset %v", s.ID, got.Attempts, got.NextAttemptAt, reset)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("GitHub asked %d times; after its rate limit, it waits for the reset", n)
	}
	if out := h.process(page.ID); out.State != store.StateSummarized {
		t.Errorf("another page: %s (%v), want summarized", out.State, out.Err)
	}
}
