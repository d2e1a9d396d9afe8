package web

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/store"
)

// A long queue is shown a page at a time, with links to the pages beside;
// the landing page lists the oldest page of those waiting and counts them
// all.
func TestSubmissionsPaged(t *testing.T) {
	h := newHarness(t, withTokens)
	n := desk.PageSize + 5
	for i := range n {
		if _, _, err := h.Store.Submit(context.Background(), store.NewSubmission{URL: fmt.Sprintf("https://example.com/q/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	c := h.client()
	c.signIn(kimToken)
	items := regexp.MustCompile(`<li id="sub-(\d+)"`)
	link := func(body, rel string) string {
		m := regexp.MustCompile(`<a href="([^"]+)" rel="` + rel + `"`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	tests := []struct {
		name           string
		path           string
		wantN          int
		wantFirst      string
		wantPrev, next string
	}{
		{"the newest page", "/desk/submissions", desk.PageSize, "105", "", "/desk/submissions?before=6"},
		{"the older page", "/desk/submissions?before=6", 5, "5", "/desk/submissions?after=5", ""},
		{"back to the newer page", "/desk/submissions?after=5", desk.PageSize, "105", "", "/desk/submissions?before=6"},
		{"one state", "/desk/submissions?state=new&before=6", 5, "5", "/desk/submissions?state=new&after=5", ""},
		{"the page of a pending one", "/desk/submissions?before=4", 3, "3", "/desk/submissions?after=3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.get(tt.path)
			got := items.FindAllStringSubmatch(r.body, -1)
			if r.status != 200 || len(got) != tt.wantN || got[0][1] != tt.wantFirst {
				t.Fatalf("%d, %d listed, want %d from #%s", r.status, len(got), tt.wantN, tt.wantFirst)
			}
			if prev, next := link(r.body, "prev"), link(r.body, "next"); prev != tt.wantPrev || next != tt.next {
				t.Errorf("links %q and %q, want %q and %q", prev, next, tt.wantPrev, tt.next)
			}
			if !strings.Contains(r.body, fmt.Sprintf("제출 %d개 중 %d개", n, tt.wantN)) {
				t.Error("the page does not count them all")
			}
		})
	}
	draft := c.get("/desk/").body
	if !strings.Contains(draft, fmt.Sprintf("처리 대기 %d개", n)) || !strings.Contains(draft, fmt.Sprintf("%d개 가운데 먼저 들어온 %d개", n, desk.PageSize)) ||
		!strings.Contains(draft, `href="/desk/submissions?before=2#sub-1"`) || strings.Contains(draft, "sub-101") {
		t.Errorf("the landing page does not list the oldest page of those waiting:\n%s", draft)
	}
}

// The queue is searched by address, submitter and note; the pages beside
// keep the search, and a search too long is refused in Korean.
func TestSubmissionsSearched(t *testing.T) {
	h := newHarness(t, withTokens)
	ctx := context.Background()
	for i := range desk.PageSize + 3 {
		n := store.NewSubmission{URL: fmt.Sprintf("https://example.com/q/%d", i)}
		if i%2 == 0 {
			n.Note = "제네릭 글"
		}
		if _, _, err := h.Store.Submit(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	c := h.client()
	c.signIn(kimToken)
	r := c.get("/desk/submissions?q=" + url.QueryEscape("제네릭"))
	items := regexp.MustCompile(`<li id="sub-(\d+)"`).FindAllStringSubmatch(r.body, -1)
	if r.status != 200 || len(items) != desk.PageSize/2+2 {
		t.Fatalf("a search: %d, %d listed, want %d", r.status, len(items), desk.PageSize/2+2)
	}
	if !strings.Contains(r.body, "“제네릭” 제출 52개") || !strings.Contains(r.body, `value="제네릭"`) {
		t.Error("the page does not say what it searched and how many matched")
	}
	r = c.get("/desk/submissions?q=" + url.QueryEscape("q/10") + "&before=200")
	if got := regexp.MustCompile(`<li id="sub-(\d+)"`).FindAllStringSubmatch(r.body, -1); len(got) != 4 {
		t.Errorf("q/10 matched %d, want 4 (…/q/10, …/q/100 to …/q/102)", len(got))
	}
	long := c.get("/desk/submissions?q=" + strings.Repeat("가", desk.MaxSearch+1))
	if long.status != 422 || !strings.Contains(textOf(t, long.body), "검색어") {
		t.Errorf("a search too long: %d, want 422 naming 검색어", long.status)
	}
}
