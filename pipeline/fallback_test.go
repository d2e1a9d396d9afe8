package pipeline

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/summarizer/openaitest"
)

// TestFallback: while Gemini is paused by an outage the fallback writes,
// the entry records its model, and the first outage pauses Gemini so that
// the next article makes no request to it; with the fallback down too,
// articles wait for Gemini as they would without one.
func TestFallback(t *testing.T) {
	tests := []struct {
		name         string
		fallbackDown bool
		wantState    store.State
		wantModel    string
		wantWaiting  string
	}{
		{"the fallback writes", false, store.StateSummarized, openaitest.Model, ""},
		{"both down: wait for the primary", true, store.StateNew, "", summarizer.Dependency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			local := openaitest.NewServer(t)
			fb, err := summarizer.NewOpenAI(local.Config(), h.cfg.Gemini, h.store, zap.NewNop(), summarizer.WithClock(h.clock))
			if err != nil {
				t.Fatal(err)
			}
			h.env.Fallback = fb
			h.rebuild()
			h.gemini.ExhaustQuotaUntil(h.clock.Now().Add(20*time.Hour), h.clock.Now)
			if tt.fallbackDown {
				local.RefuseKey(true)
			}
			for i, title := range []string{"Go generics in practice", "Fuzzing in Go"} {
				id := h.submit(h.site.Add("/fb/"+string(rune('a'+i)), title)).ID
				out := h.process(id)
				if out.State != tt.wantState || out.WaitingFor != tt.wantWaiting {
					t.Fatalf("article %d: %s waiting for %q (%v); want %s waiting for %q", i, out.State, out.WaitingFor, out.Err, tt.wantState, tt.wantWaiting)
				}
				if tt.wantModel != "" {
					e, err := h.store.Entry(context.Background(), id)
					if err != nil || e.Summary.Model != tt.wantModel {
						t.Errorf("article %d written by %q (%v), want %s", i, e.Summary.Model, err, tt.wantModel)
					}
				}
			}
			if n := h.gemini.QuotaRefusals(); n != 1 {
				t.Errorf("%d requests refused by Gemini, want 1: the first outage pauses it", n)
			}
			if n, want := len(local.Completions()), map[bool]int{false: 2, true: 1}[tt.fallbackDown]; n != want {
				t.Errorf("%d requests to the fallback, want %d (none once it is paused too)", n, want)
			}
			if h.proc.env.Pauses.Up(summarizer.Dependency) {
				t.Error("Gemini is not paused")
			}
			if tt.fallbackDown && h.proc.env.Pauses.Up(summarizer.OpenAIDependency) {
				t.Error("the fallback refused its key and is not paused")
			}
		})
	}
}
