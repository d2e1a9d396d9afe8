package pipeline

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/testsite"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

func TestProcess(t *testing.T) {
	tests := []struct {
		name        string
		page        testsite.Page
		gemini      []geminitest.Reply
		maxAttempts int
		wantState   store.State
		wantStage   Stage
		wantErr     string // in the submission's last_error
		wantRetry   bool   // next_attempt_at set
		// wantRequests is the Gemini requests the outcome reports: failed
		// ones count too, for the run's cost total.
		wantRequests int
	}{
		{name: "summarised", page: testsite.Page{Title: "Go generics in practice"}, wantState: store.StateSummarized, wantRequests: 1},
		{name: "not found", page: testsite.Page{Status: http.StatusNotFound}, wantState: store.StateFailed,
			wantStage: StageFetch, wantErr: "404"},
		{name: "server error is retried", page: testsite.Page{Status: http.StatusServiceUnavailable},
			wantState: store.StateNew, wantStage: StageFetch, wantErr: "503", wantRetry: true},
		{name: "server error on the last attempt", page: testsite.Page{Status: http.StatusServiceUnavailable}, maxAttempts: 1,
			wantState: store.StateFailed, wantStage: StageFetch, wantErr: "gave up after 1 attempts"},
		{name: "no readable content", page: testsite.Page{Body: "<html><body></body></html>"},
			wantState: store.StateFailed, wantStage: StageExtract, wantErr: "extract"},
		{name: "blocked by Gemini", page: testsite.Page{Title: "Go generics"}, gemini: []geminitest.Reply{geminitest.Blocked("SAFETY")},
			wantState: store.StateFailed, wantStage: StageSummarize, wantErr: "blocked", wantRequests: 1},
		{name: "Gemini unavailable is retried", page: testsite.Page{Title: "Go generics"},
			gemini:    []geminitest.Reply{geminitest.Error(503, "UNAVAILABLE", "The model is overloaded.")},
			wantState: store.StateNew, wantStage: StageSummarize, wantErr: "overloaded", wantRetry: true, wantRequests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *config.Config) {
				if tt.maxAttempts != 0 {
					c.Worker.MaxAttempts = tt.maxAttempts
				}
			})
			h.Gemini.Enqueue(tt.gemini...)
			sub := h.submit(h.Site.Set("/post", tt.page))
			ctx := context.Background()
			claimed, _, err := h.Store.Claim(ctx, sub.ID, h.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			out := h.proc.Process(ctx, claimed)
			if out.State != tt.wantState || out.Stage != tt.wantStage {
				t.Fatalf("outcome = %s at %q (%v), want %s at %q", out.State, out.Stage, out.Err, tt.wantState, tt.wantStage)
			}
			if out.Usage.Requests != tt.wantRequests {
				t.Errorf("outcome reports %d Gemini requests, want %d", out.Usage.Requests, tt.wantRequests)
			}
			got := h.state(sub.ID)
			if got.State != tt.wantState || !strings.Contains(got.LastError, tt.wantErr) {
				t.Errorf("submission = %s %q, want %s with an error containing %q", got.State, got.LastError, tt.wantState, tt.wantErr)
			}
			if tt.wantStage == StageExtract && strings.Count(got.LastError, "extract ") != 1 {
				t.Errorf("last error %q names the extraction more than once", got.LastError)
			}
			if tt.wantRetry != !got.NextAttemptAt.IsZero() {
				t.Errorf("next_attempt_at = %v, want a retry: %v", got.NextAttemptAt, tt.wantRetry)
			}
			if tt.wantRetry && !got.NextAttemptAt.Equal(h.Clock.Now().Add(h.Config.Worker.RetryBackoff)) {
				t.Errorf("next_attempt_at = %v, want now + retry_backoff", got.NextAttemptAt)
			}
			if got.Attempts != 1 {
				t.Errorf("attempts = %d, want 1", got.Attempts)
			}
		})
	}
}

