package entry

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestDisallowed(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Markup
	}{
		{"plain prose, lists, emphasis and code", "주요 내용:\n\n- **`main` 함수**: 진입점\n- *이름*\n\n```html\n<div><a href=\"/x\">x</a></div>\n```", nil},
		{"ATX heading", "### Summary\n\n본문", []Markup{{Heading, "### Summary"}}},
		{"heading in a list item", "- ## 제목", []Markup{{Heading, "- ## 제목"}}},
		{"setext heading", "제목\n===\n\n본문", []Markup{{Heading, "제목 ==="}}},
		{"thematic break", "가\n\n***\n\n나", []Markup{{Rule, "***"}}},
		{"label alone and opening a line", "**Caution**\n\n주의:\n\nSummary: 요약", []Markup{{Label, "**Caution**"}, {Label, "주의:"}, {Label, "Summary: 요약"}}},
		{"not a label", "Summary of the talk, 요약하면 이렇습니다.", nil},
		{"HTML block and inline tags", "<div class=\"x\">\n\n본문 <span>가</span>", []Markup{{HTML, `<div class="x">`}, {HTML, "<span>"}, {HTML, "</span>"}}},
		{"comment", "본문 <!-- 주석 -->", []Markup{{HTML, "<!-- 주석 -->"}}},
		{"generics are not tags", "List<T>와 Map<K, V>, <S> 그리고 </A>", nil},
		{"at most three tags", "<b>1</b><b>2</b><b>3</b>", []Markup{{HTML, "<b>"}, {HTML, "</b>"}, {HTML, "<b>"}}},
		{"link and image", "[문서](/docs) ![그림](/a.svg)", []Markup{{Link, "[문서](/docs)"}, {Link, "![그림](/a.svg)"}}},
		{"Go is not a link", "func F[T any](x T)와 Index[[]int](s)", nil},
		{"bare and bracketed URLs", "https://go.dev/a 와 <https://go.dev/b>", []Markup{{URL, "https://go.dev/a"}, {URL, "https://go.dev/b"}}},
		{"reference definition and its use", "[문서]: /docs\n\n[문서]를 보세요.", []Markup{{Link, "[문서]: /docs"}, {Link, "[문서](/docs)"}}},
		{"e-mail is not a URL", "<gopher@example.com>", nil},
		{"code is exempt", "`## x` `<b>` `[a](/b)` `https://go.dev`", nil},
		{"indented code is exempt", "본문\n\n    <b>## x</b>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Disallowed(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("Disallowed = %q, want %q", got, tt.want)
			}
			for i := range tt.want {
				if got[i] != tt.want[i] {
					t.Errorf("markup %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestParseTree checks the kinds of node a field is read as, the tree the
// checks and the publisher walk.
func TestParseTree(t *testing.T) {
	tests := []struct {
		text string
		want string // the kinds of the nodes in document order
	}{
		{"가 **나** `다`", "Document Paragraph Text Emphasis Text Text CodeSpan Text"},
		{"| a |\n| - |\n| <b> |", "Document Table TableHeader TableCell Text TableRow TableCell RawHTML"},
		{"https://go.dev", "Document Paragraph AutoLink"},
		{"[x]: /y\n\n[x]", "Document LinkReferenceDefinition Paragraph Link Text"},
	}
	for _, tt := range tests {
		doc := Parse([]byte(tt.text))
		var kinds []string
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				kinds = append(kinds, n.Kind().String())
			}
			return ast.WalkContinue, nil
		})
		if got := strings.Join(kinds, " "); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote(" a\n\tb "); got != `"a b"` {
		t.Errorf("Quote = %s", got)
	}
	if got := Quote(strings.Repeat("가", 61)); got != `"`+strings.Repeat("가", 60)+`…"` {
		t.Errorf("Quote of 61 characters = %s", got)
	}
}

func TestProse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a `b` c", "a   c"},
		{"a ``b ` c`` d", "a   d"},
		{"unmatched ` tick", "unmatched ` tick"},
		{"x\n```go\ncode\n```\ny", "x\n\n\n\ny"},
		{"x\n~~~\n# not a heading\n~~~\ny", "x\n\n\n\ny"},
		{"x\n\n```\nunclosed\n", "x\n\n\n\n"},
		{"x\n\n    indented code\n\ny", "x\n\n\n\ny"},
		{"- 목록 `code`\n  ```\n  fenced\n  ```", "- 목록  \n\n\n"},
		{"`a\nb` 다음", "\n 다음"},
	}
	for _, tt := range tests {
		if got := Prose(tt.in); got != tt.want {
			t.Errorf("Prose(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
