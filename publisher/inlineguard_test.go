package publisher

import (
	"strings"
	"testing"
)

func TestGuardInline(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Raw HTML: the '<' is escaped and the tag shows as text.
		{"open and closing tag", "본문 <b>굵게</b> 끝", `본문 \<b>굵게\</b> 끝`},
		{"attributes", `그림 <img src="/a.svg?v=1" alt='흐름' data-x=1 hidden/>`, `그림 \<img src="/a.svg?v=1" alt='흐름' data-x=1 hidden/>`},
		{"upper case", "<DIV CLASS=x>", `\<DIV CLASS=x>`},
		{"closing tag alone", "끝 </div >", `끝 \</div >`},
		{"comment", "a <!-- 주석 --> b", `a \<!-- 주석 --> b`},
		{"unclosed comment", "a <!-- 주석", `a \<!-- 주석`},
		{"processing instruction", "a <?php echo 1; ?>", `a \<?php echo 1; ?>`},
		{"declaration", "<!DOCTYPE html>", `\<!DOCTYPE html>`},
		{"tag cut by the end of the line", "본문 <a", `본문 \<a`},
		{"closing tag cut by the end of the line", "본문 </a", `본문 \</a`},
		{"quoted value cut by the end of the line", `본문 <a href="/x`, `본문 \<a href="/x`},
		{"type parameter outside code", "List<T>를 씁니다", `List\<T>를 씁니다`},
		{"not HTML: spaced comparison", "a < b 이고 c > d", "a < b 이고 c > d"},
		{"not HTML: number", "x<3, y <= 10", "x<3, y <= 10"},
		{"not HTML: no attribute after the name", "a<b 이면 참", "a<b 이면 참"},
		{"not HTML: channel", "v := <-ch", "v := <-ch"},
		{"not HTML: empty", "<> 와 < div>", "<> 와 < div>"},
		{"already escaped", `\<b> 와 \\\<i>`, `\<b> 와 \\\<i>`},
		{"escaped backslash before a tag", `\\<b>`, `\\\<b>`},

		// Autolinks: http(s) URLs and e-mail addresses stay.
		{"URI autolink", "<https://go.dev/blog/> 참고", "<https://go.dev/blog/> 참고"},
		{"e-mail autolink", "<gopher@example.com>", "<gopher@example.com>"},
		{"autolink holding brackets", "<https://x.dev/a[b](/c)>", "<https://x.dev/a[b](/c)>"},
		{"script autolink", "<javascript:alert(1)>", `\<javascript:alert(1)>`},
		{"mailto autolink", "<mailto:gopher@example.com>", `\<mailto:gopher@example.com>`},
		{"http autolink without a host", "<http:foo>", `\<http:foo>`},

		// Links and images: only the text stays, whatever the destination.
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

		// Code spans are left alone; a run of backticks that opens none is
		// escaped, so no code span can continue on another line.
		{"code spans", "`<div>`과 `[x](/y)`는 그대로", "`<div>`과 `[x](/y)`는 그대로"},
		{"double backticks", "``a ` <b>`` 뒤 <i>", "``a ` <b>`` 뒤 \\<i>"},
		{"closing run of the same length", "`a``b` <c>", "`a``b` \\<c>"},
		{"unclosed backtick", "`a <b>", "\\`a \\<b>"},
		{"unclosed runs", "``a` <b>", "\\`\\`a\\` \\<b>"},
		{"backslash inside code", "`a\\`<b>", "`a\\`\\<b>"},
		{"escaped backticks", "\\`<b>\\`", "\\`\\<b>\\`"},
		{"link text in code", "[`]`](/x)", "`]`"},
		{"code span over a bracket", "[a`](/x)`<b>`", "\\[a`](/x)`\\<b>\\`"},
		{"backticks kept apart across a dropped link", "[`c`](/x)``<b>``", "`c` ``<b>``"},
		{"inline triple backticks", "```go x := 1```", "```go x := 1```"},

		// What a dropped link leaves at the start of the line.
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
			got := guardInline(tt.in, false)
			if got != tt.want {
				t.Errorf("guardInline(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			if again := guardInline(got, false); again != got {
				t.Errorf("guardInline is not idempotent:\n once: %q\ntwice: %q", got, again)
			}
		})
	}
}

func TestGuardInlineTableRow(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"code span cut by a cell", "| `a|<b>|` |", "| \\`a|\\<b>|\\` |"},
		{"escaped pipe", "| `a\\|<b>` |", "| `a\\|<b>` |"},
		{"link in a cell", "| [x](/y) | ![z](/w) |", "| x | z |"},
		{"link cut by a cell", "| [x|y](/z) |", "| \\[x|y](/z) |"},
		{"tag cut by a cell", "| <a | href='/x'> |", "| \\<a | href='/x'> |"},
		{"delimiter row", "| --- | :-: |", "| --- | :-: |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := guardInline(tt.in, true); got != tt.want {
				t.Errorf("guardInline(%q, table)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTableRuns(t *testing.T) {
	lines := []string{"앞 문단", "", "| a | b |", "|---|:-:|", "| `x|y` | z |", "", "`x|y` 뒤 문단"}
	want := []bool{false, false, true, true, true, false, false}
	got := tableRuns(lines)
	for i := range lines {
		if got[i] != want[i] {
			t.Errorf("line %d %q: table = %v, want %v", i+1, lines[i], got[i], want[i])
		}
	}
}

// FuzzGuardInline checks that guarding a guarded line changes nothing: a
// link or tag that the first pass let through, or made by dropping a link,
// would be caught by the second.
func FuzzGuardInline(f *testing.F) {
	for _, s := range []string{
		seedLine598, seedLine604, seedLine688,
		"[a [b](/c) d](/e) `x` <b>", "``[](/x)`[t](/y)`", "[`c`](/x)``<b>``", "<a [x](/y) href='z'>",
		"[<javascript:alert(1)](</y z>)>", "| `a|<b>|` | [x](/y) |", "[~~~](/x)", "![a](/b \"c\")",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, line string, table bool) {
		line = strings.ReplaceAll(cleanText(line), "\n", " ")
		once := guardInline(line, table)
		if twice := guardInline(once, table); twice != once {
			t.Errorf("guardInline(%q, %v) is not idempotent:\n once: %q\ntwice: %q", line, table, once, twice)
		}
	})
}
