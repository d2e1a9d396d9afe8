package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/entry"
)

func TestSubmitDuplicates(t *testing.T) {
	ctx := context.Background()
	const u = "https://example.com/a"
	tests := []struct {
		name string
		// prepare brings the first submission of u into some state.
		prepare     func(t *testing.T, s *Store, first Submission)
		url         string
		wantCreated bool
	}{
		{"queued", func(*testing.T, *Store, Submission) {}, u, false},
		{"other URL", func(*testing.T, *Store, Submission) {}, "https://example.com/b", true},
		{"failed is still queued", func(t *testing.T, s *Store, f Submission) {
			claim(t, s, f.ID)
			if err := s.Fail(ctx, f.ID, "404"); err != nil {
				t.Fatal(err)
			}
		}, u, false},
		{"deleted", func(t *testing.T, s *Store, f Submission) {
			if _, err := s.DeleteSubmission(ctx, f.ID, "tester"); err != nil {
				t.Fatal(err)
			}
		}, u, true},
		{"published", func(t *testing.T, s *Store, f Submission) {
			publishOne(t, s, f.ID)
		}, u, true},
		{"canonical URL matches", func(t *testing.T, s *Store, f Submission) {
			claim(t, s, f.ID)
			saveArticle(t, s, f.ID, "https://example.com/canonical")
		}, "https://example.com/canonical", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			first := submit(t, s, u)
			tt.prepare(t, s, first)
			got, result, err := s.Submit(ctx, NewSubmission{URL: tt.url, SubmittedBy: "kim", Note: "n"})
			created := result == Created
			if err != nil {
				t.Fatal(err)
			}
			if created != tt.wantCreated {
				t.Fatalf("created = %v, want %v", created, tt.wantCreated)
			}
			if !created && got.ID != first.ID {
				t.Errorf("returned submission %d, want the existing %d", got.ID, first.ID)
			}
			if created && (got.ID == first.ID || got.State != StateNew || got.SubmittedBy != "kim" || got.Note != "n") {
				t.Errorf("new submission = %+v", got)
			}
		})
	}
}

