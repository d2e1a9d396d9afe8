package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestIssueLifecycle(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	bad := submit(t, s, "https://example.com/missing")
	for i, id := range []int64{a.ID, b.ID} {
		claim(t, s, id)
		saveArticle(t, s, id, []string{"https://example.com/a", "https://example.com/b"}[i])
		summarize(t, s, id)
	}
	claim(t, s, bad.ID)
	if err := s.Fail(ctx, bad.ID, "404"); err != nil {
		t.Fatal(err)
	}

	es, err := s.Entries(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Submission.ID != a.ID || es[1].Submission.ID != b.ID ||
		es[0].Summary.TitleKo != "제목" || es[1].Article.CanonicalURL != "https://example.com/b" {
		t.Fatalf("Entries = %+v", es)
	}
	rej, err := s.Rejected(ctx, 0)
	if err != nil || len(rej) != 1 || rej[0].ID != bad.ID {
		t.Fatalf("Rejected = %+v, %v", rej, err)
	}

	d := IssueDraft{Week: "2024-W36", Title: "Weekly", Slug: "weekly", CUID: "c1", Date: t0}
	is, err := s.SaveIssue(ctx, d, []int64{a.ID, b.ID}, []int64{bad.ID})
	if err != nil {
		t.Fatal(err)
	}
	if is.Published() {
		t.Fatal("issue published before its file was written")
	}
	if u, ok, _ := s.UnfinishedIssue(ctx); !ok || u.ID != is.ID {
		t.Fatalf("UnfinishedIssue = %+v, %v", u, ok)
	}
	if _, err := s.LatestIssue(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LatestIssue before publishing: %v, want ErrNotFound", err)
	}

	is, err = s.PublishIssue(ctx, is.ID, "issues/weekly.md", []byte("v1"))
	if err != nil {
		t.Fatal(err)
	}
	first := is.PublishedAt
	if !is.Published() || is.Location != "issues/weekly.md" || string(is.Content) != "v1" || is.ContentHash == "" {
		t.Fatalf("published issue = %+v", is)
	}
	for _, id := range []int64{a.ID, b.ID} {
		if sub, _ := s.Submission(ctx, id); sub.State != StatePublished || sub.IssueID != is.ID {
			t.Errorf("submission %d after publishing: %+v", id, sub)
		}
	}
	if rej, _ := s.Rejected(ctx, 0); len(rej) != 0 {
		t.Errorf("failed submission reported again after its issue: %+v", rej)
	}

	// A later submission joins the same week's issue on a re-run.
	late := submit(t, s, "https://example.com/late")
	claim(t, s, late.ID)
	saveArticle(t, s, late.ID, "https://example.com/late")
	summarize(t, s, late.ID)
	es, _ = s.Entries(ctx, is.ID)
	if len(es) != 3 {
		t.Fatalf("re-run entries = %d, want 3", len(es))
	}
	if got, ok, _ := s.IssueForWeek(ctx, "2024-W36"); !ok || got.ID != is.ID {
		t.Fatalf("IssueForWeek = %+v, %v", got, ok)
	}
	d.ID = is.ID
	if _, err := s.SaveIssue(ctx, d, []int64{a.ID, b.ID, late.ID}, nil); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	is, err = s.PublishIssue(ctx, is.ID, "issues/weekly.md", []byte("v2"))
	if err != nil {
		t.Fatal(err)
	}
	if !is.PublishedAt.Equal(first) || string(is.Content) != "v2" {
		t.Errorf("rewritten issue: published %v (want first publication %v), content %q", is.PublishedAt, first, is.Content)
	}
	latest, err := s.LatestIssue(ctx)
	if err != nil || latest.ID != is.ID {
		t.Errorf("LatestIssue = %+v, %v", latest, err)
	}
	if at, ok, _ := s.LastPublished(ctx); !ok || !at.Equal(first) {
		t.Errorf("LastPublished = %v, %v; want %v", at, ok, first)
	}
}

func TestSaveIssueRejectsChangedMembers(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	_, err := s.SaveIssue(ctx, IssueDraft{Week: "w", Slug: "s", Date: t0}, []int64{a.ID}, nil)
	if !errors.Is(err, ErrStateChanged) {
		t.Fatalf("SaveIssue with an unsummarised member: error = %v, want ErrStateChanged", err)
	}
	if _, ok, _ := s.UnfinishedIssue(ctx); ok {
		t.Error("a failed SaveIssue left an issue behind")
	}
}
