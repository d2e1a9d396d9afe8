package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// formOwner is the id of the form a button or input belongs to: its form
// attribute, else the form around it.
func formOwner(n *html.Node) string {
	for _, a := range n.Attr {
		if a.Key == "form" {
			return a.Val
		}
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == "form" {
			return attr(p, "id")
		}
	}
	return ""
}

// submitButtons are the submit buttons of the form with id, in tree
// order: the first is the one Enter in a field presses.
func submitButtons(t *testing.T, page, id string) []*html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && ((n.Data == "button" && attr(n, "type") != "button" && attr(n, "type") != "reset") ||
			(n.Data == "input" && attr(n, "type") == "submit")) && formOwner(n) == id {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// formByID finds the form with id.
func formByID(t *testing.T, page, id string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" && attr(n, "id") == id {
			found = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// Enter in a field of the article editor saves: 저장 is the form's first
// submit button whichever fields are edited, and each revert button posts
// a form of its own, outside the editor's, holding only the field's name.
func TestEntryFormDefaultButton(t *testing.T) {
	tests := []struct {
		name   string
		edited []entry.Field
	}{
		{"nothing edited", nil},
		{"the title edited", []entry.Field{entry.Title}},
		{"every field edited", entry.Fields},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			id := h.addEntry(draftEntry{Article: publisher.Article{
				Sections: entry.Sections{
					TitleKo:        "제목",
					Summary:        "요약입니다.",
					Introduction:   "소개입니다.",
					Recommendation: "추천입니다.",
					Caution:        "주의입니다.",
				},
				Link: "https://go.dev/blog/a",
			}})
			fields := map[entry.Field]*string{}
			for _, f := range tt.edited {
				v := "편집한 " + string(f)
				fields[f] = &v
			}
			if _, err := h.Store.Change(context.Background(), id, store.Change{Fields: fields}, "kim"); err != nil {
				t.Fatal(err)
			}
			c := h.client()
			c.signIn(kimToken)
			page := c.get(fmt.Sprintf("/desk/entries/%d", id)).body

			buttons := submitButtons(t, page, "entry-form")
			if len(buttons) == 0 || attr(buttons[0], "value") != "save" || strings.TrimSpace(textOfNode(buttons[0])) != "저장" {
				first := "none"
				if len(buttons) > 0 {
					first = render(buttons[0])
				}
				t.Fatalf("the editor's default button is %s, want 저장", first)
			}
			for _, b := range buttons {
				if attr(b, "formaction") != "" {
					t.Errorf("a button of the editor's form posts elsewhere: %s", render(b))
				}
			}
			for _, f := range tt.edited {
				formID := "revert-" + string(f)
				rf := formByID(t, page, formID)
				if rf == nil || attr(rf, "action") != fmt.Sprintf("/desk/entries/%d/revert", id) || formOwner(rf) != "" {
					t.Fatalf("no revert form %s outside the editor's form", formID)
				}
				if bs := submitButtons(t, page, formID); len(bs) != 1 || !strings.Contains(textOfNode(bs[0]), "되돌리기") {
					t.Errorf("revert form %s has buttons %d", formID, len(bs))
				}
			}
			if len(tt.edited) == 0 {
				return
			}
			// The revert button's form puts the field back.
			f := tt.edited[0]
			r := c.follow(c.post(fmt.Sprintf("/desk/entries/%d/revert", id), url.Values{"field": {string(f)}}))
			if r.status != http.StatusOK || !strings.Contains(r.body, "모델의 글로 되돌렸습니다") {
				t.Errorf("revert: %d", r.status)
			}
			if e, _ := h.desk.Entry(context.Background(), id); len(e.Edited) != len(tt.edited)-1 {
				t.Errorf("after reverting %s the edited fields are %v", f, e.Edited)
			}
		})
	}
}

// The editor keeps every text of every field: the page lists the model's
// and each edit, with who, and restores any as an edit.
func TestEntryVersions(t *testing.T) {
	h := newHarness(t, withTokens)
	ids := threeArticles(h)
	c := h.client()
	c.signIn(kimToken)
	path := fmt.Sprintf("/desk/entries/%d", ids[0])
	for _, text := range []string{"처음 고친 요약입니다.", "두 번째로 고친 요약입니다."} {
		c.follow(c.post(path, url.Values{"summary": {text}}))
	}
	page := c.get(path).body
	checkLabels(t, path, page)
	text := textOf(t, page)
	if !strings.Contains(text, "이전 판") || !strings.Contains(text, "요약 · 3개 판") || !strings.Contains(text, "처음 고친 요약입니다.") {
		t.Fatalf("the page does not list the summary's versions:\n%s", text)
	}
	vs, err := h.desk.Versions(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	for _, v := range vs {
		if v.Text == "처음 고친 요약입니다." {
			first = v.ID
		}
	}
	restore := fmt.Sprintf("%s/versions/%d/restore", path, first)
	if !postsTo(page, restore) {
		t.Fatalf("the page has no button restoring version %d", first)
	}
	r := c.follow(c.post(restore, url.Values{}))
	if !strings.Contains(textOf(t, r.body), "요약을 이전 판으로 되돌렸습니다") {
		t.Errorf("after restoring: %s", textOf(t, r.body))
	}
	if e, _ := h.desk.Entry(context.Background(), ids[0]); e.Summary != "처음 고친 요약입니다." {
		t.Errorf("summary after restoring: %q", e.Summary)
	}
}