func TestSubmissionsFilter(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	c := submit(t, s, "https://example.com/c")
	claim(t, s, a.ID)
	tests := []struct {
		filter Filter
		want   []int64
	}{
		{Filter{}, []int64{c.ID, b.ID, a.ID}},
		{Filter{States: []State{StateNew}}, []int64{c.ID, b.ID}},
		{Filter{States: []State{StateNew, StateProcessing}}, []int64{c.ID, b.ID, a.ID}},
		{Filter{States: []State{StatePublished}}, nil},
		{Filter{Limit: 1}, []int64{c.ID}},
		{Filter{Oldest: true}, []int64{a.ID, b.ID, c.ID}},
		{Filter{Before: c.ID}, []int64{b.ID, a.ID}},
		{Filter{Before: c.ID, States: []State{StateNew}}, []int64{b.ID}},
		{Filter{After: a.ID, Limit: 1}, []int64{c.ID}},
		{Filter{After: a.ID, Limit: 1, Oldest: true}, []int64{b.ID}},
		{Filter{After: a.ID, Before: c.ID}, []int64{b.ID}},
	}
	for _, tt := range tests {
		subs, err := s.Submissions(ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, sub := range subs {
			got = append(got, sub.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Submissions(%+v) = %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestDeleteSubmission(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	publishOne(t, s, b.ID)

	tests := []struct {
		name    string
		id      int64
		wantErr error
	}{
		{"queued", a.ID, nil},
		{"again", a.ID, nil},
		{"published", b.ID, ErrConflict},
		{"missing", 999, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.DeleteSubmission(ctx, tt.id, "tester")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got.State != StateDeleted {
				t.Errorf("state = %s, want deleted", got.State)
			}
		})
	}
	if _, err := s.Submission(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Submission(999) error = %v, want ErrNotFound", err)
	}
}

func TestCountByState(t *testing.T) {
	s, _ := newTestStore(t)
	submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	claim(t, s, b.ID)
	counts, err := s.CountByState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range States {
		want := 0
		if st == StateNew || st == StateProcessing {
			want = 1
		}
		if counts[st] != want {
			t.Errorf("count[%s] = %d, want %d", st, counts[st], want)
		}
	}
}

func TestStateValid(t *testing.T) {
	for _, st := range States {
		if !st.Valid() {
			t.Errorf("%s.Valid() = false", st)
		}
	}
	if State("done").Valid() {
		t.Error(`State("done").Valid() = true`)
	}
}

// anyTime is a time by which every retry is due.
var anyTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func claim(t *testing.T, s *Store, id int64) Submission {
	t.Helper()
	sub, ok, err := s.Claim(context.Background(), id, anyTime)
	if err != nil || !ok {
		t.Fatalf("claim %d: ok=%v err=%v", id, ok, err)
	}
	return sub
}

func saveArticle(t *testing.T, s *Store, id int64, canonical string) int64 {
	t.Helper()
	dup, err := s.SaveArticle(context.Background(), Article{
		SubmissionID: id, FinalURL: canonical, CanonicalURL: canonical, Title: "T",
		Text: "text", TextHash: "h" + canonical, WordCount: 1, FetchedAt: t0,
	})
	if err != nil {
		t.Fatal(err)
	}
	return dup
}

func summarize(t *testing.T, s *Store, id int64) {
	t.Helper()
	if err := s.MarkSummarized(context.Background(), Summary{
		SubmissionID: id, TextHash: "h", PromptVersion: "v1", Model: "m",
		Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "소개"},
	}); err != nil {
		t.Fatal(err)
	}
}

// publishOne takes a new submission all the way into a published issue.
func publishOne(t *testing.T, s *Store, id int64) Issue {
	t.Helper()
	claim(t, s, id)
	saveArticle(t, s, id, "https://example.com/published")
	summarize(t, s, id)
	return freezeAndPublish(t, s, "2024-W36")
}

// freezeAndPublish freezes the open draft as the issue of week and
// publishes it.
func freezeAndPublish(t *testing.T, s *Store, week string) Issue {
	t.Helper()
	ctx := context.Background()
	is, err := s.Freeze(ctx, NewIssue{Week: week, Title: "T " + week, Slug: "s-" + week, CUID: "c" + week, Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	is, _, err = s.Publish(ctx, is.ID, "", func(Snapshot) ([]byte, error) { return []byte("# issue " + week), nil })
	if err != nil {
		t.Fatal(err)
	}
	is, err = s.Written(ctx, is.ID, "issues/"+week+".md", "")
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func TestSubmissionsSearch(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	for _, n := range []NewSubmission{
		{URL: "https://go.dev/blog/unique", SubmittedBy: "kim", Note: "unique 패키지 소개"},
		{URL: "https://example.com/100%_sure", SubmittedBy: "lee", Note: "Generics 입문"},
		{URL: "https://example.com/iterators", SubmittedBy: "Park"},
	} {
		if _, _, err := s.Submit(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		search string
		want   []int64 // newest first
	}{
		{"", []int64{3, 2, 1}},
		{"unique", []int64{1}},   // in the address and the note
		{"패키지", []int64{1}},      // Hangul in a note
		{"GENERICS", []int64{2}}, // Latin letters in any case
		{"park", []int64{3}},     // the submitter
		{"%", []int64{2}},        // itself, not a wildcard
		{"_", []int64{2}},
		{"nothing like it", nil},
	}
	for _, tt := range tests {
		subs, err := s.Submissions(ctx, Filter{Search: tt.search})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, sub := range subs {
			got = append(got, sub.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.search, got, tt.want)
		}
		if n, err := s.CountSubmissions(ctx, Filter{Search: tt.search}); err != nil || n != len(tt.want) {
			t.Errorf("CountSubmissions(%q) = %d, %v; want %d", tt.search, n, err, len(tt.want))
		}
	}
}
