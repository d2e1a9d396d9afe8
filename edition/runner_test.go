package edition

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/testsite"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

func TestRunPublishesIssue(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a := h.submit(h.Site.Add("/a", "Go generics in practice"))
	missing := h.submit(h.Site.URL + "/missing")
	b := h.submit(h.Site.Add("/b", "SQLite in WAL mode"))
	dup := h.submit(h.Site.Set("/b/", testsite.Page{Title: "SQLite in WAL mode", Canonical: "/b"}))
	c := h.submit(h.Site.Add("/c", "Structured logging with zap"))

	rep, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	files := h.files()
	if len(files) != 1 || files[0] != "2024-09-02-gdc-weekly-newsletter-september-2nd.md" {
		t.Fatalf("issue files = %v", files)
	}
	md := h.read(files[0])
	want := []string{"Go generics in practice 소개", "SQLite in WAL mode 소개", "Structured logging with zap 소개"}
	if got := headings(md); !slices.Equal(got, want) {
		t.Errorf("issue headings = %q, want %q (submission order, each once)", got, want)
	}
	if strings.Contains(md, "/missing") || strings.Contains(md, "/b/)") {
		t.Error("the issue links a failed or duplicate submission")
	}
	if !strings.Contains(md, "이 글은 "+h.Summarizer.Model()+" 모델을 이용하여") {
		t.Error("the disclaimer does not name the configured model")
	}

	if rep.State != "succeeded" || rep.Issue == nil || rep.Issue.Week != "2024-W36" || rep.Issue.Updated {
		t.Fatalf("report = %+v", rep)
	}
	var ids []int64
	for _, x := range rep.Articles {
		ids = append(ids, x.SubmissionID)
	}
	if !slices.Equal(ids, []int64{a.ID, b.ID, c.ID}) {
		t.Errorf("report articles = %v", ids)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].SubmissionID != missing.ID || !strings.Contains(rep.Failed[0].Error, "404") {
		t.Errorf("report failed = %+v, want the 404", rep.Failed)
	}
	if len(rep.Duplicates) != 1 || rep.Duplicates[0].SubmissionID != dup.ID || rep.Duplicates[0].DuplicateOf != b.ID {
		t.Errorf("report duplicates = %+v", rep.Duplicates)
	}
	if rep.Usage.Articles != 5 || rep.Usage.Requests != 3 || rep.Usage.PromptTokens == 0 || rep.Usage.CostUSD <= 0 {
		t.Errorf("report usage = %+v, want 5 articles processed with 3 Gemini requests", rep.Usage)
	}
	for _, id := range []int64{a.ID, b.ID, c.ID} {
		if got := h.state(id); got.State != store.StatePublished || got.IssueID != rep.Issue.ID {
			t.Errorf("submission %d = %s in issue %d", id, got.State, got.IssueID)
		}
	}
	run, err := h.Store.Run(ctx, rep.RunID)
	if err != nil || run.State != store.RunSucceeded || run.IssueID != rep.Issue.ID || !strings.Contains(string(run.Report), `"failed"`) {
		t.Errorf("stored run = %+v, %v", run, err)
	}
	latest, err := h.Store.LatestIssue(ctx)
	if err != nil || string(latest.Content) != md {
		t.Errorf("stored issue content differs from the file (%v)", err)
	}
}

func TestRunEmptyWeek(t *testing.T) {
	h := newHarness(t)
	h.submit(h.Site.URL + "/missing")
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issue != nil || rep.Note == "" || rep.State != "succeeded" || len(rep.Failed) != 1 {
		t.Errorf("report = %+v, want success, no issue, a note and the failure", rep)
	}
	if files := h.files(); len(files) != 0 {
		t.Errorf("files = %v, want none", files)
	}
}

