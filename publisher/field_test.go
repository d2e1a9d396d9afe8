package publisher

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"

	"github.com/godevcommunity/newsletter/entry"
)

// TestFieldText checks how a field is rewritten, and that what comes out
// reads, as GFM and as CommonMark, as a tree holding only what a field may
// (checkFieldTree) and is not rewritten again. The cases are those of the
// hand-written scanners fieldText replaced; where a case's output differs,
// the old scanners read a line alone (a code span, link or tag never went
// on to the next line) and fieldText reads the field as CommonMark does.
func TestFieldText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", " \n\t\r\n ", ""},
		{"trimmed", "  본문입니다.  \n\n", "본문입니다."},
		{"CRLF and CR", "첫 줄\r\n둘째 줄\r셋째 줄", "첫 줄\n둘째 줄\n셋째 줄"},
		{"trailing spaces", "줄 끝 공백   \n탭\t\n", "줄 끝 공백\n탭"},
		{"blank runs collapse", "a\n\n\n\nb\n \n\t\nc", "a\n\nb\n\nc"},
		{"control characters dropped", "a\x00b\x07c\x1bd\x7fe\tf", "abcde\tf"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"ATX heading", "## 팬텀 토큰 접근 방식", `\## 팬텀 토큰 접근 방식`},
		{"ATX heading mid-field", "본문\n# 제목\n본문", "본문\n\\# 제목\n본문"},
		{"indented ATX heading", "   ### Summary", `\### Summary`},
		{"indented ATX heading after text", "본문\n   ### Summary", "본문\n   \\### Summary"},
		{"hashtag", "#golang 태그", `\#golang 태그`},
		{"heading in block quote", "> # 제목", `> \# 제목`},
		{"heading in nested quote", ">> ## 제목", `>> \## 제목`},
		{"heading in list item", "- ## 제목", `- \## 제목`},
		{"heading in ordered list item", "1. # 제목", `1. \# 제목`},
		{"already escaped", `\# 제목`, `\# 제목`},
		{"hash mid-line", "C# 언어", "C# 언어"},
		{"setext h2", "제목\n---", "제목\n\\---"},
		{"setext h1", "제목\n===", "제목\n\\==="},
		{"setext single dash", "제목\n-", "제목\n\\-"},
		{"setext in list item", "- 항목\n  ---", "- 항목\n  \\---"},
		{"rule after blank line", "문단\n\n---\n\n문단", "문단\n\n---\n\n문단"},
		{"equals after blank line", "문단\n\n===", "문단\n\n==="},
		{"spaced rule", "문단\n- - -", "문단\n- - -"},
		{"star rule", "문단\n***", "문단\n***"},
		{"HTML tag", `<img src="/images/a.png">`, `\<img src="/images/a.png">`},
		{"closing tag", "</div>", `\</div>`},
		{"HTML comment", "<!-- 주석", `\<!-- 주석`},
		{"processing instruction", "<?php", `\<?php`},
		{"HTML in list item", "- <a href=\"/product/\">제품</a>", "- \\<a href=\"/product/\">제품\\</a>"},
		{"inline HTML mid-line", "본문 <b>굵게</b>", "본문 \\<b>굵게\\</b>"},
		{"tag continued on the next line", "본문 <a\nhref=\"/x\">링크</a>", "본문 \\<a\nhref=\"/x\">링크\\</a>"},
		{"URI autolink", "<https://go.dev/blog/> 참고", "<https://go.dev/blog/> 참고"},
		{"e-mail autolink", "<gopher@example.com>", "<gopher@example.com>"},
		{"less than", "< 5 ms", "< 5 ms"},
		{"fence keeps hash lines", "```sh\n# 실행\ngo test ./...\n```", "```sh\n# 실행\ngo test ./...\n```"},
		{"unclosed fence closed", "```\n# 주석", "```\n# 주석\n```"},
		{"unclosed tilde fence closed", "~~~~go\nx := 1", "~~~~go\nx := 1\n~~~~"},
		{"longer closer", "```\ncode\n`````", "```\ncode\n`````"},
		{"shorter run does not close", "````\n```\n## 제목", "````\n```\n## 제목\n````"},
		{"indented fence in a list item stays", "1. 설치:\n\n   ```sh\n   # 설치\n   go install\n   ```", "1. 설치:\n\n   ```sh\n   # 설치\n   go install\n   ```"},
		{"indented backticks continue a paragraph", "문단\n      ```\n      code\n## 제목\n      ```", "문단\n      ```\n      code\n\\## 제목\n      ```"},
		{"inline triple backticks", "```go x := 1```\n# 제목", "```go x := 1```\n\\# 제목"},
		{"fence blank lines collapse", "```\na\n\n\nb\n```", "```\na\n\nb\n```"},
		{"fence set apart", "앞 문단\n```\ncode\n```\n뒤 문단", "앞 문단\n\n```\ncode\n```\n\n뒤 문단"},
		{"fence then heading", "```\ncode\n```\n# 제목", "```\ncode\n```\n\n\\# 제목"},
		{"site-relative link", "[제품](/product/) 소개", "제품 소개"},
		{"link in list item", "- [제품](/product/)", "- 제품"},
		{"reference definition", "[제품]: /product/\n\n[제품]을 보세요.", "\\[제품]: /product/\n\n\\[제품]을 보세요."},
		{"link split over lines", "[제품\n소개](/product/)", "제품\n소개"},
		{"code span over two lines, the second opening an HTML block", "`<div>\n</div>` 요소", "`<div>\n\\</div>` 요소"},
		{"link text that would open a heading", "문단\n[# 제목](/x)", "문단\n\\# 제목"},
		{"link text that would open a fence", "[~~~](/x)\n# 제목", "\\~~~\n\\# 제목"},
		{"link text that would be a setext underline", "제목\n[---](/x)", "제목\n\\---"},
		{"link without text", "앞\n[](/x)\n뒤", "앞\n뒤"},
		{"fenced code untouched", "```html\n<div>[x](/y)</div>\n```", "```html\n<div>[x](/y)</div>\n```"},
		{"table cells read as GFM and as CommonMark", "| 코드 | 설명 |\n| --- | --- |\n| `a|<b>|` | [x](/y) |", "| 코드 | 설명 |\n| --- | --- |\n| `a|\\<b>|` | x |"},
		{"pipes in a code span outside a table", "`a|<b>|` 코드", "`a|<b>|` 코드"},
		{"link text that would make a table", "| 코드 |\n[|---|](/x)\n| `a|<b>|` |", "| 코드 |\n\\|---|\n| `a|<b>|` |"},
		{"list after paragraph line", "내용:\n- 하나\n- 둘", "내용:\n\n- 하나\n- 둘"},
		{"star list after paragraph line", "내용:\n* **굵게**: 설명\n* 둘", "내용:\n\n* **굵게**: 설명\n* 둘"},
		{"ordered list after paragraph line", "순서:\n1. 하나\n2. 둘", "순서:\n\n1. 하나\n2. 둘"},
		{"list after blank line", "내용:\n\n- 하나", "내용:\n\n- 하나"},
		{"list item continuation", "- 하나\n  이어지는 줄\n- 둘", "- 하나\n  이어지는 줄\n- 둘"},
		{"lazy continuation", "- 하나\n이어지는 줄\n- 둘", "- 하나\n이어지는 줄\n- 둘"},
		{"nested list", "- 하나\n  - 하위\n- 둘", "- 하나\n  - 하위\n- 둘"},
		{"loose list", "- 하나\n\n- 둘", "- 하나\n\n- 둘"},
		{"new list after paragraph", "- 하나\n\n문단\n- 둘", "- 하나\n\n문단\n\n- 둘"},
		{"number in prose is not a list", "발표는\n2024. 9월에 있었습니다.", "발표는\n2024. 9월에 있었습니다."},
		{"emphasis is not a list", "문단\n*강조*", "문단\n*강조*"},
		{"open and closing tag", "본문 <b>굵게</b> 끝", `본문 \<b>굵게\</b> 끝`},
		{"attributes", `그림 <img src="/a.svg?v=1" alt='흐름' data-x=1 hidden/>`, `그림 \<img src="/a.svg?v=1" alt='흐름' data-x=1 hidden/>`},
		{"upper case", "<DIV CLASS=x>", `\<DIV CLASS=x>`},
		{"closing tag alone", "끝 </div >", `끝 \</div >`},
		{"comment", "a <!-- 주석 --> b", `a \<!-- 주석 --> b`},
		{"unclosed comment is text", "a <!-- 주석", "a <!-- 주석"},
		{"processing instruction", "a <?php echo 1; ?>", `a \<?php echo 1; ?>`},
		{"declaration", "<!DOCTYPE html>", `\<!DOCTYPE html>`},
		{"tag cut by the end of the field is text", "본문 <a", "본문 <a"},
		{"closing tag cut by the end of the field is text", "본문 </a", "본문 </a"},
		{"quoted value cut by the end of the field is text", `본문 <a href="/x`, "본문 <a href=\"/x"},
		{"type parameter outside code", "List<T>를 씁니다", `List\<T>를 씁니다`},
		{"not HTML: spaced comparison", "a < b 이고 c > d", "a < b 이고 c > d"},
		{"not HTML: number", "x<3, y <= 10", "x<3, y <= 10"},
		{"not HTML: no attribute after the name", "a<b 이면 참", "a<b 이면 참"},
		{"not HTML: channel", "v := <-ch", "v := <-ch"},
		{"not HTML: empty", "<> 와 < div>", "<> 와 < div>"},
		{"already escaped", `\<b> 와 \\\<i>`, `\<b> 와 \\\<i>`},
		{"escaped backslash before a tag", `\\<b>`, `\\\<b>`},
		{"URI autolink", "<https://go.dev/blog/> 참고", "<https://go.dev/blog/> 참고"},
		{"e-mail autolink", "<gopher@example.com>", "<gopher@example.com>"},
		{"autolink holding brackets", "<https://x.dev/a[b](/c)>", "<https://x.dev/a[b](/c)>"},
		{"script autolink", "<javascript:alert(1)>", `\<javascript:alert(1)>`},
		{"mailto autolink", "<mailto:gopher@example.com>", `\<mailto:gopher@example.com>`},
		{"http autolink without a host", "<http:foo>", `\<http:foo>`},
		{"site-relative link", "[제품](/product/)을 보세요", "제품을 보세요"},
		{"parent-relative link", "[t](../x)", "t"},
		{"fragment link", "[t](#frag)", "t"},
		{"script link", "[t](javascript:alert(1))", "t"},
		{"absolute link", "[Go 블로그](https://go.dev/blog/)", "Go 블로그"},
		{"image", "![흐름](/images/a.svg)", "흐름"},
		{"link with a title", `[t](/x "제목") 끝`, "t 끝"},
		{"link with a parenthesised title", "[t](/x (제목))", "t"},
		{"angle-bracket destination", "[t](</a b> 'c')", "t"},
		{"empty destination", "[t]()", "t"},
		{"balanced parentheses", "[Go](https://en.wikipedia.org/wiki/Go_(language))입니다", "Go입니다"},
		{"markup in link text", "[**굵게** `code`](/x)", "**굵게** `code`"},
		{"image in a link", "[![로고](/l.svg) 홈](/)", "로고 홈"},
		{"link in a link", "[a [b](/c) d](/e)", `\[a b d](/e)`},
		{"link after a dropped one", "[a](/x)(/y)", "a(/y)"},
		{"brackets left before parentheses", "[a []](/x)(/y)", `a \[](/y)`},
		{"link without text", "앞 [](/x) 뒤", "앞  뒤"},
		{"HTML in link text", "[<b>굵게</b>](/x)", `\<b>굵게\</b>`},
		{"'<' left before the rest of a tag", "[a <](/x)b>", `a \<b>`},
		{"tag around a link", "<a [x](/y) href='z'>", `\<a x href='z'>`},
		{"autolink made by dropping a link", "[<javascript:alert(1)](</y z>)>", `\<javascript:alert(1)>`},
		{"reference definition", "[x]: /path", `\[x]: /path`},
		{"reference link", "[text][ref]와 [ref]", `\[text]\[ref]와 \[ref]`},
		{"space before the destination", "[t] (/x)", `\[t] (/x)`},
		{"unclosed destination", "[t](/x", `\[t](/x`},
		{"unbalanced parentheses", "[t](/x(y)", `\[t](/x(y)`},
		{"unclosed title", `[t](/x "y)`, `\[t](/x "y)`},
		{"escaped bracket", `\[t](/x)`, `\[t](/x)`},
		{"escaped image", `!\[t](/x)`, `!\[t](/x)`},
		{"code spans", "`<div>`과 `[x](/y)`는 그대로", "`<div>`과 `[x](/y)`는 그대로"},
		{"double backticks", "``a ` <b>`` 뒤 <i>", "``a ` <b>`` 뒤 \\<i>"},
		{"closing run of the same length", "`a``b` <c>", "`a``b` \\<c>"},
		{"unclosed backtick", "`a <b>", "`a \\<b>"},
		{"unclosed runs", "``a` <b>", "``a` \\<b>"},
		{"backslash inside code", "`a\\`<b>", "`a\\`\\<b>"},
		{"escaped backticks", "\\`<b>\\`", "\\`\\<b>\\`"},
		{"link text in code", "[`]`](/x)", "`]`"},
		{"a code span before the link's end", "[a`](/x)`<b>`", "\\[a`](/x)`\\<b>`"},
		{"backticks meeting where a link was dropped", "[`c`](/x)``<b>``", "`c```\\<b>``"},
		{"inline triple backticks", "```go x := 1```", "```go x := 1```"},
		{"text that would open a fence", "[~~~](/x) a", `\~~~ a`},
		{"text that would be a delimiter row", "[|-|](/x)", `\|-|`},
		{"trailing space dropped", "[a ](/x)", "a"},
		// The seed's own lines (../shared/reference/seed-newsletter.md).
		{"seed line 598", seedLine598, strings.ReplaceAll(seedLine598, "<", `\<`)},
		{"seed line 604", seedLine604, strings.ReplaceAll(seedLine604, "<", `\<`)},
		{"seed line 688", seedLine688, strings.ReplaceAll(seedLine688, "<", `\<`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fieldText(tt.in)
			if got != tt.want {
				t.Errorf("fieldText(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			checkFieldTree(t, got)
			if again := fieldText(got); again != got {
				t.Errorf("fieldText is not idempotent:\n once: %q\ntwice: %q", got, again)
			}
		})
	}
}

