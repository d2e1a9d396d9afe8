package pipeline

import (
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/store"
)

// t0 is Monday 2 September 2024, 06:00 in Seoul: a scheduled slot.
var t0 = time.Date(2024, 9, 2, 6, 0, 0, 0, seoul)

var seoul = testenv.Seoul

// harness is a pipeline wired to loopback fakes: the article site, the fake
// Gemini and a temporary database and issue directory.
type harness struct {
	*testenv.Env
	t    testing.TB
	env  Env
	proc *Processor
}

// harnessOption adjusts the configuration after testenv.WorkerByHand.
type harnessOption = func(*config.Config)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	b := testenv.New(t, testenv.Options{Start: t0, Site: true, Gemini: true, Log: true,
		Change: append([]harnessOption{testenv.WorkerByHand}, opts...)})
	h := &harness{Env: b, t: t}
	h.env = Env{Store: b.Store, Fetcher: b.Fetcher, Summarizer: b.Summarizer, Log: b.Log, Clock: b.Clock}
	h.rebuild()
	return h
}

// rebuild makes a new Processor on the same database, as a restarted
// process would.
func (h *harness) rebuild() {
	h.t.Helper()
	h.proc = NewProcessor(h.env, h.Config.Worker)
	h.proc.backoff.Jitter = func(int64) int64 { return 0 } // exact retry times
}

// submit records a submission of raw, normalised as the API does.
func (h *harness) submit(raw string) store.Submission { h.t.Helper(); return h.Submit(raw) }

// state returns the state of a submission.
func (h *harness) state(id int64) store.Submission { h.t.Helper(); return h.Submission(id) }

// eventually waits for cond, failing the test after a generous bound. It
// checks for completion of background work; it asserts nothing about speed.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
