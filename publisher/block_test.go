package publisher

import "testing"

func TestBlockText(t *testing.T) {
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
		{"indented fence moved to column 0", "1. 설치:\n\n   ```sh\n   # 설치\n   go install\n   ```", "1. 설치:\n\n```sh\n# 설치\ngo install\n```"},
		{"deeply indented fence", "문단\n      ```\n      code\n## 제목\n      ```", "문단\n\n```\ncode\n## 제목\n```"},
		{"inline triple backticks", "```go x := 1```\n# 제목", "```go x := 1```\n\\# 제목"},
		{"fence blank lines collapse", "```\na\n\n\nb\n```", "```\na\n\nb\n```"},
		{"fence set apart", "앞 문단\n```\ncode\n```\n뒤 문단", "앞 문단\n\n```\ncode\n```\n\n뒤 문단"},
		{"fence then heading", "```\ncode\n```\n# 제목", "```\ncode\n```\n\n\\# 제목"},

		{"site-relative link", "[제품](/product/) 소개", "제품 소개"},
		{"link in list item", "- [제품](/product/)", "- 제품"},
		{"reference definition", "[제품]: /product/\n\n[제품]을 보세요.", "\\[제품]: /product/\n\n\\[제품]을 보세요."},
		{"link split over lines", "[제품\n소개](/product/)", "\\[제품\n소개](/product/)"},
		{"code span split over lines", "`<div>\n</div>` 요소", "\\`\\<div>\n\\</div>\\` 요소"},
		{"link text that would open a heading", "문단\n[# 제목](/x)", "문단\n\\# 제목"},
		{"link text that would open a fence", "[~~~](/x)\n# 제목", "\\~~~\n\\# 제목"},
		{"link text that would be a setext underline", "제목\n[---](/x)", "제목\n\\---"},
		{"link without text", "앞\n[](/x)\n뒤", "앞\n뒤"},
		{"fenced code untouched", "```html\n<div>[x](/y)</div>\n```", "```html\n<div>[x](/y)</div>\n```"},
		{"table cells read one by one", "| 코드 | 설명 |\n| --- | --- |\n| `a|<b>|` | [x](/y) |", "| 코드 | 설명 |\n| --- | --- |\n| \\`a|\\<b>|\\` | x |"},
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := blockText(tt.in); got != tt.want {
				t.Errorf("blockText(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestBlockTextIdempotent checks that cleaning cleaned text changes nothing.
func TestBlockTextIdempotent(t *testing.T) {
	for _, a := range []Article{articleAllSections, articleRequiredOnly, articleCodeAndLists, articleHostile} {
		for _, field := range []string{a.Summary, a.Introduction, a.Recommendation, a.Caution} {
			once := blockText(field)
			if twice := blockText(once); twice != once {
				t.Errorf("blockText is not idempotent:\n once: %q\ntwice: %q", once, twice)
			}
		}
	}
}
