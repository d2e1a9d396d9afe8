package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

func ptr[T any](v T) *T { return &v }

// A submission is checked here once for every front end: the URL (no
// traffic to it), the free text, the limits.
func TestSubmit(t *testing.T) {
	tests := []struct {
		name    string
		req     api.SubmissionRequest
		want    refusal
		wantURL string
	}{
		{"created, normalised", api.SubmissionRequest{URL: " https://go.dev/blog/unique?utm_source=x ", SubmittedBy: " kim ", Note: "좋은 글"},
			refusal{}, "https://go.dev/blog/unique"},
		{"no scheme: https", api.SubmissionRequest{URL: "go.dev/blog/unique", SubmittedBy: "kim"}, refusal{}, "https://go.dev/blog/unique"},
		{"no scheme, loopback", api.SubmissionRequest{URL: "127.0.0.1/admin"}, refusal{Invalid, "url_refused", "refused address 127.0.0.1 (loopback)", "받을 수 없는 링크입니다", "url", ""}, ""},
		{"no url", api.SubmissionRequest{Note: "x"}, refusal{Invalid, "required", `"url" is required`, "링크를 입력하세요", "url", ""}, ""},
		{"not a URL", api.SubmissionRequest{URL: "example dot com"}, refusal{Invalid, "url_refused", "url: ", "받을 수 없는 링크입니다: ", "url", ""}, ""},
		{"ftp", api.SubmissionRequest{URL: "ftp://go.dev/x"}, refusal{Invalid, "url_refused", "scheme", "받을 수 없는 링크입니다", "url", ""}, ""},
		{"loopback", api.SubmissionRequest{URL: "http://0x7f.1/admin"}, refusal{Invalid, "url_refused",
			"url: http://127.0.0.1/admin: refused address 127.0.0.1 (loopback)", "받을 수 없는 링크입니다: http://127.0.0.1/admin: refused address 127.0.0.1 (loopback)", "url", ""}, ""},
		{"private", api.SubmissionRequest{URL: "http://10.0.0.1/x"}, refusal{Invalid, "url_refused", "private network", "private network", "url", ""}, ""},
		{"credentials", api.SubmissionRequest{URL: "https://user:pw@go.dev/"}, refusal{Invalid, "url_refused", "credentials", "credentials", "url", ""}, ""},
		{"a URL too long", api.SubmissionRequest{URL: "https://go.dev/" + strings.Repeat("a", MaxURL)}, refusal{Invalid, "too_long", `"url" is 4015 characters long; the limit is 4000`, "링크가 4015자입니다. 4000자까지", "url", ""}, ""},
		{"submitter too long", api.SubmissionRequest{URL: "https://go.dev/", SubmittedBy: strings.Repeat("가", MaxSubmittedBy+1)},
			refusal{Invalid, "too_long", `"submitted_by" is 101 characters long; the limit is 100`, "제출자가 101자입니다. 100자까지 쓸 수 있습니다.", "submitted_by", ""}, ""},
		{"note too long", api.SubmissionRequest{URL: "https://go.dev/", Note: strings.Repeat("가", MaxNote+1)},
			refusal{Invalid, "too_long", `"note" is 1001 characters long; the limit is 1000`, "메모가 1001자입니다. 1000자까지 쓸 수 있습니다.", "note", ""}, ""},
		{"note not UTF-8", api.SubmissionRequest{URL: "https://go.dev/", Note: "caf\xe9"}, refusal{Invalid, "not_utf8", `"note" is not valid UTF-8`, "메모에 UTF-8이 아닌 글자가", "note", ""}, ""},
		{"NUL in the note", api.SubmissionRequest{URL: "https://go.dev/", Note: "a\x00b"}, refusal{Invalid, "nul_byte", `"note" holds a NUL character`, "메모에 NUL 문자가", "note", ""}, ""},
		{"NUL in the submitter", api.SubmissionRequest{URL: "https://go.dev/", SubmittedBy: "kim\x00"}, refusal{Invalid, "nul_byte", `"submitted_by" holds a NUL character`, "제출자에 NUL 문자가", "submitted_by", ""}, ""},
		{"NUL in the URL", api.SubmissionRequest{URL: "https://go.dev/\x00"}, refusal{Invalid, "nul_byte", `"url" holds a NUL character`, "링크에 NUL 문자가", "url", ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			sub, err := h.desk.Submit(context.Background(), tt.req, Caller{})
			tt.want.check(t, err)
			if tt.want.code != "" {
				if n, _ := h.Store.Submissions(context.Background(), store.Filter{}); len(n) != 0 || h.woken != 0 {
					t.Errorf("a refused submission stored %d, woke the worker %d times", len(n), h.woken)
				}
				return
			}
			if sub.URL != tt.wantURL || sub.SubmittedBy != "kim" || sub.State != "new" || !sub.Deletable || h.woken != 1 {
				t.Errorf("submission %+v, woken %d", sub, h.woken)
			}
		})
	}
}

