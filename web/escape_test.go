package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// checkSafePage fails the test when page holds anything a hostile string
// could have made of it: a script but the desk's own, an element that runs
// or loads something (iframe, object, embed, svg, math, style, base, form
// posting elsewhere), an event handler or style attribute, or a link,
// source or form target that is neither an absolute http(s) URL nor a
// page of the desk.
func checkSafePage(t *testing.T, name, page string) {
	t.Helper()
	for _, p := range unsafeParts(name, page) {
		t.Error(p)
	}
}

// unsafeParts lists what checkSafePage objects to in page.
func unsafeParts(name, page string) []string {
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", name, err)}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				if src := attr(n, "src"); !strings.HasPrefix(src, "/desk/static/desk.js?v=") || n.FirstChild != nil {
					errorf("%s: a script that is not the desk's: %s", name, render(n))
				}
			case "iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset", "applet", "template":
				errorf("%s: a <%s> element: %s", name, n.Data, render(n))
			case "link":
				if !strings.HasPrefix(attr(n, "href"), "/desk/static/desk.css?v=") {
					errorf("%s: a <link> that is not the desk's stylesheet: %s", name, render(n))
				}
			case "meta":
				if attr(n, "http-equiv") != "" {
					errorf("%s: %s", name, render(n))
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"), key == "style", key == "srcdoc":
					errorf("%s: attribute %s on <%s>: %s", name, a.Key, n.Data, render(n))
				case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "poster" || key == "srcset" || key == "data" || key == "xlink:href":
					if !safeTarget(a.Val) {
						errorf("%s: %s=%q on <%s>", name, a.Key, a.Val, n.Data)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return problems
}

// safeTarget reports whether a link, source or form target is an
// absolute http(s) URL, a desk page or a fragment.
func safeTarget(v string) bool {
	if strings.HasPrefix(v, "#") || (strings.HasPrefix(v, "/desk/") && !strings.HasPrefix(v, "//")) {
		return true
	}
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func render(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	s := b.String()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// The check finds what an unescaped string would make.
func TestUnsafePartsCatches(t *testing.T) {
	for _, bad := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="/resources/x">relative</a>`,
		`<iframe src="https://example.com/"></iframe>`,
		`<p style="color:red">x</p>`,
		`<form action="https://evil.example/"><button formaction="data:text/html,x">x</button></form>`,
		`<svg onload=alert(1)></svg>`,
		`<link rel=stylesheet href="https://evil.example/x.css">`,
	} {
		if len(unsafeParts("bad", "<!doctype html><p>"+bad)) == 0 {
			t.Errorf("%s passes the check", bad)
		}
	}
	good := `<!doctype html><script src="/desk/static/desk.js?v=1" defer></script><a href="/desk/">x</a><a href="https://go.dev/">go</a><p>&lt;script&gt;</p>`
	if p := unsafeParts("good", good); len(p) > 0 {
		t.Errorf("the desk's own page fails the check: %q", p)
	}
}

// textOf is the text a reader sees in page.
func textOf(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return textOfNode(doc)
}

// TestHostileTextEscaped (which also checks every page's labels, see
// checkLabels) feeds the publisher's hostile fields, the seed's
// defects (publisher/testdata/article_hostile_fields.golden and the
// articles of publisher/seed_defects_test.go) and strings made to break
// out of attributes, URLs and textareas through every page of the desk:
// as model text, editors' edits, submitters' names and notes, source
// titles and texts, failure reasons, a regeneration's instruction, an
// issue's title and content, a run's error and a dependency's reason.
// Every page must come out with nothing but the desk's own scripts,
// links and attributes, and show the hostile text as text.
func TestHostileTextEscaped(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Server.Token = "the-server-token" })
	ctx := context.Background()
	fixtures := publisherFixtures(t)
	golden := hostileGolden(t)
	hostile := append(append([]string{}, hostileStrings...), golden)
	pick := func(i int) string { return hostile[i%len(hostile)] }

	// A published issue, hostile title and content, holding one batch.
	var published []int64
	for i, a := range fixtures {
		published = append(published, h.addEntry(draftEntry{Article: a, SubmittedBy: pick(i), Note: pick(i + 1), Text: golden + "\n" + pick(i+2)}))
	}
	is, err := h.Store.Freeze(ctx, store.NewIssue{Week: "2024-W36", Slug: "slug-" + pick(1), Title: pick(0), Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	content := "---\ntitle: \"" + strings.ReplaceAll(pick(1), `"`, `\"`) + "\"\n---\n\n" + golden + "\n" + strings.Join(hostileStrings, "\n\n")
	if is, _, err = h.Store.Publish(ctx, is.ID, pick(2), func(store.Snapshot) ([]byte, error) { return []byte(content), nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.Written(ctx, is.ID, pick(3), pick(4)); err != nil {
		t.Fatal(err)
	}

	// The open draft: the same articles again, edited, regenerated, with
	// an opening paragraph; failed and pending submissions beside it.
	var draft []int64
	for i, a := range fixtures {
		a.Link = strings.Replace(a.Link, "https://", "https://draft.", 1)
		if a.Link == fixtures[i].Link {
			// Not an https link: another address all the same, or the
			// store finds the published article submitted again.
			a.Link += "#draft"
		}
		draft = append(draft, h.addEntry(draftEntry{Article: a, SubmittedBy: pick(i + 3), Note: pick(i + 4), Text: pick(i+5) + "\n" + golden}))
	}
	for i, id := range draft[:4] {
		text := pick(i)
		if _, err := h.Store.Change(ctx, id, store.Change{Fields: map[entry.Field]*string{entry.Summary: &text, entry.Title: &text}}, pick(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	e, err := h.Store.Entry(ctx, draft[4])
	if err != nil {
		t.Fatal(err)
	}
	e.Summary.Summary = pick(6)
	if err := h.Store.Resummarized(ctx, e.Summary, pick(7), pick(8)); err != nil {
		t.Fatal(err)
	}
	excluded := true
	if _, err := h.Store.Change(ctx, draft[5], store.Change{Excluded: &excluded}, pick(2)); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.SetIntro(ctx, 0, golden); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		sub, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: fmt.Sprintf("https://failed.example/%d", i), SubmittedBy: pick(i), Note: pick(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.Store.Claim(ctx, sub.ID, h.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := h.Store.Fail(ctx, sub.ID, pick(i+2)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: "https://pending.example/", SubmittedBy: pick(5), Note: golden}); err != nil {
		t.Fatal(err)
	}
	run, err := h.Store.StartRun(ctx, store.RunManual, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.FinishRun(ctx, run.ID, store.RunFailed, 0, nil, pick(3)); err != nil {
		t.Fatal(err)
	}
	h.pauses.Pause("gemini", retry.Unavailable("gemini", t0.Add(time.Hour), errors.New(pick(0))))

	c := h.client()
	pages := map[string]response{
		"sign-in":               c.get("/desk/signin?next=" + url.QueryEscape(pick(5))),
		"sign-in refused":       c.post("/desk/signin", url.Values{"token": {pick(1)}, "next": {pick(5)}}),
		"not found, signed out": c.get("/desk/" + url.PathEscape(pick(0))),
	}
	c.signIn("the-server-token")
	pages["this week"] = c.get("/desk/")
	pages["submissions"] = c.get("/desk/submissions")
	pages["failed submissions"] = c.get("/desk/submissions?state=failed")
	pages["submission refused"] = c.post("/desk/submissions", url.Values{"url": {pick(5)}, "submitted_by": {pick(1)}, "note": {pick(2)}})
	pages["issues"] = c.get("/desk/issues")
	pages["issue"] = c.get(fmt.Sprintf("/desk/issues/%d", is.ID))
	pages["publish confirmation"] = c.get("/desk/draft/publish")
	pages["publish again confirmation"] = c.get(fmt.Sprintf("/desk/issues/%d/publish", is.ID))
	pages["status"] = c.get("/desk/status")
	pages["not found"] = c.get("/desk/" + url.PathEscape(pick(0)))
	pages["intro refused"] = c.post("/desk/draft/intro", url.Values{"intro": {"<b>" + pick(2) + "</b>"}})
	for i, id := range append(published, draft...) {
		pages[fmt.Sprintf("entry #%d", id)] = c.get(fmt.Sprintf("/desk/entries/%d", id))
		if i%3 == 0 {
			form := url.Values{"title": {pick(i)}, "summary": {pick(i + 1)}, "introduction": {golden}, "recommendation": {pick(i + 2)}, "caution": {pick(i + 3)}}
			pages[fmt.Sprintf("entry #%d refused", id)] = c.post(fmt.Sprintf("/desk/entries/%d", id), form)
			form.Set("action", "preview")
			pages[fmt.Sprintf("entry #%d preview", id)] = c.post(fmt.Sprintf("/desk/entries/%d", id), form)
			pages[fmt.Sprintf("entry #%d live preview", id)] = c.post(fmt.Sprintf("/desk/entries/%d/preview", id), form)
		}
	}
	for name, r := range pages {
		if r.status >= 500 {
			t.Errorf("%s: status %d: %s", name, r.status, r.body)
		}
		checkSafePage(t, name, r.body)
		if r.header.Get("Content-Type") == "text/html; charset=utf-8" && strings.HasPrefix(r.body, "<!doctype") {
			checkLabels(t, name, r.body)
		}
		if strings.Contains(r.body, "the-server-token") {
			t.Errorf("%s: the page holds the token", name)
		}
	}
	// The hostile text is shown, as text.
	for name, want := range map[string]string{
		"this week":                  "<script>alert(1)</script> 제목",
		"entry #10":                  "<iframe src=\"javascript:alert(1)\"></iframe>",
		"submissions":                `"><img src=x onerror=alert(1)>`,
		"issues":                     `<script>alert("s")</script>`,
		"publish again confirmation": `<script>alert("s")</script>`,
		"status":                     `<script>alert("s")</script>`,
		"submission refused":         `' onmouseover='alert(1)' x='`,
	} {
		if !strings.Contains(textOf(t, pages[name].body), want) {
			t.Errorf("%s does not show %q as text", name, want)
		}
	}
	if r := pages["entry #1 refused"]; r.status != http.StatusUnprocessableEntity {
		t.Errorf("an edit with HTML and headings: status %d, want 422", r.status)
	}

	// The markdown download is never rendered by the browser.
	r := c.get(fmt.Sprintf("/desk/issues/%d/markdown", is.ID))
	if r.body != content || r.header.Get("Content-Type") != "text/markdown; charset=utf-8" ||
		r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("markdown download: %v", r.header)
	}
	if cd := r.header.Get("Content-Disposition"); strings.ContainsAny(cd, "<>\"'") && !strings.Contains(cd, `filename="`) {
		t.Errorf("download name carries markup: %q", cd)
	}
}