func TestRerunUpdatesSameIssue(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	first, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Later the same week: another link and a manual run.
	h.Clock.Advance(26 * time.Hour)
	h.submit(h.Site.Add("/b", "SQLite in WAL mode"))
	second, err := h.runner.Run(ctx, store.RunManual, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if second.Issue == nil || second.Issue.ID != first.Issue.ID || !second.Issue.Updated || second.Issue.Slug != first.Issue.Slug {
		t.Fatalf("re-run issue = %+v, want issue %d updated", second.Issue, first.Issue.ID)
	}
	files := h.files()
	if len(files) != 1 {
		t.Fatalf("files = %v, want the one issue rewritten", files)
	}
	if got := headings(h.read(files[0])); len(got) != 2 {
		t.Errorf("rewritten issue headings = %q, want both articles", got)
	}
	if len(second.Articles) != 2 {
		t.Errorf("re-run report articles = %+v", second.Articles)
	}

	// The next week gets an issue of its own.
	h.Clock.Advance(6 * 24 * time.Hour)
	h.submit(h.Site.Add("/c", "Structured logging with zap"))
	third, err := h.runner.Run(ctx, store.RunScheduled, t0.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if third.Issue == nil || third.Issue.ID == first.Issue.ID || third.Issue.Week != "2024-W37" || len(third.Articles) != 1 {
		t.Fatalf("next week's report = %+v", third)
	}
	if files := h.files(); len(files) != 2 {
		t.Errorf("files = %v, want two issues", files)
	}
}

// crashingPublisher fails at a chosen point of publishing by cancelling the
// run's context, as a process killed there would stop.
type crashingPublisher struct {
	next   publisher.Publisher
	cancel context.CancelFunc
	// afterWrite crashes after the file is written instead of before.
	afterWrite bool
}

func (p *crashingPublisher) Publish(ctx context.Context, issue *publisher.Issue, content []byte) (publisher.Location, error) {
	if p.afterWrite {
		loc, err := p.next.Publish(ctx, issue, content)
		if err != nil {
			return loc, err
		}
	}
	p.cancel()
	return publisher.Location{}, context.Canceled
}

func TestRunInterruptedAndRestarted(t *testing.T) {
	tests := []struct {
		name string
		// crash prepares the harness so that a run with ctx stops part way.
		crash func(h *harness, cancel context.CancelFunc)
		// processed, returned and pending are what the interrupted run
		// reports: articles finished, cut short, left for the next run.
		processed, returned, pending int
	}{
		{"while fetching", func(h *harness, cancel context.CancelFunc) {
			p := testsite.Page{Title: "Slow page", Block: make(chan struct{}), Entered: make(chan struct{})}
			h.Site.Set("/slow", p)
			go func() {
				<-p.Entered
				cancel()
			}()
		}, 1, 1, 3},
		{"before the file is written", func(h *harness, cancel context.CancelFunc) {
			h.env.Publisher = &crashingPublisher{next: h.env.Publisher, cancel: cancel}
			h.rebuild()
		}, 4, 0, 0},
		{"after the file is written", func(h *harness, cancel context.CancelFunc) {
			h.env.Publisher = &crashingPublisher{next: h.env.Publisher, cancel: cancel, afterWrite: true}
			h.rebuild()
		}, 4, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One article at a time: the stop finds no other article in
			// Gemini's hands, whose request would count twice.
			h := newHarness(t, func(c *config.Config) { c.Worker.Concurrency = 1 })
			h.submit(h.Site.Add("/a", "Go generics in practice"))
			h.submit(h.Site.Add("/slow", "Slow page"))
			h.submit(h.Site.Add("/c", "Structured logging with zap"))
			h.submit(h.Site.URL + "/missing")
			pub := h.env.Publisher

			var mu sync.Mutex
			lastDone := 0
			h.penv.Progress = func(p pipeline.Progress) { mu.Lock(); lastDone = p.Done; mu.Unlock() }
			h.rebuild()

			ctx, cancel := context.WithCancel(context.Background())
			tt.crash(h, cancel)
			rep, err := h.runner.Run(ctx, store.RunScheduled, t0)
			if err == nil || rep.State != "interrupted" || !strings.Contains(rep.Error, "interrupted") {
				t.Fatalf("interrupted run: err %v, report %+v", err, rep)
			}
			// Only what was finished counts as processed, in the report
			// and the progress line; what the stop cut short waits.
			if rep.Usage.Articles != tt.processed || rep.Returned != tt.returned || len(rep.Pending) != tt.pending {
				t.Errorf("interrupted report: %d processed, %d returned, %d pending; want %d, %d, %d",
					rep.Usage.Articles, rep.Returned, len(rep.Pending), tt.processed, tt.returned, tt.pending)
			}
			mu.Lock()
			if lastDone != tt.processed {
				t.Errorf("progress ended at %d done, want %d", lastDone, tt.processed)
			}
			mu.Unlock()
			var text strings.Builder
			if err := rep.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				fmt.Sprintf("interrupted by a stop: nothing published; %s back in the queue", plural(tt.pending, "article")),
				fmt.Sprintf("gemini: %s processed", plural(tt.processed, "article")),
			} {
				if !strings.Contains(text.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, text.String())
				}
			}
			h.Site.Set("/slow", testsite.Page{Title: "Slow page"})

			// The process restarts: recovery, then the next run.
			if _, _, err := h.Store.RecoverProcessing(context.Background()); err != nil {
				t.Fatal(err)
			}
			h.env.Publisher = pub
			h.rebuild()
			h.Clock.Advance(time.Hour)
			rep, err = h.runner.Run(context.Background(), store.RunManual, h.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			files := h.files()
			if len(files) != 1 || files[0] != "2024-09-02-gdc-weekly-newsletter-september-2nd.md" {
				t.Fatalf("files = %v, want exactly the one issue", files)
			}
			want := []string{"Go generics in practice 소개", "Slow page 소개", "Structured logging with zap 소개"}
			if got := headings(h.read(files[0])); !slices.Equal(got, want) {
				t.Errorf("headings = %q, want every good article once: %q", got, want)
			}
			if len(rep.Failed) != 1 || rep.Issue == nil {
				t.Errorf("restarted run report = %+v", rep)
			}
			if n := len(h.Gemini.GenerateRequests()); n != 3 {
				t.Errorf("Gemini asked %d times, want 3: nothing summarised twice", n)
			}
		})
	}
}

