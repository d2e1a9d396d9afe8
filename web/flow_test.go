package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// articles are three plain entries for the flows.
func threeArticles(h *harness) []int64 {
	var ids []int64
	for i, title := range []string{"제네릭 실전", "SQLite WAL 모드", "zap 구조화 로깅"} {
		ids = append(ids, h.addEntry(draftEntry{Article: publisher.Article{
			Sections: entry.Sections{
				TitleKo:      title,
				Summary:      fmt.Sprintf("%s에 대한 요약입니다. 이 글은 Go 개발자에게 도움이 되는 내용을 설명합니다.", title),
				Introduction: fmt.Sprintf("%s 글의 소개입니다. 자세한 내용은 원문을 읽어 보세요.", title),
			},
			Link:     fmt.Sprintf("https://go.dev/blog/%d", i),
			LinkText: "Source " + title,
		}, SubmittedBy: "kim", Note: "좋은 글"}))
	}
	return ids
}

// The core flow without JavaScript: read the draft, edit a field (and
// have a broken edit refused, naming the rule), preview unsaved text,
// move and exclude entries, publish, read and download the issue.
func TestFlowWithoutJavaScript(t *testing.T) {
	h := newHarness(t, withTokens)
	ids := threeArticles(h)
	c := h.client()
	c.signIn(kimToken)

	page := c.get("/desk/")
	text := textOf(t, page.body)
	for _, want := range []string{"제네릭 실전", "SQLite WAL 모드", "실릴 글 3개", "Gemini 비용(지금까지): $0.0056",
		"2024년 9월 9일 (월) 06:00에 이번 주 호가 마감되어 검토로 넘어갑니다", "2024년 9월 10일 (화) 06:00에 저절로 발행됩니다"} {
		if !strings.Contains(text, want) {
			t.Errorf("the landing page lacks %q", want)
		}
	}
	if !strings.Contains(page.body, "<h2>제네릭 실전</h2>") {
		t.Error("the draft is not rendered")
	}

	// An edit with a heading is refused, shown as typed, naming the rule.
	path := fmt.Sprintf("/desk/entries/%d", ids[0])
	bad := url.Values{"title": {"제네릭 실전"}, "summary": {"## 제목이 든 요약입니다. 이 글은 Go 개발자에게 도움이 됩니다."}, "action": {"save"}}
	r := c.post(path, bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(textOf(t, r.body), "요약: 소제목 “## 제목이 든 요약") || !strings.Contains(r.body, "## 제목이 든 요약") {
		t.Errorf("a heading in an edit: %d\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, "heading") {
		t.Error("the refusal of a heading is in English")
	}
	// Preview shows unsaved text as it will be published.
	edited := "편집자가 고친 요약입니다. 이 글은 제네릭을 실제로 쓰는 방법을 설명합니다.\r\n둘째 줄입니다."
	r = c.post(path, url.Values{"title": {"제네릭 실전"}, "summary": {edited}, "action": {"preview"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, "저장 안 됨") || !strings.Contains(r.body, "편집자가 고친 요약입니다.") {
		t.Errorf("preview: %d", r.status)
	}
	if e, _ := h.desk.Entry(context.Background(), ids[0]); len(e.Edited) != 0 {
		t.Errorf("preview saved %v", e.Edited)
	}
	// Saving changes only the field that changed; line ends are "\n".
	r = c.follow(c.post(path, url.Values{"title": {"제네릭 실전"}, "summary": {edited}, "action": {"save"}}))
	if !strings.Contains(r.body, "요약을 저장했습니다") || !strings.Contains(r.body, "모델이 쓴 요약") {
		t.Errorf("after saving: %s", r.body)
	}
	e, _ := h.desk.Entry(context.Background(), ids[0])
	if len(e.Edited) != 1 || e.Edited[0] != "summary" || e.Summary != strings.ReplaceAll(edited, "\r\n", "\n") {
		t.Errorf("edited %v, summary %q", e.Edited, e.Summary)
	}
	// The live preview's endpoint answers the fragment.
	r = c.post(path+"/preview", url.Values{"summary": {"미리 보는 요약"}})
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "<h2>제네릭 실전</h2>") || !strings.Contains(r.body, "<p>미리 보는 요약</p>") {
		t.Errorf("live preview: %d %s", r.status, r.body)
	}

	// Move the third up (1 3 2), then the first to position 3 (3 2 1);
	// exclude the second.
	c.post(fmt.Sprintf("/desk/entries/%d/move", ids[2]), url.Values{"dir": {"up"}, "position": {"3"}})
	c.post(fmt.Sprintf("/desk/entries/%d/move", ids[0]), url.Values{"position": {"3"}})
	c.post(fmt.Sprintf("/desk/entries/%d/exclude", ids[1]), url.Values{"excluded": {"1"}})
	d, _ := h.desk.Draft(context.Background())
	var order []string
	for _, e := range d.Entries {
		order = append(order, fmt.Sprintf("%d%v", e.SubmissionID, e.Excluded))
	}
	if got := strings.Join(order, " "); got != fmt.Sprintf("%dfalse %dtrue %dfalse", ids[2], ids[1], ids[0]) {
		t.Errorf("order %s", got)
	}

	// Regeneration waits for Gemini, which is held: the editor is told,
	// by the form, which keeps the instruction.
	h.pauses.Hold("gemini", "no Gemini API key")
	r = c.post(fmt.Sprintf("/desk/entries/%d/regenerate", ids[2]), url.Values{"instruction": {"더 짧게"}})
	if r.status != http.StatusServiceUnavailable || !strings.Contains(textOf(t, r.body), "Gemini 사용 불가") ||
		!strings.Contains(r.body, `value="더 짧게"`) {
		t.Errorf("regenerating without Gemini: %d %s", r.status, r.body)
	}

	// Publish: the landing page leads to a confirmation, which publishes;
	// the issue opens, holding the edit and two articles.
	if !strings.Contains(c.get("/desk/").body, `href="/desk/draft/publish"`) {
		t.Fatal("the landing page does not lead to the publication's confirmation")
	}
	confirm := c.get("/desk/draft/publish")
	if text := textOf(t, confirm.body); !strings.Contains(text, "지금 발행할까요?") || !strings.Contains(text, "실릴 글 2개") ||
		!postsTo(confirm.body, "/desk/draft/publish") {
		t.Fatalf("the confirmation: %d\n%s", confirm.status, text)
	}
	r = c.post("/desk/draft/publish", nil)
	loc := r.header.Get("Location")
	r = c.follow(r)
	if !strings.HasPrefix(loc, "/desk/issues/") || !strings.Contains(r.body, "발행했습니다") || !strings.Contains(r.body, "편집자가 고친 요약입니다.") {
		t.Fatalf("after publishing, %s: %s", loc, r.body)
	}
	md := c.get(loc + "/markdown")
	if md.header.Get("Content-Disposition") != `attachment; filename=2024-09-02-gdc-weekly-newsletter-september-2nd-2024.md` {
		t.Errorf("download name %q", md.header.Get("Content-Disposition"))
	}
	is, _ := h.desk.Issue(context.Background(), 1)
	file, err := os.ReadFile(is.Location)
	if err != nil {
		t.Fatal(err)
	}
	if md.body != string(file) || strings.Count(md.body, "\n## ") != 3 || strings.Contains(md.body, "SQLite WAL 모드") {
		t.Errorf("the published file:\n%s", file)
	}
	if list := c.get("/desk/issues"); !strings.Contains(list.body, is.Title) || !strings.Contains(list.body, "마크다운 받기") {
		t.Error("the issue is not on the Issues page")
	}
	// Nothing left to publish.
	r = c.follow(c.post("/desk/draft/publish", nil))
	if !strings.Contains(r.body, "발행할 글이 없습니다") {
		t.Errorf("publishing an empty draft: %s", r.body)
	}
}

func TestSubmissionsPage(t *testing.T) {
	h := newHarness(t, withTokens)
	c := h.client()
	c.signIn(kimToken)
	r := c.follow(c.post("/desk/submissions", url.Values{"url": {"https://go.dev/blog/unique?utm_source=x"}, "submitted_by": {"kim"}, "note": {"좋은 글"}}))
	if !strings.Contains(r.body, "제출했습니다: #1") || !strings.Contains(r.body, "https://go.dev/blog/unique") || strings.Contains(r.body, "utm_source") {
		t.Errorf("after submitting: %s", r.body)
	}
	r = c.follow(c.post("/desk/submissions", url.Values{"url": {"https://go.dev/blog/unique"}}))
	if !strings.Contains(r.body, "이미 제출된 링크입니다: #1") {
		t.Error("a repeated link is not named")
	}
	for _, bad := range []string{"http://10.0.0.1/admin", "ftp://go.dev/x", ""} {
		r = c.post("/desk/submissions", url.Values{"url": {bad}, "note": {"메모를 남깁니다"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="메모를 남깁니다"`) {
			t.Errorf("submitting %q: %d", bad, r.status)
		}
	}
	ctx := context.Background()
	if _, _, err := h.Store.Claim(ctx, 1, h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Fail(ctx, 1, "fetcher: https://go.dev/blog/unique: 404 Not Found"); err != nil {
		t.Fatal(err)
	}
	r = c.get("/desk/submissions?state=failed")
	if !strings.Contains(r.body, "이유: fetcher: https://go.dev/blog/unique: 404 Not Found") || !strings.Contains(r.body, "시도 1회") ||
		!strings.Contains(r.body, "제출: kim") || !strings.Contains(r.body, "메모: 좋은 글") {
		t.Errorf("the failed submission: %s", r.body)
	}
	r = c.follow(c.post("/desk/submissions/1/retry", nil))
	if s, _ := h.Store.Submission(ctx, 1); s.State != store.StateNew || !strings.Contains(r.body, "다시 대기열에") {
		t.Errorf("retry: state %s", s.State)
	}
	r = c.follow(c.post("/desk/submissions/1/retry", nil))
	if !strings.Contains(r.body, "다시 시도할 수 없습니다") {
		t.Error("retrying a queued submission is not refused")
	}
	c.post("/desk/submissions/1/delete", nil)
	if s, _ := h.Store.Submission(ctx, 1); s.State != store.StateDeleted {
		t.Errorf("delete: state %s", s.State)
	}
}

func TestStatusPage(t *testing.T) {
	h := newHarness(t, withTokens)
	h.pauses.Hold("gemini", "no Gemini API key: summaries wait for GEMINI_API_KEY")
	c := h.client()
	c.signIn(kimToken)
	text := textOf(t, c.get("/desk/status").body)
	for _, want := range []string{"Gemini 멈춤", "이유: no Gemini API key", "저절로 돌아오지 않음", "다음 정기 실행: 2024년 9월 9일 (월) 06:00",
		"검토 후 발행 (승인이 없으면 24시간 뒤 자동 발행)", "test"} {
		if !strings.Contains(text, want) {
			t.Errorf("the status page lacks %q:\n%s", want, text)
		}
	}
	// Every page says loudly that summaries wait.
	if !strings.Contains(textOf(t, c.get("/desk/").body), "Gemini 사용 불가: 새 요약과 다시 생성은") {
		t.Error("the landing page does not say Gemini is paused")
	}
}

// An issue frozen for review says when it publishes on its own, or that
// it waits for an editor; articles after the freeze wait for the next one.
func TestReviewIssuePlan(t *testing.T) {
	for _, tt := range []struct {
		name      string
		publishAt time.Time
		want      string
	}{
		{"publishes on its own", time.Date(2024, 9, 10, 6, 0, 0, 0, seoul), "아무도 승인하지 않으면 2024년 9월 10일 (화) 06:00에 저절로 발행됩니다"},
		{"waits for an editor", time.Time{}, "편집자가 승인해야 발행됩니다 (자동 발행 없음)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			threeArticles(h)
			if _, err := h.Store.Freeze(context.Background(), store.NewIssue{Week: "2024-W36", Title: "[GDC] Weekly Newsletter September 2nd",
				Slug: "gdc-weekly-newsletter-september-2nd-2024", Date: t0, PublishAt: tt.publishAt}); err != nil {
				t.Fatal(err)
			}
			h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "다음 주 글", Summary: "다음 주에 실릴 글의 요약입니다.", Introduction: "소개"}, Link: "https://go.dev/blog/next"}})
			c := h.client()
			c.signIn(kimToken)
			text := textOf(t, c.get("/desk/").body)
			for _, want := range []string{"검토 중", "검토를 기다립니다", tt.want, "다음 호에 벌써 글 1개가 기다립니다", "실릴 글 3개"} {
				if !strings.Contains(text, want) {
					t.Errorf("the landing page lacks %q", want)
				}
			}
		})
	}
}

// A published issue can be corrected from the web: its page links to its
// entries and marks those changed since it went out, beside the republish
// button; an entry's page leads back to the issue by its title and says a
// republish is needed.
func TestCorrectPublishedIssue(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, withTokens)
	ids := threeArticles(h)
	is, err := h.desk.Approve(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	c := h.client()
	c.signIn(kimToken)
	issuePath := fmt.Sprintf("/desk/issues/%d", is.ID)
	page := c.get(issuePath).body
	for _, id := range ids {
		if !strings.Contains(page, fmt.Sprintf(`href="/desk/entries/%d"`, id)) {
			t.Errorf("the published issue's page does not link to entry %d", id)
		}
	}
	if text := textOf(t, page); strings.Contains(text, "발행 뒤 바뀜") || strings.Contains(text, "다시 발행해야 독자에게") {
		t.Errorf("an issue nobody changed is marked changed:\n%s", text)
	}
	entry := c.get(fmt.Sprintf("/desk/entries/%d", ids[0])).body
	if !strings.Contains(entry, fmt.Sprintf(`<a href="%s">← %s</a>`, issuePath, is.Title)) || strings.Contains(entry, "← 이번 호") {
		t.Errorf("the entry's back link does not name its issue")
	}
	h.Clock.Advance(time.Minute)
	r := c.follow(c.post(fmt.Sprintf("/desk/entries/%d", ids[0]), url.Values{"title": {"고친 제목"}}))
	if !strings.Contains(textOf(t, r.body), "저장했습니다") {
		t.Fatalf("the edit: %s", textOf(t, r.body))
	}
	if text := textOf(t, r.body); !strings.Contains(text, "발행 뒤에 바뀌었습니다(편집)") {
		t.Errorf("the edited entry's page does not say it changed since publication:\n%s", text)
	}
	page = c.get(issuePath).body
	text := textOf(t, page)
	if !strings.Contains(text, "발행 뒤에 바뀐 글이 1개 있습니다") || !strings.Contains(text, fmt.Sprintf("#%d 고친 제목 발행 뒤 바뀜: 편집", ids[0])) {
		t.Errorf("the issue's page does not mark the changed entry:\n%s", text)
	}
	if !strings.Contains(page, fmt.Sprintf(`class="button primary" href="%s/publish"`, issuePath)) {
		t.Error("the republish button is not the page's main action once an entry changed")
	}
}

// A link already published is refused on the submissions page, naming the
// issue with a link to it, and the form offers to include it again.
func TestSubmitPublishedLinkAgain(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, withTokens)
	ids := threeArticles(h)
	is, err := h.desk.Approve(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	e, err := h.desk.Entry(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	c := h.client()
	c.signIn(kimToken)
	r := c.post("/desk/submissions", url.Values{"url": {e.URL}})
	if r.status != http.StatusConflict {
		t.Fatalf("submitting a published link: %d, want 409", r.status)
	}
	checkLabels(t, "/desk/submissions", r.body)
	if text := textOf(t, r.body); !strings.Contains(text, fmt.Sprintf("이미 %d호(%s", is.ID, is.Title)) {
		t.Errorf("the refusal does not name the issue:\n%s", text)
	}
	if !strings.Contains(r.body, fmt.Sprintf(`href="/desk/issues/%d"`, is.ID)) || !strings.Contains(r.body, `name="again" value="1"`) {
		t.Error("the refusal links no issue or offers no way to include it again")
	}
	r = c.follow(c.post("/desk/submissions", url.Values{"url": {e.URL}, "again": {"1"}}))
	if !strings.Contains(textOf(t, r.body), "이미 실린 링크를 다시 싣도록 제출했습니다") {
		t.Errorf("including it again: %s", textOf(t, r.body))
	}
}
