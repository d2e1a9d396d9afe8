package publisher

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
)

// allowedHTML is every element and attribute CommonMark without raw HTML
// can produce; checkSafeHTML fails on anything else.
var allowedHTML = map[string][]string{
	"p": nil, "h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
	"ul": nil, "ol": {"start"}, "li": nil, "blockquote": nil, "hr": nil, "br": nil,
	"pre": nil, "code": {"class"}, "em": nil, "strong": nil,
	"a":   {"href", "title"},
	"img": {"src", "alt", "title"},
}

var languageClass = regexp.MustCompile(`^language-[^\s"'<>]+$`)

// checkSafeHTML parses fragment as a browser would and fails on any element
// or attribute outside allowedHTML (so on every script, iframe and event
// handler), on a link or image that is not an absolute http(s) URL, and on
// any comment but goldmark's placeholder for omitted raw HTML.
func checkSafeHTML(t *testing.T, fragment string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		t.Fatalf("parse the fragment: %v", err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			attrs, ok := allowedHTML[n.Data]
			if !ok {
				t.Errorf("element <%s> in\n%s", n.Data, fragment)
			}
			for _, a := range n.Attr {
				if !strings.Contains(","+strings.Join(attrs, ",")+",", ","+a.Key+",") {
					t.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
					continue
				}
				switch a.Key {
				case "href", "src":
					if u, err := url.Parse(a.Val); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						t.Errorf("<%s %s=%q>: not an absolute http(s) URL", n.Data, a.Key, a.Val)
					}
				case "class":
					if !languageClass.MatchString(a.Val) {
						t.Errorf("<%s class=%q>", n.Data, a.Val)
					}
				}
			}
		case html.CommentNode:
			if n.Data != " raw HTML omitted " {
				t.Errorf("comment %q", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	// The same, read as text, in case the parser above reads differently
	// from a browser.
	lower := strings.ToLower(fragment)
	for _, bad := range []string{"<script", "<iframe", "<style", "<svg", "<object", "<embed", "<form", `="javascript:`, `="data:`, `="vbscript:`} {
		if strings.Contains(lower, bad) {
			t.Errorf("fragment holds %q:\n%s", bad, fragment)
		}
	}
	if m := eventHandler.FindString(lower); m != "" {
		t.Errorf("fragment holds an event handler %q", m)
	}
}

// eventHandler matches an on...= attribute inside a tag.
var eventHandler = regexp.MustCompile(`<[a-z][^>]*\son[a-z]+\s*=`)

func TestIssueHTMLFrontMatter(t *testing.T) {
	cfg := config.Default().Publisher
	issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, []Article{articleAllSections, articleRequiredOnly})
	body, fm, err := IssueHTML(issue.Markdown(cfg))
	if err != nil {
		t.Fatal(err)
	}
	want := FrontMatter{
		Title:     issue.Title,
		Slug:      issue.Slug,
		CUID:      issue.CUID,
		Tags:      issue.Tags,
		Published: issue.Published.UTC(),
	}
	if fm != want {
		t.Errorf("front matter = %+v, want %+v", fm, want)
	}
	if !strings.HasPrefix(string(body), "<h2>"+articleAllSections.TitleKo+"</h2>\n") {
		t.Errorf("fragment does not start with the first article's heading:\n%.200s", body)
	}
	for _, leak := range []string{"cuid", "datePublished", "slug:", "<hr>"} {
		if strings.Contains(string(body), leak) {
			t.Errorf("front matter leaked into the fragment: %q", leak)
		}
	}
	if !strings.Contains(string(body), "<h2>주의</h2>") {
		t.Error("fragment lacks the closing 주의 section")
	}
	checkSafeHTML(t, string(body))
}

func TestIssueHTMLDocuments(t *testing.T) {
	published := time.Date(2024, 9, 1, 21, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		md      string
		want    FrontMatter
		body    string
		wantErr string
	}{
		{
			name: "no front matter renders whole",
			md:   "## 제목\n\n본문\n",
			body: "<h2>제목</h2>\n<p>본문</p>\n",
		},
		{
			name: "front matter with CRLF line endings",
			md:   "---\r\ntitle: \"제목\"\r\nslug: a-b\r\n---\r\n\r\n본문\r\n",
			want: FrontMatter{Title: "제목", Slug: "a-b"},
			body: "<p>본문</p>\n",
		},
		{
			name: "Hashnode date and unknown keys",
			md:   "---\ntitle: x\ndatePublished: Sun Sep 01 2024 21:00:00 GMT+0000 (Coordinated Universal Time)\ncover: https://example.com/a.png\n---\n본문\n",
			want: FrontMatter{Title: "x", Published: published},
			body: "<p>본문</p>\n",
		},
		{
			name: "an opening line never closed is not front matter",
			md:   "---\ntitle: x\n",
			body: "<hr>\n<p>title: x</p>\n",
		},
		{
			name: "a thematic break later is not front matter",
			md:   "본문\n\n---\n\n끝\n",
			body: "<p>본문</p>\n<hr>\n<p>끝</p>\n",
		},
		{
			name:    "front matter that is not YAML",
			md:      "---\ntitle: [unclosed\n---\n본문\n",
			wantErr: "publisher: front matter: yaml:",
		},
		{
			name:    "a date that is not Hashnode's",
			md:      "---\ndatePublished: 2024-09-01\n---\n본문\n",
			wantErr: `publisher: front matter: datePublished "2024-09-01": not a Hashnode date`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, fm, err := IssueHTML([]byte(tt.md))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fm != tt.want {
				t.Errorf("front matter = %+v, want %+v", fm, tt.want)
			}
			if string(body) != tt.body {
				t.Errorf("fragment = %q, want %q", body, tt.body)
			}
		})
	}
}

