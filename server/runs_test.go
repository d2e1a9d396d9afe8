package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/store"
)

// fakeRunner records a run and leaves it running, or reports one running.
type fakeRunner struct {
	st   *store.Store
	busy int64
}

type busyError struct{ id int64 }

func (e busyError) Error() string    { return fmt.Sprintf("run %d is already in progress", e.id) }
func (e busyError) RunningID() int64 { return e.id }

func (f *fakeRunner) StartRun(ctx context.Context) (int64, error) {
	if f.busy != 0 {
		return 0, busyError{f.busy}
	}
	r, err := f.st.StartRun(ctx, store.RunManual, time.Now())
	return r.ID, err
}

func TestRunsAPI(t *testing.T) {
	runner := &fakeRunner{}
	ts := newTestServer(t, func(o *Options) { o.Runner = runner })
	runner.st = ts.store
	code, body, h := ts.do(t, "POST", "/api/v1/runs", "")
	if code != http.StatusAccepted {
		t.Fatalf("POST /runs = %d %s", code, body)
	}
	run := decode[api.Run](t, body)
	if run.ID != 1 || run.State != "running" || run.Kind != "manual" || h.Get("Location") != "/api/v1/runs/1" {
		t.Errorf("started run = %+v, Location %q", run, h.Get("Location"))
	}

	runner.busy = 1
	code, body, _ = ts.do(t, "POST", "/api/v1/runs", "")
	if e := decode[api.ErrorBody](t, body); code != http.StatusConflict || e.RunID != 1 || !strings.Contains(e.Error, "in progress") {
		t.Errorf("POST /runs while busy = %d %s", code, body)
	}

	report := `{"articles":2}`
	if err := ts.store.FinishRun(context.Background(), 1, store.RunSucceeded, 0, []byte(report), ""); err != nil {
		t.Fatal(err)
	}
	code, body, _ = ts.do(t, "GET", "/api/v1/runs/1", "")
	run = decode[api.Run](t, body)
	var compact bytes.Buffer
	json.Compact(&compact, run.Report)
	if code != 200 || run.State != "succeeded" || run.FinishedAt == nil || compact.String() != report {
		t.Errorf("GET /runs/1 = %d %+v", code, run)
	}
	if code, _, _ := ts.do(t, "GET", "/api/v1/runs/7", ""); code != http.StatusNotFound {
		t.Errorf("GET /runs/7 = %d, want 404", code)
	}
}

func TestRunsWithoutRunner(t *testing.T) {
	ts := newTestServer(t, nil)
	if code, _, _ := ts.do(t, "POST", "/api/v1/runs", ""); code != http.StatusServiceUnavailable {
		t.Errorf("POST /runs without a runner = %d, want 503", code)
	}
}

func TestLatestIssue(t *testing.T) {
	ts := newTestServer(t, nil)
	if code, body, _ := ts.do(t, "GET", "/api/v1/issues/latest", ""); code != http.StatusNotFound {
		t.Fatalf("latest before any issue = %d %s", code, body)
	}
	st := ts.store
	for i, week := range []string{"2024-W35", "2024-W36"} {
		publishIssue(t, st, week, time.Date(2024, 8, 26+7*i, 6, 0, 0, 0, time.UTC), "# "+week+"\n")
	}
	code, body, h := ts.do(t, "GET", "/api/v1/issues/latest", "")
	if code != 200 || body != "# 2024-W36\n" || !strings.HasPrefix(h.Get("Content-Type"), "text/markdown") {
		t.Errorf("latest = %d %q (%s)", code, body, h.Get("Content-Type"))
	}
	if h.Get("X-Issue-Slug") != "2024-W36" || h.Get("ETag") == "" {
		t.Errorf("latest headers = %v", h)
	}
	code, _, _ = ts.do(t, "GET", "/api/v1/issues/latest", "", "If-None-Match", h.Get("ETag"))
	if code != http.StatusNotModified {
		t.Errorf("conditional latest = %d, want 304", code)
	}
}
