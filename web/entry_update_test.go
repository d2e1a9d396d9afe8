package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
)

// formValues are what a browser posts of the form with id in page, with
// the button named by action: its inputs and textareas as loaded.
func formValues(t *testing.T, page, id, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "name") != "" && formOwner(n) == id {
			switch n.Data {
			case "input":
				v.Add(attr(n, "name"), attr(n, "value"))
			case "textarea":
				v.Add(attr(n, "name"), strings.ReplaceAll(textOfNode(n), "\n", "\r\n"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(v) == 0 {
		t.Fatalf("no form %s in the page", id)
	}
	v.Set("action", action)
	return v
}

// A page loaded before the entry changed (a regeneration, another
// editor) saves only what the editor changed on it: the other fields keep
// the entry's new text instead of turning stale text into edits. A field
// the editor changed that changed meanwhile as well saves nothing, and the
// form comes back with the editor's text, the text now and why, in
// Korean; saving that form again saves the editor's text.
func TestEntryUpdateLostUpdate(t *testing.T) {
	const regenerated = "다시 생성한 요약입니다. 이 글은 Go 제네릭을 실제로 쓰는 방법을 짧게 설명합니다."
	const leesIntro = "이영희가 고친 소개입니다."
	tests := []struct {
		name string
		// edit changes the loaded form as the editor types.
		edit          map[string]string
		wantStatus    int
		wantTitle     string
		wantSummary   string
		wantEdited    []string
		wantConflicts string // on the page answered, "" when saved
	}{
		{"a typo fixed in the title", map[string]string{"title": "제네릭 실전"}, http.StatusSeeOther,
			"제네릭 실전", regenerated, []string{"title", "introduction"}, ""},
		{"the summary, regenerated meanwhile", map[string]string{"summary": "편집자가 고친 요약입니다."}, http.StatusConflict,
			"제네릭 실정", regenerated, []string{"introduction"}, "다시 생성이 요약을 바꿔서 아무것도 저장하지 않았습니다"},
		{"the title and the summary", map[string]string{"title": "제네릭 실전", "summary": "편집자가 고친 요약입니다."}, http.StatusConflict,
			"제네릭 실정", regenerated, []string{"introduction"}, "요약을 바꿔서 아무것도 저장하지 않았습니다"},
		{"the introduction, edited meanwhile", map[string]string{"introduction": "김이 고친 소개입니다."}, http.StatusConflict,
			"제네릭 실정", regenerated, []string{"introduction"}, "소개를 바꿔서"},
		{"nothing", nil, http.StatusSeeOther, "제네릭 실정", regenerated, []string{"introduction"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			ctx := context.Background()
			id := h.addEntry(draftEntry{Article: publisher.Article{
				Sections: entry.Sections{TitleKo: "제네릭 실정", Summary: "모델이 쓴 요약입니다.", Introduction: "모델이 쓴 소개입니다."},
				Link:     "https://go.dev/blog/generics",
			}})
			c := h.client()
			c.signIn(kimToken)
			path := fmt.Sprintf("/desk/entries/%d", id)
			loaded := formValues(t, c.get(path).body, "entry-form", "save")

			// Meanwhile the summary is regenerated and lee edits the introduction.
			e, err := h.Store.Entry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			e.Summary.Summary = regenerated
			if err := h.Store.Resummarized(ctx, e.Summary, "더 짧게", "lee"); err != nil {
				t.Fatal(err)
			}
			intro := leesIntro
			if _, err := h.desk.Edit(ctx, id, api.Change{Fields: map[string]*string{api.FieldIntroduction: &intro}}, "이영희"); err != nil {
				t.Fatal(err)
			}

			for name, v := range tt.edit {
				loaded.Set(name, v)
			}
			r := c.post(path, loaded)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, textOf(t, r.body))
			}
			got, err := h.desk.Entry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tt.wantTitle || got.Summary != tt.wantSummary || got.Introduction != leesIntro {
				t.Errorf("entry now: title %q, summary %q, introduction %q", got.Title, got.Summary, got.Introduction)
			}
			if !slices.Equal(got.Edited, tt.wantEdited) {
				t.Errorf("edited fields %v, want %v", got.Edited, tt.wantEdited)
			}
			if tt.wantConflicts == "" {
				return
			}
			checkLabels(t, "the conflict page", r.body)
			checkSafePage(t, "the conflict page", r.body)
			text := textOf(t, r.body)
			if !strings.Contains(text, tt.wantConflicts) || !strings.Contains(text, "지금 저장된") {
				t.Errorf("the conflict page lacks %q:\n%s", tt.wantConflicts, text)
			}
			again := formValues(t, r.body, "entry-form", "save")
			for name, v := range tt.edit {
				if strings.ReplaceAll(again.Get(name), "\r\n", "\n") != v {
					t.Errorf("the form shown again holds %s %q, want the editor's %q", name, again.Get(name), v)
				}
			}
			if again.Get("summary") != regenerated && tt.edit["summary"] == "" {
				t.Errorf("the form shown again holds the stale summary %q", again.Get("summary"))
			}
			// Saved again, the form saves the editor's text.
			if r := c.post(path, again); r.status != http.StatusSeeOther {
				t.Fatalf("saving the form shown again: %d %s", r.status, textOf(t, r.body))
			}
			got, _ = h.desk.Entry(ctx, id)
			for name, v := range tt.edit {
				if entryFields(got)[name] != v {
					t.Errorf("after saving again %s is %q, want %q", name, entryFields(got)[name], v)
				}
			}
		})
	}
}