func TestRunDeadlineLeavesSlowArticlePending(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Schedule.RunDeadline = 100 * time.Millisecond })
	// The worker summarised this one before the run: however slow the
	// machine, only the slow page is left for the deadline to cut short.
	a := h.submit(h.Site.Add("/a", "Go generics in practice"))
	claimed, _, err := h.Store.Claim(context.Background(), a.ID, h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if out := h.proc.Process(context.Background(), claimed); out.State != store.StateSummarized {
		t.Fatalf("processing %s: %+v", claimed.URL, out)
	}
	slow := h.submit(h.Site.Set("/slow", testsite.Page{Title: "Slow page", Block: make(chan struct{})}))
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Articles) != 1 || len(rep.Pending) != 1 || rep.Pending[0].SubmissionID != slow.ID {
		t.Errorf("report = articles %+v, pending %+v; want the slow one pending", rep.Articles, rep.Pending)
	}
	if got := h.state(slow.ID); got.State != store.StateNew || got.Attempts != 0 {
		t.Errorf("slow submission = %s attempts %d, want new for the next run", got.State, got.Attempts)
	}
}

// tickingPublisher advances the fake clock while publishing, so that a run
// finishes later than it started.
type tickingPublisher struct {
	next  publisher.Publisher
	clock interface{ Advance(time.Duration) }
}

func (p tickingPublisher) Publish(ctx context.Context, issue *publisher.Issue, content []byte) (publisher.Location, error) {
	p.clock.Advance(time.Minute)
	return p.next.Publish(ctx, issue, content)
}

