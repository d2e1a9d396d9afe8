package pipeline

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/summarizer/openaitest"
)

// TestFallback: while Gemini is paused by an outage the fallback writes,
// the entry records its model, and the first outage pauses Gemini so that
// the next article makes no request to it. The fallback only ever helps:
// when it does not write the summary, whatever its error (down, a
// configuration it refuses, a request it refuses, an answer it cannot
// correct), the article waits for Gemini as it would without one, and
// only an outage of the fallback pauses it. Each model's requests are
// recorded under it.
func TestFallback(t *testing.T) {
	badRequest := openaitest.Error(400, "invalid_request_error", "context_length_exceeded",
		"This model's maximum context length is 8192 tokens.")
	unsupported := openaitest.Error(400, "invalid_request_error", "unsupported_value",
		"Unsupported value: 'temperature' does not support 0.2 with this model.").WithParam("temperature")
	tests := []struct {
		name         string
		setup        func(*openaitest.Server)
		wantState    store.State
		wantModel    string
		wantWaiting  string
		fbRequests   int  // both articles
		fbFirst      int  // the first article's
		fallbackDown bool // paused after
	}{
		{"the fallback writes", func(*openaitest.Server) {}, store.StateSummarized, openaitest.Model, "", 2, 1, false},
		{"the fallback refuses its key: both wait",
			func(s *openaitest.Server) { s.RefuseKey(true) }, store.StateNew, "", summarizer.Dependency, 1, 1, true},
		{"the fallback refuses a setting (400 unsupported_value): an outage of it, both wait",
			func(s *openaitest.Server) { s.Enqueue(unsupported, unsupported) }, store.StateNew, "", summarizer.Dependency, 1, 1, true},
		{"the fallback refuses the request (400): the article waits, not failed",
			func(s *openaitest.Server) { s.Enqueue(badRequest, badRequest) }, store.StateNew, "", summarizer.Dependency, 2, 1, false},
		{"the fallback's model refuses: the article waits",
			func(s *openaitest.Server) {
				s.Enqueue(openaitest.Refusal("I can't help with that."), openaitest.Refusal("I can't help with that."))
			}, store.StateNew, "", summarizer.Dependency, 2, 1, false},
		{"the fallback's answer fails the guardrails after the correction: the article waits",
			func(s *openaitest.Server) { s.IgnoreSchema(true) }, store.StateNew, "", summarizer.Dependency, 4, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			local := openaitest.NewServer(t)
			fb, err := summarizer.NewOpenAI(local.Config(), h.Config.Gemini, h.Store, zap.NewNop(), summarizer.WithClock(h.Clock))
			if err != nil {
				t.Fatal(err)
			}
			core, logs := observer.New(zap.InfoLevel)
			h.env.Fallback, h.env.Log = fb, zap.New(core)
			h.rebuild()
			h.Gemini.ExhaustQuotaUntil(h.Clock.Now().Add(20*time.Hour), h.Clock.Now)
			tt.setup(local)
			var ids []int64
			for i, title := range []string{"Go generics in practice", "Fuzzing in Go"} {
				id := h.submit(h.Site.Add("/fb/"+string(rune('a'+i)), title)).ID
				ids = append(ids, id)
				out := h.process(id)
				if out.State != tt.wantState || out.WaitingFor != tt.wantWaiting {
					t.Fatalf("article %d: %s waiting for %q (%v); want %s waiting for %q", i, out.State, out.WaitingFor, out.Err, tt.wantState, tt.wantWaiting)
				}
				if tt.wantModel != "" {
					e, err := h.Store.Entry(context.Background(), id)
					if err != nil || e.Summary.Model != tt.wantModel {
						t.Errorf("article %d written by %q (%v), want %s", i, e.Summary.Model, err, tt.wantModel)
					}
				}
			}
			if n := h.Gemini.QuotaRefusals(); n != 1 {
				t.Errorf("%d requests refused by Gemini, want 1: the first outage pauses it", n)
			}
			if n := len(local.Completions()); n != tt.fbRequests {
				t.Errorf("%d requests to the fallback, want %d", n, tt.fbRequests)
			}
			if h.proc.env.Pauses.Up(summarizer.Dependency) {
				t.Error("Gemini is not paused")
			}
			// One outage met is one pause: the next probe is the first
			// interval's, not the second's.
			h.proc.env.Pauses.mu.Lock()
			n := h.proc.env.Pauses.deps[summarizer.Dependency].outages
			h.proc.env.Pauses.mu.Unlock()
			if n != 1 {
				t.Errorf("Gemini paused %d times for one outage, want 1", n)
			}
			if down := !h.proc.env.Pauses.Up(summarizer.OpenAIDependency); down != tt.fallbackDown {
				t.Errorf("fallback paused = %v, want %v (only an outage of it pauses it)", down, tt.fallbackDown)
			}
			logged := logs.FilterMessage("the fallback did not write the summary; the article waits for the primary").All()
			if tt.wantState == store.StateSummarized && len(logged) != 0 {
				t.Errorf("logged %d fallback failures, want none", len(logged))
			}
			if tt.wantState != store.StateSummarized {
				if len(logged) != 2 {
					t.Fatalf("logged %d fallback failures, want one per article", len(logged))
				}
				if f := logged[0].ContextMap(); f["fallback_error"] == nil || f["waiting_for"] != summarizer.Dependency ||
					f["fallback"] != openaitest.Model || f["url"] == "" {
					t.Errorf("fallback failure logged with %v, want the error, the fallback and the dependency waited for", f)
				}
			}
			// Each model's requests under its own name.
			got, err := h.Store.SubmissionUsage(context.Background(), ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if g := got[h.Config.Gemini.Model]; g.Requests != 1 {
				t.Errorf("first article's usage %+v: want Gemini's refused request under %s", got, h.Config.Gemini.Model)
			}
			if o := got[openaitest.Model]; o.Requests != tt.fbFirst {
				t.Errorf("first article's usage %+v: want %d requests under %s", got, tt.fbFirst, openaitest.Model)
			}
		})
	}
}
