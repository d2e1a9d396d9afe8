package edition

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// autoPublish runs the runner's AutoPublish until the test ends; its
// context is the one AutoPublish runs in.
func (h *harness) autoPublish() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.runner.AutoPublish(ctx) }()
	h.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			h.t.Error(err)
		}
	})
	return ctx
}

// TestReviewModePublishesAfterPublishAfter: in review mode the scheduled
// run freezes the week's issue for editors; nobody approving, it publishes
// on its own schedule.publish_after later, and not before.
func TestReviewModePublishesAfterPublishAfter(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Schedule.Mode = config.ModeReview
		c.Schedule.PublishAfter = 24 * time.Hour
	})
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issue == nil || rep.Issue.State != "review" || !rep.Issue.PublishAt.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("report issue = %+v, want in review, publishing at %v", rep.Issue, t0.Add(24*time.Hour))
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "issue ready for review") {
		t.Errorf("report:\n%s", text.String())
	}
	if files := h.files(); len(files) != 0 {
		t.Fatalf("files before any approval: %v", files)
	}

	ctx := h.autoPublish()
	if err := h.Clock.BlockUntilContext(ctx, 1); err != nil { // AutoPublish waits for publish_at
		t.Fatal(err)
	}
	h.Clock.Advance(24*time.Hour - time.Second)
	if err := h.Clock.BlockUntilContext(ctx, 1); err != nil { // and waits again, the second left
		t.Fatal(err)
	}
	if files := h.files(); len(files) != 0 {
		t.Fatalf("published before publish_after: %v", files)
	}
	if is, _ := h.Store.Issue(context.Background(), rep.Issue.ID); is.State != store.IssueReview {
		t.Fatalf("issue is %s a second before publish_after, want review", is.State)
	}
	h.Clock.Advance(time.Second)
	if err := h.Clock.BlockUntilContext(ctx, 1); err != nil { // it published, and waits again
		t.Fatal(err)
	}
	if is, _ := h.Store.Issue(context.Background(), rep.Issue.ID); is.State != store.IssuePublished {
		t.Fatalf("issue is %s after publish_after, want published", is.State)
	}
	if files := h.files(); len(files) != 1 {
		t.Errorf("files after publish_after: %v, want the issue", files)
	}
}

// TestReviewModeWithoutPublishAfterWaits: publish_after 0 never publishes
// on its own.
func TestReviewModeWithoutPublishAfterWaits(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Schedule.Mode = config.ModeReview
		c.Schedule.PublishAfter = 0
	})
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issue == nil || !rep.Issue.PublishAt.IsZero() {
		t.Fatalf("report issue = %+v, want in review with no publish time", rep.Issue)
	}
	if _, ok, _ := h.Store.NextPublishAt(context.Background()); ok {
		t.Error("an issue with publish_after 0 has a time to publish on its own")
	}
	is, err := h.runner.Approve(context.Background(), "kim")
	if err != nil || is.State != store.IssuePublished || is.ApprovedBy != "kim" {
		t.Fatalf("Approve = %+v, %v", is, err)
	}
	if _, err := h.runner.Approve(context.Background(), "kim"); err == nil {
		t.Error("approving again published something")
	}
}

// flakyPublisher fails its first fails publications.
type flakyPublisher struct {
	publisher.Publisher
	fails atomic.Int32
}

func (p *flakyPublisher) Publish(ctx context.Context, is *publisher.Issue, content []byte) (publisher.Location, error) {
	if p.fails.Add(-1) >= 0 {
		return publisher.Location{}, errors.New("disk full")
	}
	return p.Publisher.Publish(ctx, is, content)
}

// TestAutoPublishRetriesAfterAFailure: an issue whose file could not be
// written is written a minute later, not in a loop, and not twice.
func TestAutoPublishRetriesAfterAFailure(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Schedule.Mode = config.ModeReview
		c.Schedule.PublishAfter = time.Hour
	})
	flaky := &flakyPublisher{Publisher: h.env.Publisher}
	flaky.fails.Store(1)
	h.env.Publisher = flaky
	h.rebuild()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := h.autoPublish()
	if err := h.Clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(time.Hour)                                // due: the write fails
	if err := h.Clock.BlockUntilContext(ctx, 1); err != nil { // the wait after the failure
		t.Fatal(err)
	}
	if is, _ := h.Store.Issue(context.Background(), rep.Issue.ID); is.State != store.IssuePublishing {
		t.Fatalf("after the failed write the issue is %s, want publishing", is.State)
	}
	h.Clock.Advance(autoPublishBackoff.Base)
	if err := h.Clock.BlockUntilContext(ctx, 1); err != nil { // the next attempt, and the wait after it
		t.Fatal(err)
	}
	if is, _ := h.Store.Issue(context.Background(), rep.Issue.ID); is.State != store.IssuePublished {
		t.Fatalf("after the next attempt the issue is %s, want published", is.State)
	}
	if files := h.files(); len(files) != 1 {
		t.Errorf("files = %v, want the issue once", files)
	}
}

