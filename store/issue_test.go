package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/entry"
)

// summarized takes new submissions of urls to summarized, each at its URL.
func summarized(t *testing.T, s *Store, urls ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, u := range urls {
		id := submit(t, s, u).ID
		claim(t, s, id)
		saveArticle(t, s, id, u)
		summarize(t, s, id)
		ids = append(ids, id)
	}
	return ids
}

func entryIDs(es []Entry) []int64 {
	var ids []int64
	for _, e := range es {
		ids = append(ids, e.Submission.ID)
	}
	return ids
}

func TestIssueLifecycle(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	ids := summarized(t, s, "https://example.com/a", "https://example.com/b")
	bad := submit(t, s, "https://example.com/missing")
	claim(t, s, bad.ID)
	if err := s.Fail(ctx, bad.ID, "404"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetIntro(ctx, 0, "이번 주 소식입니다."); err != nil {
		t.Fatal(err)
	}
	draft, err := s.DraftEntries(ctx)
	if err != nil || !slices.Equal(entryIDs(draft), ids) || draft[0].Summary.TitleKo != "제목" {
		t.Fatalf("DraftEntries = %+v, %v", draft, err)
	}

	publishAt := t0.Add(24 * time.Hour)
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Title: "Weekly", Slug: "weekly-2024", CUID: "c1", Date: t0, PublishAt: publishAt})
	if err != nil {
		t.Fatal(err)
	}
	if is.State != IssueReview || is.Intro != "이번 주 소식입니다." || !is.PublishAt.Equal(publishAt) {
		t.Errorf("frozen issue = %+v", is)
	}
	if _, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Slug: "again"}); !errors.Is(err, ErrConflict) {
		t.Errorf("a second issue for the week: %v, want ErrConflict", err)
	}
	// An article summarised after the freeze goes to the next draft.
	later := summarized(t, s, "https://example.com/later")
	if draft, _ := s.DraftEntries(ctx); !slices.Equal(entryIDs(draft), later) {
		t.Errorf("draft after the freeze = %v, want only %v", entryIDs(draft), later)
	}
	if intro, _ := s.DraftIntro(ctx); intro != "" {
		t.Errorf("the draft kept the opening %q after it moved to the issue", intro)
	}
	if rej, _ := s.Rejected(ctx, is.ID); len(rej) != 1 || rej[0].ID != bad.ID {
		t.Errorf("the issue's rejected = %+v, want the failed one", rej)
	}
	if due, ok, _ := s.DueReview(ctx, publishAt.Add(-time.Second)); ok {
		t.Errorf("issue %d due before its time", due.ID)
	}
	if due, ok, _ := s.DueReview(ctx, publishAt); !ok || due.ID != is.ID {
		t.Error("the issue in review is not due at its publish_at")
	}

	c.Advance(time.Hour)
	var rendered []int64
	is, content, err := s.Publish(ctx, is.ID, "kim", func(snap Snapshot) ([]byte, error) {
		rendered = entryIDs(snap.Entries)
		return []byte("# Weekly\n"), nil
	})
	if err != nil || is.State != IssuePublishing || string(content) != "# Weekly\n" || is.ApprovedBy != "kim" {
		t.Fatalf("Publish = %+v, %q, %v", is, content, err)
	}
	if !slices.Equal(rendered, ids) {
		t.Errorf("rendered %v, want the frozen members %v", rendered, ids)
	}
	if u, ok, _ := s.UnfinishedIssue(ctx); !ok || u.ID != is.ID {
		t.Error("an issue decided but not written is not unfinished")
	}
	is, err = s.Written(ctx, is.ID, "issues/weekly.md", "")
	if err != nil || is.State != IssuePublished || !is.PublishedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Written = %+v, %v", is, err)
	}
	for _, id := range ids {
		if sub, _ := s.Submission(ctx, id); sub.State != StatePublished {
			t.Errorf("member %d is %s, want published", id, sub.State)
		}
	}
	latest, err := s.LatestIssue(ctx)
	if err != nil || latest.ID != is.ID {
		t.Errorf("LatestIssue = %+v, %v", latest, err)
	}
	if at, ok, _ := s.LastPublished(ctx); !ok || !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("LastPublished = %v", at)
	}
}

