package extractor

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// para is a paragraph long enough for Readeck to take its container as the
// article.
var para = strings.Repeat("Gophers write clear code and measure before they optimise. ", 8)

func articlePage(inside string) string {
	return "<html><head><title>Measure first</title></head><body><nav><a href=/>Home</a></nav><article><h1>Measure first</h1><p>" +
		para + "</p>" + inside + "<p>" + para + "</p></article><footer>© 2024 Example</footer></body></html>"
}

// Each rule drops its boilerplate, and the combination without the rule
// keeps it, so the rule is what drops it.
func TestCombinedRules(t *testing.T) {
	tests := []struct {
		rule    string
		inside  string
		dropped string
		kept    string // "" when only para must stay
	}{
		{RuleNamesCredits, `<p>A photo of a gopher.</p><div class="photo-credits">Foto: Jane Doe</div>`, "Jane Doe", "A photo of a gopher."},
		{RuleNamesCredits, `<p class="copyright-note">All pictures by the Gopher Gazette</p>`, "Gopher Gazette", ""},
		{RuleNamesRelated, `<div class="related-content"><p>Read next: Channels in depth, a tour of select.</p></div>`, "Channels in depth", ""},
		{RuleLeadInMetadata, `<p>This entry was posted in News. Bookmark the permalink.</p>`, "Bookmark the permalink", ""},
		{RuleLeadInMetadata, `<p><strong>Kategorie:</strong> Programmierung</p>`, "Programmierung", ""},
		{RuleDateLines, `<p>12.03.2021</p><p>Updated March 14, 2021 10:30 am</p>`, "2021", ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			page := []byte(articlePage(tt.inside))
			a, err := Combined.Extract(page, "https://example.com/post", "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(a.Text, tt.dropped) {
				t.Errorf("combined keeps %q:\n%s", tt.dropped, a.Text)
			}
			for _, want := range []string{strings.TrimSpace(para), tt.kept} {
				if !strings.Contains(a.Text, want) {
					t.Errorf("combined lost %q:\n%s", want, a.Text)
				}
			}
			b, err := Combine(tt.rule).Extract(page, "https://example.com/post", "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.Text, tt.dropped) {
				t.Errorf("without %s, %q is dropped anyway:\n%s", tt.rule, tt.dropped, b.Text)
			}
		})
	}
}

// Text that looks like boilerplate at a glance but is not stays.
func TestCombinedKeepsLookalikes(t *testing.T) {
	for _, inside := range []string{
		`<p>Posted inside a closure, the value escapes to the heap.</p>`,
		`<p>On 12.03.2021 the Go team released a security fix.</p>`,
		`<div class="related-work"><p>` + para + `</p></div>`, // a furniture name on a large block
		"<pre><code>// posted in 2021\nfunc main() {\n\tfmt.Println(\"12.03.2021\")\n}</code></pre>",
	} {
		a, err := Combined.Extract([]byte(articlePage(inside)), "https://example.com/post", "text/html")
		if err != nil {
			t.Fatal(err)
		}
		want := Render(mustParse(t, inside))
		if !strings.Contains(a.Text, want) {
			t.Errorf("combined lost %q:\n%s", want, a.Text)
		}
	}
}

func mustParse(t *testing.T, s string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFallback(t *testing.T) {
	src := []byte(`<html><body><nav><p>Menu words</p></nav><div><p>First paragraph of the page.</p>
<div><blockquote>A quote</blockquote><pre>code  block</pre></div><p hidden>Hidden</p><p>` + para + `</p></div></body></html>`)
	few := mustParse(t, `<p>Only a few words</p>`)
	many := mustParse(t, `<p>`+para+para+`</p>`)
	comb := combination{on: map[string]bool{RuleShortFallback: true}}
	tests := []struct {
		name    string
		primary *html.Node
		want    string // "" for no fallback
	}{
		{"nothing found", nil, "First paragraph of the page.\n\n> A quote\n\n```\ncode  block\n```\n\n" + strings.TrimSpace(para)},
		{"too few words", few, "First paragraph of the page."},
		{"enough words", many, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := comb.fallback(src, tt.primary)
			if tt.want == "" {
				if got != nil {
					t.Errorf("fallback = %q, want none", Render(got))
				}
				return
			}
			if got == nil || !strings.HasPrefix(Render(got), tt.want) {
				t.Errorf("fallback = %v, want text starting %q", got, tt.want)
			}
			if text := Render(got); strings.Contains(text, "Menu words") || strings.Contains(text, "Hidden") {
				t.Errorf("fallback keeps skipped markup: %q", text)
			}
		})
	}
}

func TestRulesAndCombineNames(t *testing.T) {
	rules := Rules()
	if len(rules) == 0 || slices.Contains(rules, "") {
		t.Fatalf("Rules() = %q", rules)
	}
	if Combined.Name != "combined" || Default.Name != Combined.Name {
		t.Errorf("Combined is %q and Default %q, want both combined", Combined.Name, Default.Name)
	}
	if got := Combine(rules[0]).Name; got != "combined without "+rules[0] {
		t.Errorf("Combine(%q).Name = %q", rules[0], got)
	}
}