// TestIssueHTMLRawHTMLOmitted checks that goldmark's default holds: raw
// HTML, as a block or inside a line, never reaches the fragment.
func TestIssueHTMLRawHTMLOmitted(t *testing.T) {
	tests := []struct{ name, md string }{
		{"script block", "<script>alert(1)</script>\n"},
		{"script block, upper case, unclosed", "<SCRIPT SRC=https://evil.example/x.js>\n"},
		{"iframe block", "<iframe src=\"https://evil.example/\"></iframe>\n"},
		{"style block", "<style>body{display:none}</style>\n"},
		{"div with a handler", "<div onmouseover=\"alert(1)\">\n*마크다운*\n</div>\n"},
		{"comment block", "<!-- <script>alert(1)</script> -->\n"},
		{"processing instruction", "<?php echo 1; ?>\n"},
		{"declaration", "<!DOCTYPE html>\n"},
		{"CDATA", "<![CDATA[<script>alert(1)</script>]]>\n"},
		{"svg block with onload", "<svg onload=alert(1)>\n"},
		{"inline img with onerror", "글 <img src=x onerror=alert(1)> 끝\n"},
		{"inline script", "글 <script>alert(1)</script> 끝\n"},
		{"inline iframe", "글 <iframe src=javascript:alert(1)></iframe> 끝\n"},
		{"inline anchor", "글 <a href=\"javascript:alert(1)\">클릭</a> 끝\n"},
		{"inline anchor with a handler", "글 <a href=\"https://ok.example/\" onclick=\"alert(1)\">클릭</a> 끝\n"},
		{"inline comment", "글 <!-- x --> 끝\n"},
		{"in a list item", "- <script>alert(1)</script>\n- 글 <b onclick=x>굵게</b>\n"},
		{"in a blockquote", "> <iframe src=x></iframe>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _, err := IssueHTML([]byte(tt.md))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(body), "<!-- raw HTML omitted -->") {
				t.Errorf("no raw HTML was omitted:\n%s", body)
			}
			checkSafeHTML(t, string(body))
		})
	}
}

