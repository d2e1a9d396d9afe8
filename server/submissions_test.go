package server

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/store"
)

func TestCreateSubmission(t *testing.T) {
	ts := newTestServer(t, func(o *Options) { o.Server.MaxBodyBytes = 512 })
	tests := []struct {
		name      string
		body      string
		header    []string
		want      int
		wantInErr string // part of the error message naming the problem
	}{
		{"created", `{"url":"https://example.com/post?utm_source=x","submitted_by":"kim","note":"좋은 글"}`, nil, 201, ""},
		{"same URL again", `{"url":"https://EXAMPLE.com/post"}`, nil, 200, ""},
		{"other URL", `{"url":"https://example.com/other"}`, nil, 201, ""},
		{"no url", `{"note":"x"}`, nil, 400, `"url" is required`},
		{"blank url", `{"url":"  "}`, nil, 400, `"url" is required`},
		// The desk's refusal, with its code and field (the rules have
		// their tests in package desk).
		{"a refused URL", `{"url":"http://127.0.0.1:8080/admin"}`, nil, 400, "url: http://127.0.0.1:8080/admin: refused address 127.0.0.1 (loopback)"},
		{"unknown field", `{"url":"https://example.com/x","tags":["go"]}`, nil, 400, `unknown field "tags"`},
		{"wrong type", `{"url":42}`, nil, 400, `"url" must be a string`},
		{"not an object", `["https://example.com/x"]`, nil, 400, "JSON object"},
		{"bad JSON", `{"url":`, nil, 400, "truncated"},
		{"syntax error", `{url: "x"}`, nil, 400, "not valid JSON"},
		{"trailing data", `{"url":"https://example.com/x"} {}`, nil, 400, "single JSON object"},
		{"empty body", ``, nil, 400, "empty"},
		{"too large", `{"url":"https://example.com/x","note":"` + strings.Repeat("a", 600) + `"}`, nil, 413, "larger than 512 bytes"},
		{"wrong content type", `{"url":"https://example.com/x"}`, []string{"Content-Type", "text/plain"}, 415, "application/json"},
		// encoding/json would have replaced the bytes with U+FFFD before
		// any check of the field could see them.
		{"invalid UTF-8 in a field", "{\"url\":\"https://example.com/x\",\"note\":\"caf\xe9\"}", nil, 400, "request body is not valid UTF-8 (at byte 42)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, h := ts.do(t, "POST", "/api/v1/submissions", tt.body, tt.header...)
			if code != tt.want {
				t.Fatalf("status %d, want %d: %s", code, tt.want, body)
			}
			if code >= 400 {
				e := decode[api.ErrorBody](t, body)
				if !strings.Contains(e.Error, tt.wantInErr) {
					t.Errorf("error %q does not contain %q", e.Error, tt.wantInErr)
				}
				if e.Code == "" || tt.name == "a refused URL" && (e.Code != "url_refused" || e.Field != "url") {
					t.Errorf("error %+v: code %q field %q", e, e.Code, e.Field)
				}
				return
			}
			sub := decode[api.Submission](t, body)
			if sub.ID == 0 || sub.State != "new" || h.Get("Location") == "" {
				t.Errorf("submission = %+v, Location %q", sub, h.Get("Location"))
			}
		})
	}
	// Only the accepted submissions exist; nothing was half-written.
	subs, err := ts.store.Submissions(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, s := range subs {
		urls = append(urls, s.URL)
	}
	if want := []string{"https://example.com/other", "https://example.com/post"}; strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Errorf("stored URLs = %v, want %v", urls, want)
	}
	if subs[1].SubmittedBy != "kim" || subs[1].Note != "좋은 글" {
		t.Errorf("stored submission = %+v", subs[1])
	}
	if ts.notices != 2 {
		t.Errorf("worker notified %d times, want 2 (once per created submission)", ts.notices)
	}
}