func TestManualAndScheduledRunsNeverOverlap(t *testing.T) {
	h := newHarness(t)
	h.env.Publisher = tickingPublisher{next: h.env.Publisher, clock: h.Clock}
	h.rebuild()
	entered := make(chan struct{})
	release := make(chan struct{})
	h.Site.Set("/slow", testsite.Page{Title: "Slow page", Block: release, Entered: entered})
	h.submit(h.Site.URL + "/slow")

	id, err := h.runner.StartRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	<-entered // the manual run is fetching
	_, err = h.runner.StartRun(context.Background())
	var busy *BusyError
	if !errors.As(err, &busy) || busy.RunningID() != id {
		t.Fatalf("second StartRun error = %v, want BusyError naming run %d", err, id)
	}
	done := make(chan *Report)
	go func() {
		rep, _ := h.runner.Run(context.Background(), store.RunScheduled, t0)
		done <- rep
	}()
	close(release)
	rep := <-done
	first, err := h.Store.Run(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if first.State != store.RunSucceeded || first.FinishedAt.IsZero() {
		t.Fatalf("manual run = %+v", first)
	}
	// The scheduled run started only after the manual one finished.
	started, _ := h.Store.Run(context.Background(), rep.RunID)
	if !first.FinishedAt.After(first.StartedAt) || started.StartedAt.Before(first.FinishedAt) {
		t.Errorf("scheduled run started at %v, before the manual run finished at %v", started.StartedAt, first.FinishedAt)
	}
	if rep.Issue == nil || !rep.Issue.Updated {
		t.Errorf("scheduled run = %+v, want it to update the manual run's issue", rep.Issue)
	}
}

func TestCloseInterruptsBackgroundRun(t *testing.T) {
	h := newHarness(t)
	p := testsite.Page{Title: "Slow page", Block: make(chan struct{}), Entered: make(chan struct{})}
	sub := h.submit(h.Site.Set("/slow", p))
	id, err := h.runner.StartRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	<-p.Entered
	h.runner.Close()
	run, _ := h.Store.Run(context.Background(), id)
	if run.State != store.RunInterrupted || !strings.Contains(run.Error, "interrupted") {
		t.Errorf("run after Close = %s %q, want interrupted", run.State, run.Error)
	}
	if got := h.state(sub.ID); got.State != store.StateNew {
		t.Errorf("submission after Close = %s, want new", got.State)
	}
	if _, err := h.runner.StartRun(context.Background()); err == nil {
		t.Error("StartRun after Close succeeded")
	}
}

func TestCloseEndsRunAndWaits(t *testing.T) {
	h := newHarness(t)
	p := testsite.Page{Title: "Slow page", Block: make(chan struct{}), Entered: make(chan struct{})}
	sub := h.submit(h.Site.Set("/slow", p))
	type result struct {
		rep *Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
		done <- result{rep, err}
	}()
	<-p.Entered
	h.runner.Close()
	// Close returned: the run has recorded its end and released its work.
	if got := h.state(sub.ID); got.State != store.StateNew || got.Attempts != 0 {
		t.Errorf("submission after Close = %s attempts %d, want new with the attempt not counted", got.State, got.Attempts)
	}
	res := <-done
	if res.err == nil || res.rep == nil || !strings.Contains(res.rep.Error, "interrupted") {
		t.Fatalf("Run ended by Close = %+v, %v; want an interrupted run", res.rep, res.err)
	}
	run, err := h.Store.Run(context.Background(), res.rep.RunID)
	if err != nil || run.State != store.RunInterrupted {
		t.Errorf("stored run after Close = %s %q, %v; want interrupted", run.State, run.Error, err)
	}
	if _, err := h.runner.Run(context.Background(), store.RunManual, t0); !errors.Is(err, errClosed) {
		t.Errorf("Run after Close error = %v, want errClosed", err)
	}
}

func TestWeekKey(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 9, 2, 6, 0, 0, 0, seoul), "2024-W36"},
		{time.Date(2024, 12, 30, 6, 0, 0, 0, seoul), "2025-W01"},
		{time.Date(2021, 1, 3, 6, 0, 0, 0, seoul), "2020-W53"},
	}
	for _, tt := range tests {
		if got := weekKey(tt.t); got != tt.want {
			t.Errorf("weekKey(%v) = %s, want %s", tt.t, got, tt.want)
		}
	}
}

// TestBusyErrorWords: a busy run is named; a publication has no run.
func TestBusyErrorWords(t *testing.T) {
	for _, tt := range []struct {
		id   int64
		want string
	}{
		{7, "run 7 is already in progress"},
		{0, "a publication is in progress"},
	} {
		if got := (&BusyError{ID: tt.id}).Error(); got != tt.want {
			t.Errorf("BusyError{%d} = %q, want %q", tt.id, got, tt.want)
		}
	}
}
