package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// flashes are the texts of the messages a page shows once.
func flashes(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), "flash") {
			out = append(out, textOfNode(n))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// english finds words of English in a Korean message; the names of
// things (Gemini, HTML, URL) are not.
var english = regexp.MustCompile(`[A-Za-z]{3,}`)

func englishIn(s string) []string {
	var out []string
	for _, w := range english.FindAllString(s, -1) {
		if w != "Gemini" && w != "HTML" && w != "URL" {
			out = append(out, w)
		}
	}
	return out
}

// What the desk says when an action does not fit the state of what it is
// on, or a dependency is out, is Korean, naming the state: never the
// store's or the summarizer's English.
func TestRefusalsInKorean(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// act sets the scene and posts.
		act  func(h *harness, c *client) response
		want string
	}{
		{"editing a failed submission", func(h *harness, c *client) response {
			sub, _, _ := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/gone"})
			h.Store.Claim(ctx, sub.ID, h.Clock.Now())
			h.Store.Fail(ctx, sub.ID, "fetcher: 404 Not Found")
			return c.post(fmt.Sprintf("/desk/entries/%d/exclude", sub.ID), url.Values{"excluded": {"1"}})
		}, "글 #1은 실패 상태라 요약이 없습니다"},
		{"moving a submission not summarised yet", func(h *harness, c *client) response {
			sub, _, _ := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/new"})
			return c.post(fmt.Sprintf("/desk/entries/%d/move", sub.ID), url.Values{"position": {"1"}})
		}, "글 #1은 아직 요약되지 않았습니다(대기)"},
		{"reverting a field of a submission not summarised yet", func(h *harness, c *client) response {
			sub, _, _ := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/new"})
			return c.post(fmt.Sprintf("/desk/entries/%d/revert", sub.ID), url.Values{"field": {"title"}})
		}, "글 #1은 아직 요약되지 않았습니다(대기)"},
		{"regenerating a deleted submission", func(h *harness, c *client) response {
			id := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/a"}})
			h.Store.DeleteSubmission(ctx, id, "kim")
			return c.post(fmt.Sprintf("/desk/entries/%d/regenerate", id), url.Values{})
		}, "글 #1은 지워졌습니다"},
		{"publishing again an issue in review", func(h *harness, c *client) response {
			threeArticles(h)
			is, err := h.Store.Freeze(ctx, store.NewIssue{Week: "2024-W36", Title: "제목", Slug: "slug", Date: t0})
			if err != nil {
				t.Fatal(err)
			}
			return c.post(fmt.Sprintf("/desk/issues/%d/publish", is.ID), url.Values{})
		}, "1호는 검토를 기다립니다: 다시 발행하지 말고 이번 호에서 승인하세요"},
		{"retrying a queued submission", func(h *harness, c *client) response {
			h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/new"})
			return c.post("/desk/submissions/1/retry", url.Values{})
		}, "제출 #1은 대기 상태라 다시 시도할 수 없습니다. 실패한 제출만 다시 시도합니다"},
		{"regenerating while Gemini's quota is spent", func(h *harness, c *client) response {
			id := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/a"}})
			h.pauses.Pause("gemini", retry.Unavailable("gemini", t0.Add(time.Hour), errors.New("gemini: quota exceeded for the day")))
			return c.post(fmt.Sprintf("/desk/entries/%d/regenerate", id), url.Values{})
		}, "Gemini 사용 불가: 지금은 할 수 없습니다. 2024년 9월 2일 (월) 07:"}, // its next probe
		{"regenerating without a Gemini key", func(h *harness, c *client) response {
			id := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/a"}})
			h.pauses.Hold("gemini", "no Gemini API key")
			return c.post(fmt.Sprintf("/desk/entries/%d/regenerate", id), url.Values{})
		}, "Gemini 사용 불가: 지금은 할 수 없습니다. 다시 쓸 수 있게 되면 다시 시도하세요"},
		{"a heading in the opening paragraph", func(h *harness, c *client) response {
			return c.post("/desk/draft/intro", url.Values{"intro": {"## 이번 주\n안녕하세요"}})
		}, "여는 글: 소제목 “## 이번 주”는 쓸 수 없습니다"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			c := h.client()
			c.signIn(kimToken)
			r := tt.act(h, c)
			var msgs []string
			if r.status == http.StatusSeeOther {
				msgs = flashes(t, c.follow(r).body)
			} else {
				msgs = flashes(t, r.body)
			}
			if len(msgs) == 0 {
				t.Fatalf("status %d, no message", r.status)
			}
			if !strings.Contains(msgs[0], tt.want) {
				t.Errorf("the message is %q, want %q", msgs[0], tt.want)
			}
			for _, m := range msgs {
				if en := englishIn(m); len(en) > 0 {
					t.Errorf("the message %q has English: %q", m, en)
				}
			}
		})
	}
}

// A page that fails to render answers 500, in Korean.
func TestRenderFailureInKorean(t *testing.T) {
	h := newHarness(t, withTokens)
	rec := httptest.NewRecorder()
	h.web.write(rec, http.StatusOK, "message", view{Data: 42}) // not a messagePage
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "서버 오류") || len(englishIn(rec.Body.String())) > 0 {
		t.Errorf("%d %q", rec.Code, rec.Body.String())
	}
}

// The live preview of an entry that is not there says so in Korean.
func TestPreviewNotFoundInKorean(t *testing.T) {
	h := newHarness(t, withTokens)
	c := h.client()
	c.signIn(kimToken)
	r := c.post("/desk/entries/99/preview", url.Values{"summary": {"요약"}})
	if r.status != http.StatusNotFound || !strings.Contains(r.body, "글 #99를 찾을 수 없습니다") || len(englishIn(r.body)) > 0 {
		t.Errorf("%d %q", r.status, r.body)
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("가나다 ", 50)
	tests := []struct{ in, want string }{
		{"짧은 요약입니다.", "짧은 요약입니다."},
		{"줄이\n바뀐   요약", "줄이 바뀐 요약"},
		{long, strings.TrimSpace(strings.Repeat("가나다 ", 30)) + "…"},
		{strings.Repeat("가", 200), strings.Repeat("가", excerptLen) + "…"},
	}
	for _, tt := range tests {
		if got := excerpt(tt.in); got != tt.want {
			t.Errorf("excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
