package store

import (
	"context"
	"errors"
	"testing"

	"github.com/godevcommunity/newsletter/entry"
)

func TestSaveArticleDuplicates(t *testing.T) {
	ctx := context.Background()
	const canon = "https://example.com/post"
	tests := []struct {
		name string
		// urls are submitted in order; process lists, in order, the indexes
		// fetched, each resolving to canon.
		urls    []string
		process []int
		want    []State
		wantDup []int64 // DuplicateOf per submission
	}{
		{
			name:    "later one fetched second",
			urls:    []string{canon, canon + "?ref=x"},
			process: []int{0, 1},
			want:    []State{StateProcessing, StateDuplicate},
			wantDup: []int64{0, 1},
		},
		{
			name:    "later one fetched first",
			urls:    []string{"https://example.com/p?id=1", "https://example.com/alias"},
			process: []int{1, 0},
			want:    []State{StateProcessing, StateDuplicate},
			wantDup: []int64{0, 1},
		},
		{
			name:    "later one not fetched yet",
			urls:    []string{"https://example.com/alias", canon},
			process: []int{0},
			want:    []State{StateProcessing, StateDuplicate},
			wantDup: []int64{0, 1},
		},
		{
			name:    "different pages",
			urls:    []string{"https://example.com/a", "https://example.com/b"},
			process: []int{0},
			want:    []State{StateProcessing, StateNew},
			wantDup: []int64{0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			var ids []int64
			for _, u := range tt.urls {
				ids = append(ids, submit(t, s, u).ID)
			}
			for _, i := range tt.process {
				claim(t, s, ids[i])
				dup, err := s.SaveArticle(ctx, Article{SubmissionID: ids[i], CanonicalURL: canon,
					Text: "x", TextHash: "h", FetchedAt: t0})
				if err != nil {
					t.Fatal(err)
				}
				if dup != 0 && dup != ids[0] {
					t.Errorf("submission %d: duplicate of %d, want %d", ids[i], dup, ids[0])
				}
			}
			for i, id := range ids {
				got, _ := s.Submission(ctx, id)
				if got.State != tt.want[i] || got.DuplicateOf != tt.wantDup[i] {
					t.Errorf("submission %d: state %s duplicate of %d, want %s, %d",
						id, got.State, got.DuplicateOf, tt.want[i], tt.wantDup[i])
				}
			}
		})
	}
}

func TestArticleRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	if _, ok, err := s.Article(ctx, a.ID); ok || err != nil {
		t.Fatalf("Article before fetch = %v, %v", ok, err)
	}
	claim(t, s, a.ID)
	want := Article{SubmissionID: a.ID, FinalURL: "https://example.com/a/", CanonicalURL: "https://example.com/a",
		Title: "Title", SiteName: "Site", Author: "Kim", Published: t0, Language: "en", Text: "body",
		TextHash: "abc", WordCount: 1, FetchedAt: t0}
	if _, err := s.SaveArticle(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Article(ctx, a.ID)
	if err != nil || !ok {
		t.Fatalf("Article = %v, %v", ok, err)
	}
	if got != want {
		t.Errorf("Article = %+v\nwant %+v", got, want)
	}
}

func TestMarkSummarizedAfterStateChange(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	claim(t, s, a.ID)
	if _, err := s.DeleteSubmission(ctx, a.ID, "tester"); err != nil {
		t.Fatal(err)
	}
	err := s.MarkSummarized(ctx, Summary{SubmissionID: a.ID, Sections: entry.Sections{TitleKo: "제목"}})
	if !errors.Is(err, ErrStateChanged) {
		t.Errorf("MarkSummarized of a deleted submission: error = %v, want ErrStateChanged", err)
	}
	if _, err := s.SaveArticle(ctx, Article{SubmissionID: a.ID}); !errors.Is(err, ErrStateChanged) {
		t.Errorf("SaveArticle of a deleted submission: error = %v, want ErrStateChanged", err)
	}
}

func TestSummaryCache(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	if _, ok, err := s.LookupSummary(ctx, "h", "v1", "m"); ok || err != nil {
		t.Fatalf("lookup on empty cache = %v, %v", ok, err)
	}
	for _, v := range []string{`{"a":1}`, `{"a":2}`} {
		if err := s.SaveSummary(ctx, "h", "v1", "m", []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		hash, prompt, model string
		want                string
		ok                  bool
	}{
		{"h", "v1", "m", `{"a":2}`, true},
		{"h", "v2", "m", "", false},
		{"h", "v1", "other", "", false},
		{"x", "v1", "m", "", false},
	}
	for _, tt := range tests {
		got, ok, err := s.LookupSummary(ctx, tt.hash, tt.prompt, tt.model)
		if err != nil || ok != tt.ok || string(got) != tt.want {
			t.Errorf("LookupSummary(%s, %s, %s) = %q, %v, %v; want %q, %v",
				tt.hash, tt.prompt, tt.model, got, ok, err, tt.want, tt.ok)
		}
	}
}