func TestListGetDeleteSubmissions(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t, nil)
	for _, u := range []string{"https://example.com/a", "https://example.com/b", "https://example.com/c"} {
		if code, body, _ := ts.do(t, "POST", "/api/v1/submissions", `{"url":"`+u+`"}`); code != 201 {
			t.Fatalf("submit %s: %d %s", u, code, body)
		}
	}
	if _, _, err := ts.store.Claim(ctx, 2, time.Now()); err != nil {
		t.Fatal(err)
	}

	type list = api.SubmissionPage
	tests := []struct {
		query        string
		want         int
		wantIDs      []int64
		total        int
		older, newer int64
	}{
		{"", 200, []int64{3, 2, 1}, 3, 0, 0},
		{"?state=new", 200, []int64{3, 1}, 2, 0, 0},
		{"?state=processing", 200, []int64{2}, 1, 0, 0},
		{"?state=new,processing&limit=2", 200, []int64{3, 2}, 3, 2, 0},
		{"?limit=2&before=2", 200, []int64{1}, 3, 0, 1},
		{"?limit=1&after=1", 200, []int64{2}, 3, 2, 2},
		{"?state=published", 200, nil, 0, 0, 0},
		{"?state=done", 400, nil, 0, 0, 0},
		{"?limit=0", 400, nil, 0, 0, 0},
		{"?limit=x", 400, nil, 0, 0, 0},
		{"?before=x", 400, nil, 0, 0, 0},
		{"?after=-1", 400, nil, 0, 0, 0},
	}
	for _, tt := range tests {
		code, body, _ := ts.do(t, "GET", "/api/v1/submissions"+tt.query, "")
		if code != tt.want {
			t.Errorf("GET %s = %d, want %d: %s", tt.query, code, tt.want, body)
			continue
		}
		if code != 200 {
			continue
		}
		var ids []int64
		page := decode[list](t, body)
		for _, s := range page.Submissions {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, tt.wantIDs) || page.Total != tt.total || page.Older != tt.older || page.Newer != tt.newer {
			t.Errorf("GET %s = %v of %d, older %d, newer %d; want %v of %d, older %d, newer %d", tt.query, ids, page.Total,
				page.Older, page.Newer, tt.wantIDs, tt.total, tt.older, tt.newer)
		}
	}

	reqs := []struct {
		method, path string
		want         int
		wantState    string
	}{
		{"GET", "/api/v1/submissions/1", 200, "new"},
		{"GET", "/api/v1/submissions/99", 404, ""},
		{"GET", "/api/v1/submissions/x", 400, ""},
		{"GET", "/api/v1/submissions/-1", 400, ""},
		{"DELETE", "/api/v1/submissions/1", 200, "deleted"},
		{"DELETE", "/api/v1/submissions/1", 200, "deleted"},
		{"DELETE", "/api/v1/submissions/99", 404, ""},
	}
	for _, r := range reqs {
		code, body, _ := ts.do(t, r.method, r.path, "")
		if code != r.want {
			t.Errorf("%s %s = %d, want %d: %s", r.method, r.path, code, r.want, body)
			continue
		}
		if r.wantState != "" {
			if s := decode[api.Submission](t, body); s.State != r.wantState {
				t.Errorf("%s %s state = %s, want %s", r.method, r.path, s.State, r.wantState)
			}
		}
	}
	// Resubmitting a deleted link makes a new submission.
	if code, body, _ := ts.do(t, "POST", "/api/v1/submissions", `{"url":"https://example.com/a"}`); code != 201 {
		t.Errorf("resubmit deleted: %d %s", code, body)
	}
}

func TestDeletePublishedSubmission(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t, nil)
	st := ts.store
	sub, _, _ := st.Submit(ctx, store.NewSubmission{URL: "https://example.com/a"})
	st.Claim(ctx, sub.ID, time.Now())
	if _, err := st.SaveArticle(ctx, store.Article{SubmissionID: sub.ID, CanonicalURL: sub.URL}); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSummarized(ctx, store.Summary{SubmissionID: sub.ID}); err != nil {
		t.Fatal(err)
	}
	publishIssue(t, st, "2024-W36", time.Now(), "# x\n")
	code, body, _ := ts.do(t, "DELETE", "/api/v1/submissions/1", "")
	if code != http.StatusConflict || !strings.Contains(decode[api.ErrorBody](t, body).Error, "published issue") {
		t.Errorf("DELETE published = %d %s, want 409 naming the published issue", code, body)
	}
}

