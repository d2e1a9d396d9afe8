package edition

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// t0 is Monday 2 September 2024, 06:00 in Seoul: a scheduled slot.
var t0 = time.Date(2024, 9, 2, 6, 0, 0, 0, seoul)

var seoul = testenv.Seoul

// harness is a runner and its pipeline wired to loopback fakes: the
// article site, the fake Gemini and a temporary database and issue
// directory.
type harness struct {
	*testenv.Env
	t      testing.TB
	dir    string       // the issues'
	penv   pipeline.Env // the articles'
	env    Env          // the issue's
	proc   *pipeline.Processor
	runner *Runner
}

// harnessOption adjusts the configuration after testenv.WorkerByHand.
type harnessOption = func(*config.Config)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	b := testenv.New(t, testenv.Options{Start: t0, Site: true, Gemini: true, Log: true,
		Change: append([]harnessOption{testenv.WorkerByHand}, opts...)})
	h := &harness{Env: b, t: t, dir: b.Config.Publisher.Dir}
	h.penv = pipeline.Env{Store: b.Store, Fetcher: b.Fetcher, Summarizer: b.Summarizer, Log: b.Log, Clock: b.Clock}
	h.env = Env{Store: b.Store, Publisher: publisher.NewFilePublisher(h.dir), Log: b.Log, Clock: b.Clock}
	h.rebuild()
	return h
}

// rebuild makes a new Processor and Runner on the same database, as a
// restarted process would.
func (h *harness) rebuild() {
	h.t.Helper()
	h.proc = pipeline.NewProcessor(h.penv, h.Config.Worker)
	r, err := NewRunner(h.env, h.proc, h.Config.Schedule, h.Config.Publisher)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(r.Close)
	h.runner = r
}

// submit records a submission of raw, normalised as the API does.
func (h *harness) submit(raw string) store.Submission { h.t.Helper(); return h.Submit(raw) }

// state returns the state of a submission.
func (h *harness) state(id int64) store.Submission { h.t.Helper(); return h.Submission(id) }

// files lists the issue files written.
func (h *harness) files() []string {
	h.t.Helper()
	entries, err := os.ReadDir(h.dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func (h *harness) read(name string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

// headings returns the "## " article headings of an issue.
func headings(md string) []string {
	var hs []string
	for line := range strings.SplitSeq(md, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok && h != "주의" {
			hs = append(hs, h)
		}
	}
	return hs
}

// process claims sub (due now) and processes it, as the worker would.
func (h *harness) process(id int64) pipeline.Outcome {
	h.t.Helper()
	claimed, ok, err := h.Store.Claim(context.Background(), id, h.Clock.Now())
	if err != nil || !ok {
		h.t.Fatalf("claim %d: %v %v", id, ok, err)
	}
	return h.proc.Process(context.Background(), claimed)
}

// startWorker runs a worker beside the runner, as serve does, until the
// test ends.
func startWorker(t *testing.T, h *harness) *pipeline.Worker {
	t.Helper()
	w := pipeline.NewWorker(h.proc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
	return w
}