// checkFieldTree checks that md, a field as published, reads (as GFM and as
// CommonMark) as a tree without headings, HTML, links, images or link
// definitions, and with autolinks only to http(s) URLs and e-mail
// addresses, and that no fenced code runs to its end unclosed.
func checkFieldTree(t *testing.T, md string) {
	t.Helper()
	src := []byte(md)
	for _, doc := range []ast.Node{entry.Parse(src), entry.ParseCommonMark(src)} {
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.Heading, *ast.HTMLBlock, *ast.RawHTML, *ast.Link, *ast.Image, *ast.LinkReferenceDefinition:
				t.Errorf("%q holds a %s", md, n.Kind())
			case *ast.AutoLink:
				if n.AutoLinkType != ast.AutoLinkEmail && !webURL(n.URL(src)) {
					t.Errorf("%q holds an autolink to %q", md, n.URL(src))
				}
			case *ast.FencedCodeBlock:
				if l := n.Lines(); l.Len() > 0 && l.At(l.Len()-1).Stop >= len(src) {
					t.Errorf("%q leaves a code fence open", md)
				}
			}
			return ast.WalkContinue, nil
		})
	}
}

// TestFieldTextIdempotent checks that rewriting a rewritten fixture field
// changes nothing.
func TestFieldTextIdempotent(t *testing.T) {
	for _, a := range []Article{articleAllSections, articleRequiredOnly, articleCodeAndLists, articleHostile, seedPhantom, seedUV, seedGosuda} {
		for _, f := range entry.Fields {
			once := fieldText(a.Get(f))
			if twice := fieldText(once); twice != once {
				t.Errorf("fieldText is not idempotent:\n once: %q\ntwice: %q", once, twice)
			}
			checkFieldTree(t, once)
		}
	}
}

// TestLiteral checks the text a field that does not settle is published as:
// every line shown as written, no markup left.
func TestLiteral(t *testing.T) {
	tests := []struct{ in, want string }{
		{"# 제목\n[x](/y) <b>", "\\# 제목\n\\[x\\](/y) \\<b\\>"},
		{"- 항목\n> 인용\n\n\n1. 둘", "\\- 항목\n\\> 인용\n\n1. 둘"},
	}
	for _, tt := range tests {
		got := literal(tt.in)
		if got != tt.want {
			t.Errorf("literal(%q) = %q, want %q", tt.in, got, tt.want)
		}
		checkFieldTree(t, got)
	}
}
