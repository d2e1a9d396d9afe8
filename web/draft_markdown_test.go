package web

import (
	"context"
	"strings"
	"testing"
)

// The upcoming issue downloads as the file publishing it now would write,
// for an editor who posts it by hand; the landing page links it once the
// draft has articles.
func TestDraftMarkdown(t *testing.T) {
	h := newHarness(t, withTokens)
	c := h.client()
	c.signIn(kimToken)
	if body := c.get("/desk/").body; strings.Contains(body, "/desk/draft/markdown") {
		t.Error("an empty draft offers its markdown")
	}
	threeArticles(h)
	if body := c.get("/desk/").body; !strings.Contains(body, `href="/desk/draft/markdown"`) {
		t.Error("the landing page does not link the draft's markdown")
	}
	draft, err := h.desk.Draft(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := c.get("/desk/draft/markdown")
	if r.status != 200 || r.body != draft.Markdown || draft.Markdown == "" {
		t.Fatalf("GET /desk/draft/markdown = %d, %d bytes; want 200 and the draft's %d bytes", r.status, len(r.body), len(draft.Markdown))
	}
	if r.header.Get("Content-Type") != "text/markdown; charset=utf-8" ||
		!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment; filename=2024-09-02-gdc-weekly-newsletter-") {
		t.Errorf("headers %v, want a markdown download named by the draft's date and slug", r.header)
	}
}
