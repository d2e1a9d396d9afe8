package extractor

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func renderString(t *testing.T, src string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return Render(doc)
}

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string
	}{
		{
			name: "paragraphs and whitespace",
			html: "<p>  Hello,\n\t <b>bold</b>   world. </p><div>Second\u00a0block</div>",
			want: "Hello, bold world.\n\nSecond block",
		},
		{
			name: "inline elements do not split words",
			html: "<p>Go<em>pher</em>s and <a href=x>links</a>.</p>",
			want: "Gophers and links.",
		},
		{
			name: "line breaks",
			html: "<p>one<br>two<br/><br>three</p>",
			want: "one\ntwo\nthree",
		},
		{
			name: "headings",
			html: "<h1>Title</h1><h2>Part</h2><h3>Sub  part</h3><h5>Deep</h5><p>text</p>",
			want: "## Title\n\n## Part\n\n### Sub part\n\n#### Deep\n\ntext",
		},
		{
			name: "unordered list",
			html: "<ul><li>one</li><li> two\n items </li><li></li></ul>",
			want: "- one\n- two items",
		},
		{
			name: "ordered list with start",
			html: `<ol start="3"><li>three</li><li>four</li></ol>`,
			want: "3. three\n4. four",
		},
		{
			name: "nested list",
			html: "<ul><li>outer<ul><li>inner</li></ul></li><li>next</li></ul>",
			want: "- outer\n  - inner\n- next",
		},
		{
			name: "list item with paragraphs",
			html: "<ol><li><p>first para</p><p>second para</p></li></ol>",
			want: "1. first para\n   second para",
		},
		{
			name: "code block kept verbatim",
			html: "<p>Example:</p><pre><code class=\"language-go\">func main() {\n\tfmt.Println(\"a  &lt;b&gt;\")\n\n    // two  spaces\n}\n</code></pre><p>after</p>",
			want: "Example:\n\n```go\nfunc main() {\n\tfmt.Println(\"a  <b>\")\n\n    // two  spaces\n}\n```\n\nafter",
		},
		{
			name: "code block with highlighter spans and br",
			html: `<pre><span class="hljs-keyword">if</span> x {<br>    <span class="hljs-comment">// comment</span><br>}</pre>`,
			want: "```\nif x {\n    // comment\n}\n```",
		},
		{
			name: "code containing a fence gets a longer fence",
			html: "<pre>```\nnested\n```</pre>",
			want: "````\n```\nnested\n```\n````",
		},
		{
			name: "multi-line code without pre is a block",
			html: "<p>See</p><code>a := 1\n\tb := 2</code>",
			want: "See\n\n```\na := 1\n\tb := 2\n```",
		},
		{
			name: "inline code",
			html: "<p>Call <code>  os.Exit </code> and <kbd>Ctrl</kbd>.</p>",
			want: "Call `os.Exit` and `Ctrl`.",
		},
		{
			name: "blockquote",
			html: "<blockquote><p>quoted one</p><p>quoted two</p></blockquote>",
			want: "> quoted one\n>\n> quoted two",
		},
		{
			name: "data table",
			html: "<table><caption>Sizes</caption><tr><th>Type</th><th>Bytes</th></tr><tr><td>int32</td><td>4</td></tr></table>",
			want: "Sizes\nType | Bytes\nint32 | 4",
		},
		{
			name: "layout table",
			html: "<table><tr><td><p>Para one.</p><p>Para two.</p></td></tr></table>",
			want: "Para one.\n\nPara two.",
		},
		{
			name: "never-text elements skipped",
			html: `<p>keep</p><script>var x = 1;</script><style>p{}</style><noscript><p>no js</p></noscript>` +
				`<form><input value="v"><button>Send</button><select><option>o</option></select></form>` +
				`<iframe src="x"></iframe><svg><text>svg text</text></svg><img alt="an image">`,
			want: "keep",
		},
		{
			name: "navigation, hidden and furniture skipped",
			html: `<nav><a>Home</a></nav><div role="navigation">Menu</div><p>body text</p>` +
				`<div class="share-buttons"><a>Share on Twitter</a></div><div hidden>hidden text</div>` +
				`<span aria-hidden="true">icon</span><section id="comments"><p>Nice post!</p></section>` +
				`<div class="social_links">Follow us</div><ul class="breadcrumb"><li>Blog</li></ul>`,
			want: "body text",
		},
		{
			name: "large container with a furniture name is kept",
			html: `<div id="gigya-share-btns-2_gig_containerParent"><p>` + strings.Repeat("word ", maxWidgetWords+1) + `</p></div>`,
			want: strings.TrimSpace(strings.Repeat("word ", maxWidgetWords+1)),
		},
		{
			name: "furniture words match whole words only",
			html: `<div class="shared-memory-notes">Shared memory is fine.</div><div class="commentary">Commentary stays.</div>`,
			want: "Shared memory is fine.\n\nCommentary stays.",
		},
		{
			name: "empty",
			html: "<div> <p>\n</p></div>",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := renderString(t, tt.html); got != tt.want {
				t.Errorf("Render:\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

// Extractors rename elements by changing Data alone; Render must follow
// the name, not the stale atom.
func TestRenderRenamedElement(t *testing.T) {
	doc, err := html.Parse(strings.NewReader("<div>first</div><div>second</div><div>third</div>"))
	if err != nil {
		t.Fatal(err)
	}
	var divs []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "div" {
			divs = append(divs, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	divs[0].Data = "h2"
	divs[1].Data = "span"
	divs[2].Data = "nav"
	if got, want := Render(doc), "## first\n\nsecond"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}

func TestRenderNil(t *testing.T) {
	if got := Render(nil); got != "" {
		t.Errorf("Render(nil) = %q", got)
	}
}