// The same URL again is the queued submission; one that had failed is
// queued again.
func TestSubmitAgain(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	first, err := h.desk.Submit(ctx, api.SubmissionRequest{URL: "https://go.dev/blog/a"}, Caller{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.desk.Submit(ctx, api.SubmissionRequest{URL: "https://GO.dev/blog/a?utm_source=x"}, Caller{})
	if err != nil || !again.Existing || again.ID != first.ID || h.woken != 1 {
		t.Errorf("again: %+v %v, woken %d", again, err, h.woken)
	}
	id := h.failed("https://go.dev/blog/gone")
	requeued, err := h.desk.Submit(ctx, api.SubmissionRequest{URL: "https://go.dev/blog/gone"}, Caller{})
	if err != nil || !requeued.Requeued || requeued.ID != id || requeued.State != "new" || h.woken != 2 {
		t.Errorf("requeued: %+v %v, woken %d", requeued, err, h.woken)
	}
}

func TestSubmissionsFilter(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.addEntry("A")
	h.failed("https://go.dev/blog/gone")
	tests := []struct {
		states, limit string
		want          refusal
		wantN         int
	}{
		{"", "", refusal{}, 2},
		{"failed", "", refusal{}, 1},
		{"new, summarized", "", refusal{}, 1},
		{"", "1", refusal{}, 1},
		{"gone", "", refusal{Invalid, "unknown_state", `unknown state "gone"; want one of new, processing`, "알 수 없는 상태", "state", ""}, 0},
		{"", "0", refusal{Invalid, "bad_limit", "limit must be a number from 1 to 1000", "1000까지", "limit", ""}, 0},
		{"", "x", refusal{Invalid, "bad_limit", `not "x"`, "숫자", "limit", ""}, 0},
	}
	for _, tt := range tests {
		page, err := h.desk.SubmissionPage(ctx, api.SubmissionQuery{State: tt.states, Limit: tt.limit})
		tt.want.check(t, err)
		if len(page.Submissions) != tt.wantN || (err == nil && page.Total != tt.wantN && tt.limit == "") {
			t.Errorf("states %q limit %q: %d submissions of %d, want %d", tt.states, tt.limit, len(page.Submissions), page.Total, tt.wantN)
		}
	}
}

// A long queue is read a page at a time, newest first, each page saying
// where the pages beside it start and how many there are in all.
func TestSubmissionPages(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	for i := range 7 { // ids 1 to 7
		h.failed(fmt.Sprintf("https://go.dev/blog/%d", i))
	}
	tests := []struct {
		q            api.SubmissionQuery
		want         []int64
		older, newer int64
		refusal      refusal
	}{
		{api.SubmissionQuery{Limit: "3"}, []int64{7, 6, 5}, 5, 0, refusal{}},
		{api.SubmissionQuery{Limit: "3", Before: "5"}, []int64{4, 3, 2}, 2, 4, refusal{}},
		{api.SubmissionQuery{Limit: "3", Before: "2"}, []int64{1}, 0, 1, refusal{}},
		{api.SubmissionQuery{Limit: "3", After: "1"}, []int64{4, 3, 2}, 2, 4, refusal{}},
		{api.SubmissionQuery{Limit: "3", After: "4"}, []int64{7, 6, 5}, 5, 0, refusal{}},
		{api.SubmissionQuery{State: "failed", Limit: "3", Before: "3"}, []int64{2, 1}, 0, 2, refusal{}},
		{api.SubmissionQuery{State: "new"}, nil, 0, 0, refusal{}},
		{api.SubmissionQuery{Before: "x"}, nil, 0, 0, refusal{Invalid, "bad_page", `before must be a submission id from 1, not "x"`, "페이지 위치는", "before", ""}},
		{api.SubmissionQuery{After: "0"}, nil, 0, 0, refusal{Invalid, "bad_page", `after must be a submission id from 1, not "0"`, "페이지 위치는", "after", ""}},
		{api.SubmissionQuery{Search: " blog/3 "}, []int64{4}, 0, 0, refusal{}},
		{api.SubmissionQuery{Search: "blog/", Limit: "2", Before: "4"}, []int64{3, 2}, 2, 3, refusal{}},
		{api.SubmissionQuery{Search: strings.Repeat("가", MaxSearch+1)}, nil, 0, 0, refusal{Invalid, "too_long", `field "q" is 201 characters long; the limit is 200`, "검색어가 201자입니다", "q", ""}},
	}
	for _, tt := range tests {
		page, err := h.desk.SubmissionPage(ctx, tt.q)
		tt.refusal.check(t, err)
		var got []int64
		for _, s := range page.Submissions {
			got = append(got, s.ID)
		}
		wantTotal := 7
		switch {
		case tt.q.State == "new" || err != nil:
			wantTotal = 0
		case strings.TrimSpace(tt.q.Search) == "blog/3":
			wantTotal = 1
		}
		if !slices.Equal(got, tt.want) || page.Older != tt.older || page.Newer != tt.newer || page.Total != wantTotal {
			t.Errorf("%+v: %v older %d newer %d of %d; want %v older %d newer %d of %d", tt.q, got, page.Older, page.Newer, page.Total,
				tt.want, tt.older, tt.newer, wantTotal)
		}
	}
}

// The draft lists the oldest PageSize submissions on their way and counts
// them all, however many wait.
func TestDraftPendingCapped(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	n := PageSize + 5
	for i := range n {
		if _, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: fmt.Sprintf("https://go.dev/blog/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := h.desk.Draft(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Pending) != PageSize || v.PendingTotal != n || v.Pending[0].ID != 1 || v.Pending[PageSize-1].ID != PageSize {
		t.Errorf("pending: %d listed (#%d first) of %d, want the oldest %d of %d", len(v.Pending), v.Pending[0].ID, v.PendingTotal, PageSize, n)
	}
}

// Retry queues a failed submission only; delete withdraws a queued one
// only, and says which issue keeps one it refuses.
func TestRetryAndDelete(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		scene  func(h *harness) int64
		retry  refusal
		delete refusal
	}{
		{"failed", func(h *harness) int64 { return h.failed("https://go.dev/x") }, refusal{}, refusal{}},
		{"summarised, in the draft", func(h *harness) int64 { return h.addEntry("A") },
			refusal{Conflict, "retry_refused", "submission 1 cannot be retried: it is summarized, not failed", "제출 #1은 요약됨 상태라 다시 시도할 수 없습니다", "", ""}, refusal{}},
		{"published", func(h *harness) int64 { id := h.addEntry("A"); h.publish(); return id },
			refusal{Conflict, "retry_refused", "cannot be retried", "제출 #1은 발행됨 상태라", "", ""},
			refusal{Conflict, "delete_refused", "submission 1 cannot be deleted: it is in published issue 1", "제출 #1은 발행된 1호에 실려 지울 수 없습니다.", "", ""}},
		{"missing", func(h *harness) int64 { return 99 },
			refusal{NotFound, "not_found", "submission 99 not found", "제출 #99를 찾을 수 없습니다.", "", ""},
			refusal{NotFound, "not_found", "submission 99 not found", "제출 #99를 찾을 수 없습니다.", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			id := tt.scene(h)
			if tt.delete.code == "" && tt.name != "missing" {
				sub, err := h.desk.Submission(ctx, id)
				if err != nil || !sub.Deletable {
					t.Errorf("submission %+v %v: not deletable", sub, err)
				}
			}
			_, err := h.desk.Retry(ctx, id, "kim")
			tt.retry.check(t, err)
			sub, err := h.desk.Delete(ctx, id, "kim")
			tt.delete.check(t, err)
			if tt.delete.code == "" && sub.State != "deleted" {
				t.Errorf("deleted: %+v", sub)
			}
		})
	}
}

// An edit checks its texts and the rules of an entry, names each
// violation, and changes nothing when refused.
func TestEdit(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change api.Change
		want   refusal
		check  func(api.Entry) bool
	}{
		{"a field", api.Change{Fields: map[string]*string{"summary": ptr("편집자가 고친 요약입니다.")}}, refusal{},
			func(e api.Entry) bool {
				return e.Summary == "편집자가 고친 요약입니다." && len(e.Edited) == 1 && e.ModelText["summary"] == "모델이 쓴 요약입니다."
			}},
		{"excluded", api.Change{Excluded: ptr(true)}, refusal{}, func(e api.Entry) bool { return e.Excluded }},
		{"moved", api.Change{Position: ptr(2)}, refusal{}, func(e api.Entry) bool { return e.Position == 2 }},
		{"nothing", api.Change{}, refusal{Invalid, "nothing_to_change", "nothing to change", "바뀐 칸이 없습니다", "", ""}, nil},
		{"an unknown field", api.Change{Fields: map[string]*string{"tags": ptr("go")}}, refusal{Invalid, "unknown_field", `unknown field "tags"`, "고칠 칸을 알 수 없습니다", "tags", ""}, nil},
		{"position 0", api.Change{Position: ptr(0)}, refusal{Invalid, "bad_position", `"position" must be a number from 1`, "위치는 1 이상의 숫자", "position", ""}, nil},
		{"too long", api.Change{Fields: map[string]*string{"caution": ptr(strings.Repeat("가", MaxField+1))}},
			refusal{Invalid, "too_long", `"caution" is 5001 characters long; the limit is 5000`, "주의가 5001자입니다", "caution", ""}, nil},
		{"NUL", api.Change{Fields: map[string]*string{"summary": ptr("a\x00")}}, refusal{Invalid, "nul_byte", "NUL", "요약에 NUL 문자가", "summary", ""}, nil},
		{"a heading", api.Change{Fields: map[string]*string{"introduction": ptr("## 설치\n본문입니다.")}},
			refusal{Unprocessable, "edit_refused", "the edit breaks the rules of an entry: introduction: heading", "고칠 곳이 있어 저장하지 않았습니다. 소개: 소제목 “## 설치”는 쓸 수 없습니다", "introduction", "markup"}, nil},
		{"an empty title", api.Change{Fields: map[string]*string{"title": ptr(" ")}},
			refusal{Unprocessable, "edit_refused", "title: is empty; it is required", "제목: 비워 둘 수 없습니다.", "title", "fields"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			id := h.addEntry("A")
			h.addEntry("B")
			before, _ := h.desk.Entry(ctx, id)
			e, err := h.desk.Edit(ctx, id, tt.change, "kim")
			tt.want.check(t, err)
			if tt.check != nil && !tt.check(e) {
				t.Errorf("entry after the edit: %+v", e)
			}
			if tt.want.code != "" {
				if after, _ := h.desk.Entry(ctx, id); after.Summary != before.Summary || after.Introduction != before.Introduction || after.Title != before.Title || after.Position != before.Position {
					t.Errorf("a refused edit changed the entry: %+v", after)
				}
			}
		})
	}
}

// An action on the entry of a submission without one says the
// submission's state.
func TestEditWithoutSummary(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	id := h.failed("https://go.dev/x")
	_, err := h.desk.Edit(ctx, id, api.Change{Excluded: ptr(true)}, "kim")
	refusal{Conflict, "conflict", "the summary of submission 1: it is failed", "글 #1은 실패 상태라 요약이 없습니다", "", ""}.check(t, err)
	_, err = h.desk.Regenerate(ctx, id, "", "kim")
	refusal{Conflict, "conflict", "the summary of submission 1: it is failed", "글 #1은 실패 상태라 요약이 없습니다", "", ""}.check(t, err)
	_, err = h.desk.Entry(ctx, 7)
	refusal{NotFound, "not_found", "the summary of submission 7 not found", "글 #7을 찾을 수 없습니다", "", ""}.check(t, err)
}

func TestSetIntro(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		text string
		want refusal
	}{
		{"이번 주에는 제네릭을 다룬 글이 많습니다.", refusal{}},
		{"## 이번 주\n글입니다.", refusal{Unprocessable, "edit_refused", "intro: heading", "여는 글: 소제목 “## 이번 주”는 쓸 수 없습니다", "intro", "markup"}},
		{strings.Repeat("가", MaxField+1), refusal{Invalid, "too_long", `"intro" is 5001 characters long`, "여는 글이 5001자입니다", "intro", ""}},
	}
	for _, tt := range tests {
		h := newHarness(t, nil)
		err := h.desk.SetIntro(ctx, tt.text)
		tt.want.check(t, err)
		d, derr := h.desk.Draft(ctx)
		if derr != nil {
			t.Fatal(derr)
		}
		if (d.Intro == tt.text) != (tt.want.code == "") {
			t.Errorf("intro %q after setting %q", d.Intro, tt.text)
		}
	}
}

