package desk

import (
	"context"

	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

func (h *harness) candidate(url, title, source string, points int, published time.Time) int64 {
	h.t.Helper()
	c, added, err := h.Store.AddCandidate(context.Background(), store.NewCandidate{URL: url, Title: title, Source: source,
		Points: points, PublishedAt: published, State: store.CandidateNew})
	if err != nil || !added {
		h.t.Fatalf("add candidate %s: %v %v", url, added, err)
	}
	return c.ID
}

func TestSuggestions(t *testing.T) {
	h := newHarness(t, nil)
	h.desk.opts.Sources = []config.Source{
		{Name: "Go 블로그", Kind: config.SourceFeed, URL: "https://go.dev/blog/feed.atom", Weight: 2},
		{Name: "HN", Kind: config.SourceHackerNews, URL: "https://hn.algolia.com/api/v1", Query: "golang"},
	}
	ctx := context.Background()
	now := h.Clock.Now()
	old := h.candidate("https://example.org/old", "An old story", "HN", 500, now.Add(-10*24*time.Hour))
	hot := h.candidate("https://example.org/hot", "A hot story", "HN", 312, now.Add(-2*time.Hour))
	blog := h.candidate("https://go.dev/blog/new", "A Go blog post", "Go 블로그", 0, now.Add(-3*time.Hour))
	private := h.candidate("http://10.0.0.7/wiki", "사내 위키", "Go 블로그", 0, now.Add(-time.Hour))
	if _, err := h.Store.SeenAgain(ctx, hot, "Go 블로그", "", 0, 45, time.Time{}); err != nil {
		t.Fatal(err)
	}

	s, err := h.desk.Suggestions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, c := range s.Candidates {
		order = append(order, c.ID)
	}
	if len(order) != 4 || s.Total != 4 || order[0] != hot || order[3] != old {
		t.Errorf("ranked %v, want %d first and %d last", order, hot, old)
	}
	if got, want := s.Candidates[0].Reasons, "HN 312점 · 댓글 45개 · 2개 출처 · 출처 가중치 2"; got != want {
		t.Errorf("reasons %q, want %q", got, want)
	}
	if len(s.Sources) != 2 || s.Sources[0].Candidates != 3 {
		t.Errorf("sources %+v", s.Sources)
	}
	if only, err := h.desk.Suggestions(ctx, "HN"); err != nil || len(only.Candidates) != 2 {
		t.Errorf("HN's: %+v, %v", only.Candidates, err)
	}
	var e *Error
	if _, err := h.desk.Suggestions(ctx, "Reddit"); !errors.As(err, &e) || e.Code != "unknown_source" {
		t.Errorf("unknown source: %v", err)
	}

	// Accept two and the one at a private address: the two become
	// submissions credited to the editor and the sources; the private
	// one is refused as a submission would be, and stays a candidate.
	dec, err := h.desk.Accept(ctx, []int64{hot, blog, private}, Caller{Actor: "kim", Addr: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Done) != 2 || len(dec.Refused) != 1 || dec.Refused[0].ID != private || dec.Refused[0].Code != "url_refused" {
		t.Fatalf("accept: %+v", dec)
	}
	sub, err := h.Store.Submission(ctx, dec.Done[0].SubmissionID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.URL != "https://example.org/hot" || sub.SubmittedBy != "kim" || !strings.Contains(sub.Note, "출처: HN, Go 블로그") {
		t.Errorf("the accepted candidate's submission: %+v", sub)
	}
	if h.woken == 0 {
		t.Error("accepting did not wake the worker")
	}

	if _, err := h.desk.Dismiss(ctx, []int64{old}, "kim"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.desk.Dismiss(ctx, []int64{old}, "kim"); !errors.As(err, &e) || e.Code != "already_decided" || e.Kind != Conflict {
		t.Errorf("dismissed twice: %v", err)
	}
	if _, err := h.desk.Accept(ctx, []int64{999}, Caller{Actor: "kim"}); !errors.As(err, &e) || e.Kind != NotFound {
		t.Errorf("no such candidate: %v", err)
	}
	if _, err := h.desk.Accept(ctx, nil, Caller{Actor: "kim"}); !errors.As(err, &e) || e.Code != "required" {
		t.Errorf("no ids: %v", err)
	}
	s, err = h.desk.Suggestions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Candidates) != 1 || s.Candidates[0].ID != private {
		t.Errorf("left after the decisions: %+v", s.Candidates)
	}
	st, err := h.desk.Status(ctx)
	if err != nil || len(st.Sources) != 2 {
		t.Errorf("status sources: %+v, %v", st.Sources, err)
	}
}

// However many the sources offer, a page holds the best PageSize.
func TestSuggestionsPage(t *testing.T) {
	h := newHarness(t, nil)
	h.desk.opts.Sources = []config.Source{{Name: "HN", Kind: config.SourceHackerNews, URL: "https://hn.algolia.com/api/v1", Query: "go"}}
	for i := range PageSize + 5 {
		h.candidate(fmt.Sprintf("https://example.org/%d", i), fmt.Sprintf("story %d", i), "HN", i, h.Clock.Now())
	}
	s, err := h.desk.Suggestions(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Candidates) != PageSize || s.Total != PageSize+5 || s.Candidates[0].Points != PageSize+4 {
		t.Errorf("%d candidates of %d, the first with %d points", len(s.Candidates), s.Total, s.Candidates[0].Points)
	}
}

// TestAcceptAfterAHalfDoneAccept: an accept whose submission was made but
// whose decision was not recorded (a failure between the two writes) is
// finished by accepting again: the candidate becomes accepted with the
// submission already queued, and no second submission is made.
func TestAcceptAfterAHalfDoneAccept(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	id := h.candidate("https://example.org/story", "A story", "HN", 100, h.Clock.Now())
	first, err := h.desk.Submit(ctx, api.SubmissionRequest{URL: "https://example.org/story", SubmittedBy: "kim"}, Caller{Actor: "kim"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := h.desk.Accept(ctx, []int64{id}, Caller{Actor: "kim"})
	if err != nil {
		t.Fatalf("accept again: %v", err)
	}
	if len(d.Done) != 1 || d.Done[0].SubmissionID != first.ID {
		t.Fatalf("accept again = %+v; want the candidate accepted with submission %d", d, first.ID)
	}
	counts, err := h.desk.CountByState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := counts["new"]; n != 1 {
		t.Errorf("%d submissions queued, want 1", n)
	}
}
