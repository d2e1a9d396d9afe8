package edition

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/store"
)

// TestTransitionGuards: each transition refuses to start from a state it
// does not leave, with the error the callers tell apart.
func TestTransitionGuards(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Schedule.Mode = config.ModeReview })
	ctx, log := context.Background(), zap.NewNop()
	published := store.Issue{ID: 1, Week: "2024-W36", State: store.IssuePublished}
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"freeze an empty draft", func() error {
			_, err := h.runner.freeze(ctx, week{key: "2024-W36"}, true, log)
			return err
		}, ErrNothingToPublish},
		{"freeze into a week that has its issue", func() error {
			_, err := h.runner.freeze(ctx, week{key: "2024-W36", draft: 1, exists: true, issue: published}, true, log)
			return err
		}, ErrWeekTaken},
		{"adopt in review mode", func() error {
			return h.runner.adopt(ctx, week{key: "2024-W36", exists: true, issue: published}, log)
		}, store.ErrConflict},
		{"approve with nothing in review and an empty draft", func() error {
			_, err := h.runner.Approve(ctx, "kim")
			return err
		}, ErrNothingToPublish},
		{"publish an issue that does not exist", func() error {
			_, err := h.runner.Republish(ctx, 42, "kim", false)
			return err
		}, store.ErrNotFound},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if files := h.files(); len(files) != 0 {
		t.Errorf("refused transitions wrote %v", files)
	}
}

// TestRepublishAnnouncesOnlyWhenAsked: the first publication tells every
// chat; publishing it again after corrections tells none unless the
// editor asks, and then as a correction; no message names a file.
func TestRepublishAnnouncesOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	h.env.Chats = 2
	h.rebuild()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil || rep.Issue == nil || rep.Issue.State != string(store.IssuePublished) {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	id := rep.Issue.ID
	chats := func() []store.Delivery {
		ds, err := h.Store.Deliveries(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []store.Delivery
		for _, d := range ds {
			if strings.HasPrefix(d.Outlet, OutletChat) {
				out = append(out, d)
			}
		}
		return out
	}
	if n := len(chats()); n != 2 {
		t.Fatalf("the first publication queued %d chat messages, want 2", n)
	}
	if _, err := h.runner.Republish(ctx, id, "kim", false); err != nil {
		t.Fatal(err)
	}
	if n := len(chats()); n != 2 {
		t.Fatalf("a correction nobody announced queued %d chat messages in all, want the first 2", n)
	}
	if _, err := h.runner.Republish(ctx, id, "kim", true); err != nil {
		t.Fatal(err)
	}
	ds := chats()
	if len(ds) != 4 {
		t.Fatalf("an announced correction: %d chat messages in all, want 4", len(ds))
	}
	for _, d := range ds {
		ev, err := notify.Unmarshal(d.Kind, d.Payload)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := ev.(notify.Published)
		if !ok {
			t.Fatalf("chat message %T, want notify.Published", ev)
		}
		if want := d.ID > ds[1].ID; p.Corrected != want {
			t.Errorf("delivery %d: corrected = %v, want %v", d.ID, p.Corrected, want)
		}
		if strings.Contains(string(d.Payload), ".md") || strings.Contains(string(d.Payload), h.dir) {
			t.Errorf("a chat message names a file: %s", d.Payload)
		}
	}
}

// An article already published, submitted again under another address,
// is a duplicate of the published one, not summarised into the next
// issue; submitted again on purpose, it is summarised.
func TestPublishedArticleSubmittedAgain(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	first := h.submit(h.Site.Add("/a", "Go generics in practice"))
	if rep, err := h.runner.Run(ctx, store.RunScheduled, t0); err != nil || rep.Issue == nil {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	edited := "편집자가 발행 전에 고친 제목"
	if _, err := h.Store.Change(ctx, first.ID, store.Change{Fields: map[entry.Field]*string{entry.Title: &edited}}, "kim"); err != nil {
		t.Fatal(err)
	}
	again := h.submit(h.Site.Add("/a-copy", "Go generics in practice"))
	h.process(again.ID)
	if s := h.state(again.ID); s.State != store.StateDuplicate || s.DuplicateOf != first.ID {
		t.Errorf("the published article submitted again is %s (duplicate of %d), want a duplicate of %d", s.State, s.DuplicateOf, first.ID)
	}
	events, err := h.Store.Events(ctx, again.ID)
	if err != nil || len(events) == 0 || !strings.Contains(events[len(events)-1].Detail, "was published in issue 1") {
		t.Errorf("the duplicate does not say where it was published: %+v, %v", events, err)
	}
	onPurpose, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: h.Site.URL + "/a-copy2", Again: true})
	if err != nil {
		t.Fatal(err)
	}
	h.Site.Add("/a-copy2", "Go generics in practice")
	h.process(onPurpose.ID)
	if s := h.state(onPurpose.ID); s.State != store.StateSummarized {
		t.Errorf("the article submitted again on purpose is %s, want summarized", s.State)
	}
	// It goes out as the editors published it, not as the model wrote it.
	if e, err := h.Store.Entry(ctx, onPurpose.ID); err != nil || e.Effective().TitleKo != edited {
		t.Errorf("the article submitted again on purpose has title %q (%v), want the published edit", e.Effective().TitleKo, err)
	}
}