// A regeneration takes Gemini's new answer; one the guardrails refuse
// after the corrective retry leaves the entry as it was and says why; an
// outage says when to try again.
func TestRegenerate(t *testing.T) {
	ctx := context.Background()
	heading := map[string]string{"title_ko": "제네릭 실전", "summary": "## 설치\n본문입니다.",
		"introduction": "소개하는 글입니다.", "recommendation": "", "caution": ""}
	tests := []struct {
		name        string
		instruction string
		prepare     func(h *harness)
		want        refusal
	}{
		{"answered", "더 짧게", func(h *harness) { h.Gemini.Enqueue(geminitest.Echo()) }, refusal{}},
		{"refused by the guardrails", "", func(h *harness) { h.Gemini.Enqueue(geminitest.JSON(heading), geminitest.JSON(heading)) },
			refusal{Unprocessable, "regeneration_refused", "submission 1 was not regenerated: Gemini's answer broke the guardrails after a corrective retry: ",
				"글 #1을 다시 생성하지 않았습니다: Gemini의 답이 고쳐 달라고 한 번 더 물은 뒤에도 규칙에 맞지 않았습니다. ", "", "markup"}},
		{"blocked", "", func(h *harness) { h.Gemini.Enqueue(geminitest.Blocked("SAFETY")) },
			refusal{Unprocessable, "regeneration_blocked", "the model blocked the answer (SAFETY)", "모델이 답을 막았습니다(SAFETY)", "", ""}},
		{"Gemini paused", "", func(h *harness) {
			h.pauses.Pause("gemini", retry.Unavailable("gemini", t0.Add(20*time.Minute), errors.New("daily quota exhausted")))
		}, refusal{Unavailable, "unavailable", "gemini is unavailable, try again later", "Gemini 사용 불가: 지금은 할 수 없습니다. 2024년 9월 2일 (월) 07:20 이후에 다시 시도하세요.", "", ""}},
		{"an instruction too long", strings.Repeat("가", MaxInstruction+1), func(*harness) {},
			refusal{Invalid, "too_long", `"instruction" is 501 characters long; the limit is 500`, "지시가 501자입니다", "instruction", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			id := h.addEntry("Generics in practice")
			tt.prepare(h)
			e, err := h.desk.Regenerate(ctx, id, tt.instruction, "kim")
			tt.want.check(t, err)
			after, _ := h.desk.Entry(ctx, id)
			if changed := after.Summary != "모델이 쓴 요약입니다."; changed != (tt.want.code == "") {
				t.Errorf("summary %q after the regeneration", after.Summary)
			}
			if tt.want.code == "" && e.Summary != after.Summary {
				t.Errorf("answered %q, stored %q", e.Summary, after.Summary)
			}
			var de *Error
			if errors.As(err, &de) && de.Kind == Unavailable && !de.RetryAt.Equal(t0.Add(20*time.Minute)) {
				t.Errorf("retry at %v, want %v", de.RetryAt, t0.Add(20*time.Minute))
			}
			if errors.As(err, &de) && de.Code == "regeneration_refused" && (!strings.Contains(de.Message, `summary: heading "## 설치"`) ||
				!strings.Contains(de.Korean, "요약: 소제목 “## 설치”는 쓸 수 없습니다")) {
				t.Errorf("the refusal does not name the heading: %q / %q", de.Message, de.Korean)
			}
			if errors.As(err, &de) && de.Code == "regeneration_refused" && (de.Usage == nil || de.Usage.Requests != 2 ||
				de.Body().Usage == nil || !strings.Contains(de.Message, "the attempt used 2 Gemini requests") ||
				!strings.Contains(de.Korean, "이번 시도에 쓴 Gemini: 요청 2번")) {
				t.Errorf("the refusal does not say what the attempt cost: %+v / %q / %q", de.Usage, de.Message, de.Korean)
			}
		})
	}
}