// TestNextWeekWithAnIssueInReview: the next week's run first publishes an
// issue whose publish_after has come; one that may wait for ever keeps
// the new articles in the draft instead of freezing a second issue.
func TestNextWeekWithAnIssueInReview(t *testing.T) {
	for _, tt := range []struct {
		name         string
		publishAfter time.Duration
		wantIssues   int
		firstState   store.IssueState
	}{
		{"due", 24 * time.Hour, 2, store.IssuePublished},
		{"never due", 0, 1, store.IssueReview},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *config.Config) {
				c.Schedule.Mode = config.ModeReview
				c.Schedule.PublishAfter = tt.publishAfter
			})
			ctx := context.Background()
			h.submit(h.Site.Add("/a", "Go generics in practice"))
			first, err := h.runner.Run(ctx, store.RunScheduled, t0)
			if err != nil {
				t.Fatal(err)
			}
			h.Clock.Advance(7 * 24 * time.Hour)
			h.submit(h.Site.Add("/b", "Profiling Go services"))
			second, err := h.runner.Run(ctx, store.RunScheduled, t0.Add(7*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			issues, _ := h.Store.Issues(ctx)
			if len(issues) != tt.wantIssues {
				t.Fatalf("%d issues, want %d; report note %q", len(issues), tt.wantIssues, second.Note)
			}
			if is, _ := h.Store.Issue(ctx, first.Issue.ID); is.State != tt.firstState {
				t.Errorf("the first issue is %s, want %s", is.State, tt.firstState)
			}
			if tt.wantIssues == 1 {
				draft, _ := h.Store.DraftEntries(ctx)
				if len(draft) != 1 || !strings.Contains(second.Note, "still waits for review") {
					t.Errorf("draft has %d entries, note %q; want the new article in the draft and a note", len(draft), second.Note)
				}
			}
		})
	}
}

// TestApproveWhenTheWeekIsTaken: once this week's issue is out, approving
// the new draft says it goes out with next week's, and publishes nothing.
func TestApproveWhenTheWeekIsTaken(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Schedule.Mode = config.ModeReview })
	ctx := context.Background()
	h.process(h.submit(h.Site.Add("/a", "Go generics in practice")).ID)
	if _, err := h.runner.Approve(ctx, "kim"); err != nil {
		t.Fatal(err)
	}
	h.process(h.submit(h.Site.Add("/b", "Profiling Go services")).ID)
	_, err := h.runner.Approve(ctx, "kim")
	if !errors.Is(err, ErrWeekTaken) || !strings.Contains(err.Error(), "next week") {
		t.Fatalf("approving a second draft in the week: %v, want ErrWeekTaken", err)
	}
	if files := h.files(); len(files) != 1 {
		t.Errorf("files = %v, want the first issue only", files)
	}
}

// TestAutoModePublishesAnIssueLeftInReview: an issue frozen in review mode
// that nobody approved is published by the first run after the switch to
// auto mode, before the new week's issue.
func TestAutoModePublishesAnIssueLeftInReview(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Schedule.Mode = config.ModeReview
		c.Schedule.PublishAfter = 0
	})
	ctx := context.Background()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	first, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	h.Config.Schedule.Mode = config.ModeAuto
	h.rebuild()
	h.Clock.Advance(7 * 24 * time.Hour)
	h.submit(h.Site.Add("/b", "Profiling Go services"))
	second, err := h.runner.Run(ctx, store.RunScheduled, t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if is, _ := h.Store.Issue(ctx, first.Issue.ID); is.State != store.IssuePublished {
		t.Errorf("the issue left in review is %s, want published", is.State)
	}
	if second.Issue == nil || second.Issue.ID == first.Issue.ID || second.Issue.State != string(store.IssuePublished) {
		t.Errorf("second run's issue = %+v, want a new published issue", second.Issue)
	}
	if files := h.files(); len(files) != 2 {
		t.Errorf("files = %v, want both issues", files)
	}
}

// TestApproveAfterAFailedWrite: an approval whose file could not be
// written (a full disk) leaves the issue publishing; approving again once
// there is room finishes that issue and answers it, neither "nothing to
// publish" nor a second issue.
func TestApproveAfterAFailedWrite(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Schedule.Mode = config.ModeReview })
	flaky := &flakyPublisher{Publisher: h.env.Publisher}
	flaky.fails.Store(1)
	h.env.Publisher = flaky
	h.rebuild()
	ctx := context.Background()
	h.process(h.submit(h.Site.Add("/a", "Go generics in practice")).ID)
	if _, err := h.runner.Approve(ctx, "kim"); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("approving onto a full disk: %v, want its error", err)
	}
	is, err := h.runner.Approve(ctx, "lee")
	if err != nil {
		t.Fatalf("approving again once there is room: %v, want the issue published", err)
	}
	if is.State != store.IssuePublished || is.ApprovedBy != "kim" || is.ID != 1 {
		t.Errorf("Approve = issue %d %s approved by %q, want issue 1 published as kim approved it", is.ID, is.State, is.ApprovedBy)
	}
	if files := h.files(); len(files) != 1 {
		t.Errorf("files = %v, want the one issue", files)
	}
}
