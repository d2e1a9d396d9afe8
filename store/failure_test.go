package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWaitChargesNoAttempt: a submission parked for an unavailable
// dependency keeps its attempts, is not claimed before its time (or ever,
// without one) and is due at once when the dependency is back.
func TestWaitChargesNoAttempt(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	claim(t, s, a.ID)
	if err := s.Wait(ctx, a.ID, "gemini", "quota used up", c.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	claim(t, s, b.ID)
	if err := s.Wait(ctx, b.ID, "gemini", "no API key", time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{a.ID, b.ID} {
		sub, _ := s.Submission(ctx, id)
		if sub.State != StateNew || sub.Attempts != 0 || sub.WaitingFor != "gemini" {
			t.Errorf("submission %d: %s, %d attempts, waiting for %q; want new, 0, gemini", id, sub.State, sub.Attempts, sub.WaitingFor)
		}
	}
	if ids, _ := s.DueIDs(ctx, c.Now()); len(ids) != 0 {
		t.Errorf("due now: %v, want none", ids)
	}
	if ids, _ := s.DueIDs(ctx, anyTime); !slices.Equal(ids, []int64{a.ID}) {
		t.Errorf("due at the end of time: %v, want only the one with a time", ids)
	}
	if counts, _ := s.CountWaiting(ctx); counts["gemini"] != 2 {
		t.Errorf("CountWaiting = %v", counts)
	}
	n, err := s.ResumeWaiting(ctx, "gemini")
	if err != nil || n != 2 {
		t.Fatalf("ResumeWaiting = %d, %v; want 2", n, err)
	}
	if ids, _ := s.DueIDs(ctx, c.Now()); !slices.Equal(ids, []int64{a.ID, b.ID}) {
		t.Errorf("due after the resume: %v, want both", ids)
	}
	history, _ := s.Events(ctx, a.ID)
	if len(history) != 2 || history[1].Kind != EventWaiting || history[1].Detail != "quota used up" {
		t.Errorf("history = %+v, want submitted then waiting with its reason", history)
	}
}

// TestRequeue: a failed submission is queued again with its attempts reset
// and what was fetched forgotten; its reason stays in its history.
// Submitting its URL again does the same, answering the same row.
func TestRequeue(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	fail := func(id int64) {
		t.Helper()
		claim(t, s, id)
		saveArticle(t, s, id, "https://example.com/"+strings.Repeat("p", int(id)))
		if err := s.Fail(ctx, id, "gemini blocked the answer"); err != nil {
			t.Fatal(err)
		}
	}
	a := submit(t, s, "https://example.com/a")
	fail(a.ID)
	got, err := s.Requeue(ctx, a.ID, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateNew || got.Attempts != 0 || got.LastError != "" {
		t.Errorf("requeued: %+v", got)
	}
	if _, ok, _ := s.Article(ctx, a.ID); ok {
		t.Error("the article of a requeued submission is kept; it must be fetched again")
	}
	history, _ := s.Events(ctx, a.ID)
	kinds := []EventKind{}
	for _, e := range history {
		kinds = append(kinds, e.Kind)
	}
	if !slices.Equal(kinds, []EventKind{EventSubmitted, EventFailed, EventRequeued}) ||
		history[1].Detail != "gemini blocked the answer" || history[2].Actor != "kim" {
		t.Errorf("history = %+v", history)
	}
	if _, err := s.Requeue(ctx, a.ID, "kim"); !errors.Is(err, ErrConflict) {
		t.Errorf("requeueing a new submission: %v, want ErrConflict", err)
	}
	if _, err := s.Requeue(ctx, 999, "kim"); !errors.Is(err, ErrNotFound) {
		t.Errorf("requeueing a missing submission: %v, want ErrNotFound", err)
	}

	b := submit(t, s, "https://example.com/b")
	fail(b.ID)
	again, result, err := s.Submit(ctx, NewSubmission{URL: "https://example.com/b", SubmittedBy: "lee"})
	if err != nil || result != Requeued || again.ID != b.ID || again.State != StateNew || again.Attempts != 0 {
		t.Errorf("submitting a failed URL again = %+v, %v, %v; want the same row, new again", again, result, err)
	}

	// One that failed in an issue since published goes to the next one.
	c := submit(t, s, "https://example.com/c")
	fail(c.ID)
	d := submit(t, s, "https://example.com/d")
	is := publishOne(t, s, d.ID)
	if sub, _ := s.Submission(ctx, c.ID); sub.IssueID != is.ID {
		t.Fatalf("the failed submission is in issue %d, want %d", sub.IssueID, is.ID)
	}
	got, err = s.Requeue(ctx, c.ID, "kim")
	if err != nil || got.State != StateNew || got.IssueID != 0 {
		t.Errorf("requeueing one that failed in a published issue = %+v, %v; want new, in no issue", got, err)
	}
}

// TestSaveArticleContentDuplicates: the same text at two addresses is one
// article; the later submission says which one it repeats and why.
func TestSaveArticleContentDuplicates(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://blog.example/post")
	b := submit(t, s, "https://mirror.example/copy")
	c := submit(t, s, "https://other.example/else")
	save := func(id int64, url, hash string) int64 {
		t.Helper()
		claim(t, s, id)
		dup, err := s.SaveArticle(ctx, Article{SubmissionID: id, FinalURL: url, CanonicalURL: url,
			Title: "T", Text: "same text", TextHash: hash, WordCount: 2, FetchedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		return dup
	}
	if dup := save(a.ID, a.URL, "same"); dup != 0 {
		t.Fatalf("the first is a duplicate of %d", dup)
	}
	if dup := save(b.ID, b.URL, "same"); dup != a.ID {
		t.Errorf("same text elsewhere: duplicate of %d, want %d", dup, a.ID)
	}
	if dup := save(c.ID, c.URL, "different"); dup != 0 {
		t.Errorf("different text: duplicate of %d, want none", dup)
	}
	history, _ := s.Events(ctx, b.ID)
	last := history[len(history)-1]
	if last.Kind != EventDuplicate || last.Detail != "repeats submission 1: the same text, at https://blog.example/post" {
		t.Errorf("history ends %+v", last)
	}
}

// TestIssueUsage totals every Gemini call of the submissions still headed
// for the next issue, failures included.
func TestIssueUsage(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	for _, u := range []struct {
		id   int64
		kind UsageKind
		u    Usage
	}{
		{a.ID, UsageSummarize, Usage{Requests: 2, PromptTokens: 100, OutputTokens: 10, CostUSD: 0.25}},
		{b.ID, UsageSummarize, Usage{Requests: 1, PromptTokens: 50, OutputTokens: 5, CostUSD: 0.5}},
		{b.ID, UsageRegenerate, Usage{Requests: 1, PromptTokens: 50, OutputTokens: 5, CostUSD: 0.25}},
		{b.ID, UsageSummarize, Usage{}}, // no request: not recorded
	} {
		if err := s.RecordUsage(ctx, u.id, u.kind, "m", u.u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.IssueUsage(ctx, 0)
	if want := (Usage{Requests: 4, PromptTokens: 200, OutputTokens: 20, CostUSD: 1}); err != nil || got != want {
		t.Errorf("IssueUsage = %+v, %v; want %+v", got, err, want)
	}
}

// TestSubmissionUsage totals a submission's calls by model.
func TestSubmissionUsage(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	for _, u := range []struct {
		model string
		kind  UsageKind
		u     Usage
	}{
		{"gemini-x", UsageSummarize, Usage{Requests: 1, PromptTokens: 100}},
		{"qwen3", UsageSummarize, Usage{Requests: 2, PromptTokens: 300, OutputTokens: 50, CostUSD: 0.5}},
		{"qwen3", UsageRegenerate, Usage{Requests: 1, PromptTokens: 100, OutputTokens: 10, CostUSD: 0.25}},
	} {
		if err := s.RecordUsage(ctx, a.ID, u.kind, u.model, u.u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SubmissionUsage(ctx, a.ID)
	want := map[string]Usage{"gemini-x": {Requests: 1, PromptTokens: 100},
		"qwen3": {Requests: 3, PromptTokens: 400, OutputTokens: 60, CostUSD: 0.75}}
	if err != nil || len(got) != len(want) || got["gemini-x"] != want["gemini-x"] || got["qwen3"] != want["qwen3"] {
		t.Errorf("SubmissionUsage = %+v, %v; want %+v", got, err, want)
	}
}

// TestSaveArticleKeepsWhatIsSummarized: an earlier submission fetched
// after a later one of the same page was summarised (it had failed and
// was retried) is the duplicate; the summarised one stays as it is.
func TestSaveArticleKeepsWhatIsSummarized(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	early := submit(t, s, "https://example.com/post?utm_source=a")
	late := submit(t, s, "https://example.com/post")
	claim(t, s, late.ID)
	saveArticle(t, s, late.ID, "https://example.com/post")
	summarize(t, s, late.ID)
	claim(t, s, early.ID)
	if dup := saveArticle(t, s, early.ID, "https://example.com/post"); dup != late.ID {
		t.Errorf("the earlier submission repeats %d, want the summarised %d", dup, late.ID)
	}
	if sub, _ := s.Submission(ctx, late.ID); sub.State != StateSummarized {
		t.Errorf("the summarised submission is %s now, want summarized", sub.State)
	}
	if sub, _ := s.Submission(ctx, early.ID); sub.State != StateDuplicate || sub.DuplicateOf != late.ID {
		t.Errorf("the earlier submission = %s of %d, want a duplicate of %d", sub.State, sub.DuplicateOf, late.ID)
	}
}
