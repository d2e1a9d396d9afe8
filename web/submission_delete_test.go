package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// The submissions page offers to delete exactly what store.DeleteSubmission
// deletes: a submission still queued, in no issue or in the one waiting
// for review, never one that an issue published or being published holds
// (as an article, left out, failed or a duplicate). Deleting one anyway
// (a page loaded earlier) says in Korean why it stays.
func TestSubmissionDeleteOffered(t *testing.T) {
	ctx := context.Background()
	// Each scene puts submissions in the store and returns the one tried.
	failedOne := func(h *harness) int64 {
		sub, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/gone"})
		if err != nil {
			t.Fatal(err)
		}
		h.Store.Claim(ctx, sub.ID, h.Clock.Now())
		if err := h.Store.Fail(ctx, sub.ID, "404"); err != nil {
			t.Fatal(err)
		}
		return sub.ID
	}
	duplicateOne := func(h *harness) int64 {
		first := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "원문", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/a"}})
		e, err := h.Store.Entry(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		sub, _, _ := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/again"})
		h.Store.Claim(ctx, sub.ID, h.Clock.Now())
		if dup, err := h.Store.SaveArticle(ctx, store.Article{SubmissionID: sub.ID, CanonicalURL: e.Article.CanonicalURL,
			FinalURL: e.Article.CanonicalURL, Text: "다른 글", TextHash: "other", FetchedAt: h.Clock.Now()}); err != nil || dup != first {
			t.Fatalf("duplicate: %d %v", dup, err)
		}
		return sub.ID
	}
	entryOne := func(h *harness) int64 {
		return h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/b"}})
	}
	excludedOne := func(h *harness) int64 {
		entryOne(h)
		id := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "뺀 글", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/c"}})
		excluded := true
		if _, err := h.Store.Change(ctx, id, store.Change{Excluded: &excluded}, "kim"); err != nil {
			t.Fatal(err)
		}
		return id
	}
	freeze := func(h *harness) store.Issue {
		if len(mustDraft(t, h)) == 0 {
			entryOne(h)
		}
		is, err := h.Store.Freeze(ctx, store.NewIssue{Week: "2024-W36", Title: "제목", Slug: "slug", Date: t0})
		if err != nil {
			t.Fatal(err)
		}
		return is
	}
	publishing := func(h *harness) store.Issue {
		is := freeze(h)
		if _, _, err := h.Store.Publish(ctx, is.ID, "kim", func(store.Snapshot) ([]byte, error) { return []byte("# 제목\n"), nil }); err != nil {
			t.Fatal(err)
		}
		return is
	}
	published := func(h *harness) {
		is := publishing(h)
		if _, err := h.Store.Written(ctx, is.ID, "/issues/x.md", ""); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		scene func(h *harness) int64
		// refusal is the message when it cannot be deleted; "" when it can.
		refusal string
	}{
		{"queued", func(h *harness) int64 {
			s, _, _ := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/x"})
			return s.ID
		}, ""},
		{"summarised, in the draft", entryOne, ""},
		{"failed, in no issue", failedOne, ""},
		{"a duplicate, in no issue", duplicateOne, ""},
		{"in the issue in review", func(h *harness) int64 { id := entryOne(h); freeze(h); return id }, ""},
		{"failed, reported by the issue in review", func(h *harness) int64 { id := failedOne(h); freeze(h); return id }, ""},
		{"published", func(h *harness) int64 { id := entryOne(h); published(h); return id }, "제출 #1은 발행된 1호에 실려 지울 수 없습니다"},
		{"left out of a published issue", func(h *harness) int64 { id := excludedOne(h); published(h); return id }, "제출 #2는 발행된 1호에서 뺀 글로 남아 지울 수 없습니다"},
		{"failed, reported by a published issue", func(h *harness) int64 { id := failedOne(h); published(h); return id }, "제출 #1은 발행된 1호에 실패한 글로 남아 지울 수 없습니다"},
		{"a duplicate, reported by a published issue", func(h *harness) int64 { id := duplicateOne(h); published(h); return id }, "제출 #2는 발행된 1호에 중복된 글로 남아 지울 수 없습니다"},
		{"in an issue being published", func(h *harness) int64 { id := entryOne(h); publishing(h); return id }, "제출 #1은 발행 중인 1호에 실려 지울 수 없습니다"},
		{"failed, reported by an issue being published", func(h *harness) int64 { id := failedOne(h); publishing(h); return id }, "제출 #1은 발행 중인 1호에 실패한 글로 남아 지울 수 없습니다"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			id := tt.scene(h)
			c := h.client()
			c.signIn(kimToken)
			action := fmt.Sprintf(`action="/desk/submissions/%d/delete"`, id)
			if offered := strings.Contains(c.get("/desk/submissions").body, action); offered != (tt.refusal == "") {
				t.Errorf("the delete button of #%d is offered: %v, want %v", id, offered, tt.refusal == "")
			}
			r := c.post(fmt.Sprintf("/desk/submissions/%d/delete", id), url.Values{})
			if r.status != http.StatusSeeOther {
				t.Fatalf("delete: %d", r.status)
			}
			msgs := flashes(t, c.follow(r).body)
			sub, err := h.Store.Submission(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if tt.refusal == "" {
				if sub.State != store.StateDeleted {
					t.Errorf("#%d is %s after deleting it, messages %q", id, sub.State, msgs)
				}
				return
			}
			if sub.State == store.StateDeleted || len(msgs) != 1 || !strings.Contains(msgs[0], tt.refusal) {
				t.Errorf("#%d is %s, messages %q, want %q", id, sub.State, msgs, tt.refusal)
			}
		})
	}
}

// mustDraft are the open draft's entries.
func mustDraft(t *testing.T, h *harness) []store.Entry {
	t.Helper()
	es, err := h.Store.DraftEntries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return es
}