// Approving publishes the upcoming issue once; what cannot be published
// says why, before and after.
func TestPublishing(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	d, err := h.desk.Draft(ctx)
	if err != nil {
		t.Fatal(err)
	}
	refusal{Conflict, "nothing_to_publish", "nothing to publish", "발행할 글이 없습니다", "", ""}.check(t, h.desk.PublishRefusal(ctx, d, false))
	_, err = h.desk.Approve(ctx, "kim")
	refusal{Conflict, "nothing_to_publish", "nothing to publish", "발행할 글이 없습니다", "", ""}.check(t, err)

	h.addEntry("A")
	if d, _ = h.desk.Draft(ctx); h.desk.PublishRefusal(ctx, d, false) != nil || len(d.Entries) != 1 || d.State != "draft" {
		t.Fatalf("draft %+v", d)
	}
	id := h.publish()
	is, err := h.desk.Issue(ctx, id)
	if err != nil || is.State != "published" || is.ApprovedBy != "kim" || !strings.Contains(is.Markdown, "A 한국어 제목") {
		t.Fatalf("issue %+v %v", is, err)
	}
	h.addEntry("B")
	d, _ = h.desk.Draft(ctx)
	refusal{Conflict, "week_taken", "this week has its issue already", "이번 주 호는 이미 나갔습니다", "", ""}.check(t, h.desk.PublishRefusal(ctx, d, false))
	_, err = h.desk.Approve(ctx, "kim")
	refusal{Conflict, "week_taken", "this week has its issue already", "이번 주 호는 이미 나갔습니다", "", ""}.check(t, err)

	if _, err := h.desk.Republish(ctx, id, "lee", false); err != nil {
		t.Errorf("publishing again: %v", err)
	}
	_, err = h.desk.Republish(ctx, 9, "lee", false)
	refusal{NotFound, "not_found", "issue 9 not found", "9호를 찾을 수 없습니다", "", ""}.check(t, err)
	_, err = h.desk.PublishHashnode(ctx, id)
	refusal{Conflict, "no_hashnode", "no Hashnode publication is configured", "Hashnode 발행이 설정되어 있지 않습니다", "", ""}.check(t, err)
	_, err = h.desk.PublishListmonk(ctx, id)
	refusal{Conflict, "no_listmonk", "no listmonk is configured", "listmonk 발송이 설정되어 있지 않습니다", "", ""}.check(t, err)
	_, err = h.desk.TestSend(ctx, id)
	refusal{Conflict, "no_test_outlet", "no outlet takes a test send", "시험 발송을 받을 곳이 없습니다", "", ""}.check(t, err)
	_, err = h.desk.TestSend(ctx, 0)
	refusal{Conflict, "no_issue_to_test", "no issue is in review", "검토 중인 호가 없습니다", "", ""}.check(t, err)
	if issues, err := h.desk.Issues(ctx); err != nil || len(issues) != 1 || issues[0].ID != id {
		t.Errorf("issues %+v %v", issues, err)
	}
}