func TestProcessRetryReusesArticle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.Gemini.Enqueue(geminitest.Error(503, "UNAVAILABLE", "The model is overloaded."))
	sub := h.submit(h.Site.Add("/post", "Go generics in practice"))
	for want := range []store.State{store.StateNew, store.StateSummarized} {
		if want > 0 {
			h.Clock.Advance(h.Config.Worker.RetryBackoff) // the retry is due
		}
		claimed, ok, err := h.Store.Claim(ctx, sub.ID, h.Clock.Now())
		if err != nil || !ok {
			t.Fatalf("claim #%d: %v %v", want+1, ok, err)
		}
		h.proc.Process(ctx, claimed)
	}
	got := h.state(sub.ID)
	if got.State != store.StateSummarized || got.Attempts != 2 {
		t.Errorf("after the retry: %s, attempts %d; want summarized after 2", got.State, got.Attempts)
	}
	if n := h.Site.Hits("/post"); n != 1 {
		t.Errorf("page fetched %d times, want once: the retry reuses the saved article", n)
	}
}

func TestProcessInterruptedGoesBackToNew(t *testing.T) {
	h := newHarness(t)
	p := testsite.Page{Title: "Slow page", Block: make(chan struct{}), Entered: make(chan struct{})}
	sub := h.submit(h.Site.Set("/slow", p))
	ctx, cancel := context.WithCancel(context.Background())
	claimed, _, err := h.Store.Claim(ctx, sub.ID, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		<-p.Entered
		cancel()
	}()
	out := h.proc.Process(ctx, claimed)
	if !out.Interrupted || out.State != store.StateNew {
		t.Fatalf("outcome = %+v, want interrupted and new", out)
	}
	got := h.state(sub.ID)
	if got.State != store.StateNew || got.Attempts != 0 {
		t.Errorf("submission = %s attempts %d; want new with the attempt not counted", got.State, got.Attempts)
	}
}

func TestProcessDuplicateCanonical(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	first := h.submit(h.Site.Add("/posts/generics", "Go generics in practice"))
	second := h.submit(h.Site.Set("/posts/generics/", testsite.Page{Title: "Go generics in practice", Canonical: "/posts/generics"}))
	for _, id := range []int64{second.ID, first.ID} { // the later one is fetched first
		claimed, _, err := h.Store.Claim(ctx, id, h.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		h.proc.Process(ctx, claimed)
	}
	if got := h.state(first.ID); got.State != store.StateSummarized {
		t.Errorf("first = %s, want summarized", got.State)
	}
	if got := h.state(second.ID); got.State != store.StateDuplicate || got.DuplicateOf != first.ID {
		t.Errorf("second = %s duplicate of %d, want duplicate of %d", got.State, got.DuplicateOf, first.ID)
	}
}

// A page cannot take over another page's link with its canonical address:
// a later submission of the page it names is fetched and summarised as
// itself, and each keeps its own link.
func TestProcessCanonicalCannotTakeOverAnotherPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	aURL := h.Site.Set("/a.html", testsite.Page{Title: "Escape analysis in Go", Canonical: "/b.html"})
	bURL := h.Site.Add("/b.html", "Profile-guided optimisation")
	a := h.submit(aURL)
	claimed, _, err := h.Store.Claim(ctx, a.ID, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.proc.Process(ctx, claimed)
	b := h.submit(bURL)
	if b.ID == a.ID || b.State != store.StateNew {
		t.Fatalf("submitting b.html after a.html: %+v, want a new submission of its own", b)
	}
	claimed, _, err = h.Store.Claim(ctx, b.ID, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.proc.Process(ctx, claimed)
	for _, tt := range []struct {
		id   int64
		want string
	}{{a.ID, aURL}, {b.ID, bURL}} {
		got := h.state(tt.id)
		if got.State != store.StateSummarized || got.CanonicalURL != tt.want {
			t.Errorf("submission %d = %s at %s, want summarized at %s", tt.id, got.State, got.CanonicalURL, tt.want)
		}
	}
	if n := h.Site.Hits("/b.html"); n != 1 {
		t.Errorf("b.html fetched %d times, want 1", n)
	}
}

func TestBackoff(t *testing.T) {
	p := NewProcessor(Env{}, config.Worker{RetryBackoff: time.Minute})
	p.backoff.Jitter = func(int64) int64 { return 0 } // the top of each jittered range
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {5, 16 * time.Minute}, {9, 16 * time.Minute},
	}
	for _, tt := range tests {
		if got := p.backoff.Delay(tt.attempt, 0); got != tt.want {
			t.Errorf("backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}