func TestIssueHTMLLinks(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"https link", "[글](https://go.dev/blog/unique)", `<p><a href="https://go.dev/blog/unique">글</a></p>`},
		{"http link with a title", `[글](http://example.com/a?b=1&c=2 "제목 \"따옴표\"")`, `<p><a href="http://example.com/a?b=1&amp;c=2" title="제목 &quot;따옴표&quot;">글</a></p>`},
		{"upper-case scheme", "[글](HTTPS://go.dev/)", `<p><a href="HTTPS://go.dev/">글</a></p>`},
		{"https autolink", "<https://go.dev/>", `<p><a href="https://go.dev/">https://go.dev/</a></p>`},
		{"https image", "![그림 *설명*](https://go.dev/a.png)", `<p><img src="https://go.dev/a.png" alt="그림 설명"></p>`},
		{"javascript link", "[클릭](javascript:alert(1))", `<p>클릭</p>`},
		{"javascript link, mixed case", "[클릭](JaVaScRiPt:alert(1))", `<p>클릭</p>`},
		{"javascript link, entity-encoded", "[클릭](&#106;avascript:alert(1))", `<p>클릭</p>`},
		{"javascript link, tab inside", "[클릭](java&#x09;script:alert(1))", `<p>클릭</p>`},
		{"javascript link, leading space in brackets", "[클릭](< javascript:alert(1)>)", `<p>클릭</p>`},
		{"javascript link, emphasis kept as text", "[**클릭**](javascript:alert(1))", `<p><strong>클릭</strong></p>`},
		{"javascript autolink", "<javascript:alert(1)>", `<p>javascript:alert(1)</p>`},
		{"javascript reference link", "[클릭][x]\n\n[x]: javascript:alert(1)", `<p>클릭</p>`},
		{"vbscript link", "[클릭](vbscript:msgbox)", `<p>클릭</p>`},
		{"data link", "[클릭](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", `<p>클릭</p>`},
		{"data image", "![그림](data:image/png;base64,iVBORw0KGgo=)", `<p>그림</p>`},
		{"data svg image", "![그림](data:image/svg+xml,<svg onload=alert(1)>)", `<p>![그림](data:image/svg+xml,<!-- raw HTML omitted -->)</p>`},
		{"file link", "[클릭](file:///etc/passwd)", `<p>클릭</p>`},
		{"mailto autolink", "<editor@example.com>", `<p>editor@example.com</p>`},
		{"mailto link", "[메일](mailto:editor@example.com)", `<p>메일</p>`},
		{"site-relative link", "[튜토리얼](/resources/learn/)", `<p>튜토리얼</p>`},
		{"protocol-relative link", "[클릭](//evil.example/x)", `<p>클릭</p>`},
		{"relative image", "![그림](/images/phantom.png)", `<p>그림</p>`},
		{"scheme without host", "[클릭](https:evil)", `<p>클릭</p>`},
		{"link inside an unsafe image", "![그림 [링크](https://go.dev/)](javascript:x)", `<p>그림 <a href="https://go.dev/">링크</a></p>`},
		{"unsafe link inside a safe image", "![그림 [링크](javascript:x)](https://go.dev/a.png)", `<p><img src="https://go.dev/a.png" alt="그림 링크"></p>`},
		{"quote in a destination", `[클릭](<https://ok.example/" onmouseover="alert(1)>)`, `<p><a href="https://ok.example/%22%20onmouseover=%22alert(1)">클릭</a></p>`},
		{"entities in an autolink label", "<javascript:alert(&quot;x&quot;)>", `<p>javascript:alert(&amp;quot;x&amp;quot;)</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _, err := IssueHTML([]byte(tt.md))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSuffix(string(body), "\n"); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			checkSafeHTML(t, string(body))
		})
	}
}

// hostileArticles are the publisher's own hostile fixtures, the seed's
// offending fields and links no reader should be able to click.
var hostileArticles = []Article{
	articleHostile, articleCodeAndLists, articleRequiredOnly,
	seedPhantom, seedUV, seedGosuda, seedMaintainable, seedValidation,
	{
		Sections: entry.Sections{
			TitleKo:      "<script>alert(1)</script> 제목",
			Summary:      "<img src=x onerror=alert(1)> 요약 <iframe src=\"javascript:alert(1)\"></iframe>",
			Introduction: "[클릭](javascript:alert(1)) ![x](data:image/png;base64,AA==) <javascript:alert(1)>\n\n<svg onload=alert(1)>\n\n`<script>코드</script>`",
			Caution:      "```html\n<script>alert(1)</script>\n```",
		},
		Link:     "javascript:alert(1)",
		LinkText: "](javascript:alert(1)) <b onclick=alert(1)>",
	},
	{
		Sections: entry.Sections{
			TitleKo:      "데이터 링크",
			Summary:      "요약",
			Introduction: "소개",
		},
		Link:     "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		LinkText: "열기",
	},
	{
		Sections: entry.Sections{
			TitleKo:      "상대 링크",
			Summary:      "요약",
			Introduction: "소개",
		},
		Link: "/resources/learn/phantom-token-pattern/",
	},
}

func TestArticleHTMLHostile(t *testing.T) {
	for i, a := range hostileArticles {
		t.Run(fmt.Sprintf("%d %s", i, a.TitleKo), func(t *testing.T) {
			got := string(ArticleHTML(a))
			checkSafeHTML(t, got)
			if !strings.HasPrefix(got, "<h2>") || strings.Count(got, "<h2>") != 1 {
				t.Errorf("the block is not one <h2> section:\n%s", got)
			}
			if strings.Count(got, "<a ") > 1+strings.Count(got, `<a href="https://curity.io/resources/">`) {
				t.Errorf("a link besides 참고's:\n%s", got)
			}
		})
	}
}

func TestArticleHTMLHostileGolden(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("testdata", "article_hostile_fields.golden"))
	if err != nil {
		t.Fatal(err)
	}
	body, fm, err := IssueHTML(md)
	if err != nil {
		t.Fatal(err)
	}
	if fm != (FrontMatter{}) {
		t.Errorf("an article block has no front matter, got %+v", fm)
	}
	if got := ArticleHTML(articleHostile); got != body {
		t.Errorf("ArticleHTML differs from the golden block's HTML:\n%s\n---\n%s", got, body)
	}
	checkSafeHTML(t, string(body))
	for _, want := range []string{
		"<p>## 팬텀 토큰 접근 방식\n",
		"&lt;img src=&quot;/images/phantom.png&quot;&gt;",
		"&lt;!-- 닫히지 않은 주석",
		`<a href="https://curity.io/resources/learn/phantom-token-pattern/">`,
		"<pre><code># 닫히지 않은 코드 블록\n## 추가 자료\n</code></pre>",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
}

func TestIssueHTMLSeedIssue(t *testing.T) {
	cfg := config.Default().Publisher
	md := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, hostileArticles).Markdown(cfg)
	body, _, err := IssueHTML(md)
	if err != nil {
		t.Fatal(err)
	}
	checkSafeHTML(t, string(body))
	if got, want := strings.Count(string(body), "<h2>"), len(hostileArticles)+1; got != want {
		t.Errorf("%d <h2> sections, want %d (one per article and 주의)", got, want)
	}
}

func TestIssueHTMLConcurrent(t *testing.T) {
	cfg := config.Default().Publisher
	md := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, hostileArticles).Markdown(cfg)
	want, _, err := IssueHTML(md)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got, _, _ := IssueHTML(md); got != want {
				t.Error("a concurrent render differs")
			}
		})
	}
	wg.Wait()
}

// BenchmarkIssueHTML renders a 30-article issue to HTML, beside its peers:
// the markdown rendering of the same issue and goldmark's default
// conversion of the same markdown, without the link filter.
func BenchmarkIssueHTML(b *testing.B) {
	cfg := config.Default().Publisher
	fixtures := []Article{articleAllSections, articleRequiredOnly, articleCodeAndLists, articleHostile, seedPhantom, seedUV}
	var articles []Article
	for i := range 30 {
		articles = append(articles, fixtures[i%len(fixtures)])
	}
	issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles)
	md := issue.Markdown(cfg)
	b.Run("markdown", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = issue.Markdown(cfg)
		}
	})
	b.Run("html", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(md)))
		for b.Loop() {
			if _, _, err := IssueHTML(md); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goldmark-default", func(b *testing.B) {
		_, body, _ := splitFrontMatter(md)
		var out strings.Builder
		b.ReportAllocs()
		b.SetBytes(int64(len(md)))
		for b.Loop() {
			out.Reset()
			if err := goldmark.Convert(body, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
