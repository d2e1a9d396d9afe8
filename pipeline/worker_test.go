package pipeline

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/internal/testsite"
	"github.com/godevcommunity/newsletter/store"
)

// startWorker runs a worker until the test ends or stop is called.
func startWorker(t *testing.T, h *harness) (w *Worker, stop func()) {
	t.Helper()
	w = NewWorker(h.proc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	}
	t.Cleanup(stop)
	return w, stop
}

func TestWorkerProcessesSubmissions(t *testing.T) {
	h := newHarness(t)
	w, stop := startWorker(t, h)
	var ids []int64
	for _, p := range []struct{ path, title string }{
		{"/a", "Go generics in practice"}, {"/b", "SQLite in WAL mode"}, {"/c", "Structured logging with zap"},
	} {
		ids = append(ids, h.submit(h.Site.Add(p.path, p.title)).ID)
		w.Notify()
	}
	for _, id := range ids {
		eventually(t, "a summarised submission", func() bool { return h.state(id).State == store.StateSummarized })
	}
	stop()
}

func TestWorkerRetriesWhenDue(t *testing.T) {
	h := newHarness(t)
	w, _ := startWorker(t, h)
	sub := h.submit(h.Site.Set("/flaky", testsite.Page{Status: http.StatusServiceUnavailable}))
	w.Notify()
	eventually(t, "a scheduled retry", func() bool { return h.state(sub.ID).Attempts == 1 && h.state(sub.ID).State == store.StateNew })
	h.Site.Add("/flaky", "Flaky page")
	h.Clock.Advance(h.Config.Worker.RetryBackoff)
	w.Notify()
	eventually(t, "the retry", func() bool { return h.state(sub.ID).State == store.StateSummarized })
	if got := h.state(sub.ID).Attempts; got != 2 {
		t.Errorf("attempts = %d, want 2", got)
	}
}

func TestWorkerShutdownCheckpoints(t *testing.T) {
	h := newHarness(t)
	p := testsite.Page{Title: "Slow page", Block: make(chan struct{}), Entered: make(chan struct{})}
	sub := h.submit(h.Site.Set("/slow", p))
	w, stop := startWorker(t, h)
	w.Notify()
	select {
	case <-p.Entered:
	case <-time.After(30 * time.Second):
		t.Fatal("the worker never fetched the page")
	}
	stop()
	if got := h.state(sub.ID); got.State != store.StateNew || got.Attempts != 0 {
		t.Errorf("after shutdown: %s, attempts %d; want new with the attempt not counted", got.State, got.Attempts)
	}
}