// TestRetrySubmission: a failed submission is queued again with its
// attempts reset; one that has not failed cannot be.
func TestRetrySubmission(t *testing.T) {
	ts := newTestServer(t, nil)
	ctx := context.Background()
	sub, _, _ := ts.store.Submit(ctx, store.NewSubmission{URL: "https://example.com/a"})
	if code, body, _ := ts.do(t, "POST", "/api/v1/submissions/1/retry", ""); code != http.StatusConflict || !strings.Contains(body, "it is new, not failed") {
		t.Errorf("retry of a new submission = %d %s, want 409", code, body)
	}
	if _, _, err := ts.store.Claim(ctx, sub.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.Fail(ctx, sub.ID, "resource not found (404 status code)"); err != nil {
		t.Fatal(err)
	}
	notices := ts.notices
	code, body, _ := ts.do(t, "POST", "/api/v1/submissions/1/retry", "")
	if code != http.StatusOK || !strings.Contains(body, `"state": "new"`) || !strings.Contains(body, `"attempts": 0`) {
		t.Errorf("retry = %d %s, want 200 with the submission new again", code, body)
	}
	if ts.notices != notices+1 {
		t.Error("the worker was not woken for the retried submission")
	}
	if code, _, _ := ts.do(t, "POST", "/api/v1/submissions/99/retry", ""); code != http.StatusNotFound {
		t.Errorf("retry of a missing submission = %d, want 404", code)
	}
	history, _ := ts.store.Events(ctx, sub.ID)
	if len(history) < 3 || history[1].Detail != "resource not found (404 status code)" || history[2].Kind != store.EventRequeued {
		t.Errorf("history = %+v, want the failure kept before the requeue", history)
	}
}

// TestBulkSubmissions: one request retries (or deletes, excludes)
// several submissions, each one's outcome answered with its reason;
// wrong input is refused whole.
func TestBulkSubmissions(t *testing.T) {
	ts := newTestServer(t, nil)
	ctx := context.Background()
	for _, u := range []string{"https://example.com/a", "https://example.com/b"} {
		sub, _, _ := ts.store.Submit(ctx, store.NewSubmission{URL: u})
		if _, _, err := ts.store.Claim(ctx, sub.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := ts.store.Fail(ctx, sub.ID, "resource not found (404 status code)"); err != nil {
			t.Fatal(err)
		}
	}
	ts.store.Submit(ctx, store.NewSubmission{URL: "https://example.com/c"})
	tests := []struct {
		body       string
		wantStatus int
		want       string
	}{
		{`{"action":"retry","ids":[1,2,3,99]}`, http.StatusOK,
			`"done": 2, "refused": 2, "items": [ { "id": 1, "ok": true }, { "id": 2, "ok": true }, { "id": 3, "ok": false, "error": { "error": "submission 3 cannot be retried: it is new, not failed", "code": "retry_refused" } }, { "id": 99, "ok": false, "error": { "error": "submission 99 not found", "code": "not_found" } } ]`},
		{`{"action":"delete","ids":[3]}`, http.StatusOK, `"done": 1, "refused": 0`},
		{`{"action":"publish","ids":[1]}`, http.StatusBadRequest, `"code": "unknown_action"`},
		{`{"action":"retry","ids":[]}`, http.StatusBadRequest, `"error": "field \"ids\" is required"`},
		{`{"action":"retry","ids":"1"}`, http.StatusBadRequest, `ids`},
	}
	for _, tt := range tests {
		code, body, _ := ts.do(t, "POST", "/api/v1/submissions/bulk", tt.body)
		if flat := strings.Join(strings.Fields(body), " "); code != tt.wantStatus || !strings.Contains(flat, tt.want) {
			t.Errorf("POST bulk %s = %d %s, want %d holding %s", tt.body, code, flat, tt.wantStatus, tt.want)
		}
	}
}