// TestPublishDecidesMembership is defect 13: one transaction decides who
// is in the issue. A deletion during review removes the article; one after
// the decision is refused, never answered 200 for an article published
// anyway; an excluded article stays out.
func TestPublishDecidesMembership(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	ids := summarized(t, s, "https://example.com/a", "https://example.com/b", "https://example.com/c")
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Slug: "w", Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteSubmission(ctx, ids[0], "kim"); err != nil {
		t.Fatalf("deleting during review: %v", err)
	}
	excluded := true
	if _, err := s.Change(ctx, ids[2], Change{Excluded: &excluded}, "kim"); err != nil {
		t.Fatal(err)
	}
	var published []int64
	if _, _, err := s.Publish(ctx, is.ID, "", func(snap Snapshot) ([]byte, error) {
		for _, e := range snap.Entries {
			if !e.Submission.Excluded {
				published = append(published, e.Submission.ID)
			}
		}
		return []byte("x"), nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(published, []int64{ids[1]}) {
		t.Errorf("published %v, want only %d", published, ids[1])
	}
	if _, err := s.DeleteSubmission(ctx, ids[1], "kim"); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting a published article: %v, want ErrConflict", err)
	}
	if sub, _ := s.Submission(ctx, ids[2]); sub.State != StateSummarized {
		t.Errorf("the excluded article is %s, want summarized", sub.State)
	}
	// A failing render changes nothing.
	if _, _, err := s.Publish(ctx, is.ID, "", func(Snapshot) ([]byte, error) { return nil, errors.New("boom") }); err == nil {
		t.Error("a failing render published")
	}
	if got, _ := s.Issue(ctx, is.ID); string(got.Content) != "x" {
		t.Errorf("content after a failed render = %q", got.Content)
	}
}

func TestChange(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	ids := summarized(t, s, "https://example.com/a", "https://example.com/b", "https://example.com/c")
	text := func(v string) *string { return &v }
	e, err := s.Change(ctx, ids[0], Change{Fields: map[entry.Field]*string{entry.Summary: text("짧은 요약입니다."), entry.Title: text("새 제목")}}, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Effective(); got.Summary != "짧은 요약입니다." || got.TitleKo != "새 제목" || got.Introduction != "소개" {
		t.Errorf("effective = %+v", got)
	}
	if !slices.Equal(e.Edited(), []entry.Field{entry.Title, entry.Summary}) || e.Summary.Summary != "요약" {
		t.Errorf("edited %v, model text %q; the model's text must stay beside the edit", e.Edited(), e.Summary.Summary)
	}
	// A regeneration replaces the model's text and keeps the edit.
	if err := s.Resummarized(ctx, Summary{SubmissionID: ids[0], Model: "m2", Sections: entry.Sections{TitleKo: "다시 쓴 제목", Summary: "다시 쓴 요약", Introduction: "다시 쓴 소개"}}, "더 짧게", "lee"); err != nil {
		t.Fatal(err)
	}
	e, _ = s.Entry(ctx, ids[0])
	if got := e.Effective(); got.Summary != "짧은 요약입니다." || got.Introduction != "다시 쓴 소개" {
		t.Errorf("after the regeneration: %+v; the edit stays, the rest is new", got)
	}
	e, err = s.Change(ctx, ids[0], Change{Fields: map[entry.Field]*string{entry.Summary: nil}}, "kim")
	if err != nil || e.Effective().Summary != "다시 쓴 요약" || slices.Contains(e.Edited(), entry.Summary) {
		t.Errorf("after reverting: %+v, %v", e.Effective(), err)
	}
	pos := 1
	if _, err := s.Change(ctx, ids[2], Change{Position: &pos}, "kim"); err != nil {
		t.Fatal(err)
	}
	if draft, _ := s.DraftEntries(ctx); !slices.Equal(entryIDs(draft), []int64{ids[2], ids[0], ids[1]}) {
		t.Errorf("draft order after the move = %v", entryIDs(draft))
	}
	history, _ := s.Events(ctx, ids[0])
	var kinds []string
	for _, ev := range history {
		kinds = append(kinds, string(ev.Kind))
	}
	if got := strings.Join(kinds, " "); got != "submitted summarized edited edited regenerated reverted" {
		t.Errorf("history = %s", got)
	}
	if _, err := s.Change(ctx, 999, Change{}, "kim"); !errors.Is(err, ErrNotFound) {
		t.Errorf("change of a missing entry: %v", err)
	}
	n := submit(t, s, "https://example.com/new")
	if _, err := s.Change(ctx, n.ID, Change{}, "kim"); !errors.Is(err, ErrConflict) {
		t.Errorf("change of an unsummarised submission: %v", err)
	}
}
