package pipeline

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// TestReviewModePublishesAfterPublishAfter: in review mode the scheduled
// run freezes the week's issue for editors; nobody approving, it publishes
// on its own schedule.publish_after later, and not before.
func TestReviewModePublishesAfterPublishAfter(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Schedule.Mode = config.ModeReview
		c.Schedule.PublishAfter = 24 * time.Hour
	})
	h.submit(h.site.Add("/a", "Go generics in practice"))
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

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.runner.AutoPublish(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil { // AutoPublish waits for publish_at
		t.Fatal(err)
	}
	h.clock.Advance(24*time.Hour - time.Second)
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil { // and waits again, the second left
		t.Fatal(err)
	}
	if files := h.files(); len(files) != 0 {
		t.Fatalf("published before publish_after: %v", files)
	}
	if is, _ := h.store.Issue(context.Background(), rep.Issue.ID); is.State != store.IssueReview {
		t.Fatalf("issue is %s a second before publish_after, want review", is.State)
	}
	h.clock.Advance(time.Second)
	eventually(t, "the issue to publish on its own", func() bool {
		is, _ := h.store.Issue(context.Background(), rep.Issue.ID)
		return is.State == store.IssuePublished
	})
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
	h.submit(h.site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(context.Background(), store.RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issue == nil || !rep.Issue.PublishAt.IsZero() {
		t.Fatalf("report issue = %+v, want in review with no publish time", rep.Issue)
	}
	if _, ok, _ := h.store.NextPublishAt(context.Background()); ok {
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