// Publishing again an issue that waits for review is approving it.
func TestRepublishInReview(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	h.addEntry("A")
	is, err := h.Store.Freeze(ctx, store.NewIssue{Week: "2024-W36", Title: "제목", Slug: "slug", Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.desk.Republish(ctx, is.ID, "kim", false)
	refusal{Conflict, "conflict", "issue 1 waits for review; approve it instead", "1호는 검토를 기다립니다", "", ""}.check(t, err)
	v, _ := h.desk.Issue(ctx, is.ID)
	refusal{Conflict, "conflict", "issue 1", "1호는 검토를 기다립니다", "", ""}.check(t, h.desk.PublishRefusal(ctx, v, true))
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, func(c *config.Config) {
		c.Schedule.PublishAfter = 24 * time.Hour
		c.Publisher.Hashnode = config.Hashnode{PublicationID: "pub", Token: "pat", Mode: " Publish "}
		c.Notify.Webhooks = []string{"https://chat.example/hook"}
	})
	h.addEntry("A")
	h.failed("https://go.dev/gone")
	h.pauses.Pause("gemini", retry.Unavailable("gemini", t0.Add(time.Hour), errors.New("daily quota exhausted")))
	st, err := h.desk.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != "test" || st.Submissions["summarized"] != 1 || st.Submissions["failed"] != 1 || len(st.Submissions) != len(api.States) ||
		st.NextRun == nil || st.Mode != config.ModeReview || st.PublishAfter != 24*time.Hour {
		t.Errorf("status %+v", st)
	}
	if len(st.Dependencies) != 1 || st.Dependencies[0].Up || !strings.Contains(st.Dependencies[0].Reason, "daily quota") {
		t.Errorf("dependencies %+v", st.Dependencies)
	}
	if o := h.desk.Outlets(); o.Hashnode != "publish" || o.Chats != 1 || o.Dir == "" {
		t.Errorf("outlets %+v", o)
	}
	_, err = h.desk.Run(ctx, 4)
	refusal{NotFound, "not_found", "run 4 not found", "실행 #4를 찾을 수 없습니다", "", ""}.check(t, err)
}

func TestHistoryAndArticle(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	id := h.addEntry("A")
	if _, err := h.desk.Edit(ctx, id, api.Change{Fields: map[string]*string{"summary": ptr("고친 요약입니다.")}}, "kim"); err != nil {
		t.Fatal(err)
	}
	events, err := h.desk.History(ctx, id)
	if err != nil || len(events) == 0 || events[len(events)-1].Kind != "edited" || len(events[len(events)-1].Edit) == 0 || events[len(events)-1].Actor != "kim" {
		t.Errorf("history %+v %v", events, err)
	}
	a, err := h.desk.Article(ctx, id)
	if err != nil || a.Title != "A" || !strings.Contains(a.Text, "generics") {
		t.Errorf("article %+v %v", a, err)
	}
	_, err = h.desk.History(ctx, 9)
	refusal{NotFound, "not_found", "submission 9 not found", "제출 #9를 찾을 수 없습니다", "", ""}.check(t, err)
	_, err = h.desk.Article(ctx, 9)
	refusal{NotFound, "not_found", "the article of submission 9 not found", "글 #9의 원문이 없습니다", "", ""}.check(t, err)
}

// The API names the states the store has, in its order.
func TestStatesOfTheAPI(t *testing.T) {
	var names []string
	for _, st := range store.States {
		names = append(names, string(st))
	}
	if strings.Join(names, ",") != strings.Join(api.States, ",") {
		t.Errorf("api.States %v, store.States %v", api.States, names)
	}
	var fields []string
	for _, f := range entry.Fields {
		fields = append(fields, string(f))
	}
	if strings.Join(fields, ",") != strings.Join(api.Fields, ",") {
		t.Errorf("api.Fields %v, entry.Fields %v", api.Fields, fields)
	}
}

// A link already published is refused, naming the issue, unless asked for
// again on purpose.
func TestSubmitPublishedLink(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	id := h.addEntry("Generics in practice")
	is, err := h.desk.Approve(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	e, err := h.desk.Entry(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.desk.Submit(ctx, api.SubmissionRequest{URL: e.URL, SubmittedBy: "lee"}, Caller{})
	refusal{Conflict, "already_published", fmt.Sprintf("was already published in issue %d ([GDC] Weekly Newsletter September 2nd, 2024-09-02) as submission %d", is.ID, id),
		fmt.Sprintf("이미 %d호([GDC] Weekly Newsletter September 2nd, 2024년 9월 2일 (월) 자)에 실린 링크입니다(글 #%d)", is.ID, id), "url", ""}.check(t, err)
	var de *Error
	if !errors.As(err, &de) || de.IssueID != is.ID || de.Body().IssueID != is.ID {
		t.Errorf("the refusal does not name issue %d: %+v", is.ID, de)
	}
	if page, _ := h.desk.SubmissionPage(ctx, api.SubmissionQuery{}); page.Total != 1 {
		t.Errorf("a refused link was recorded: %d submissions", page.Total)
	}
	sub, err := h.desk.Submit(ctx, api.SubmissionRequest{URL: e.URL, SubmittedBy: "kim", Again: true}, Caller{})
	if err != nil || sub.ID == id || sub.Existing {
		t.Fatalf("submitted again on purpose: %+v, %v", sub, err)
	}
}
