package publisher

import (
	"testing"

	"github.com/godevcommunity/newsletter/entry"
)

func TestLinkDestination(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://go.dev/blog/unique", "https://go.dev/blog/unique"},
		{"https://example.com/?ref=dailydev&hl=en#part", "https://example.com/?ref=dailydev&hl=en#part"},
		{"https://en.wikipedia.org/wiki/Go_(programming_language)", "https://en.wikipedia.org/wiki/Go_%28programming_language%29"},
		{"https://example.com/a b", "https://example.com/a%20b"},
		{"https://example.com/<script>", "https://example.com/%3Cscript%3E"},
		{`https://example.com/a\b`, "https://example.com/a%5Cb"},
		{"https://example.com/`x`", "https://example.com/%60x%60"},
		{"https://example.com/a\nb\tc", "https://example.com/a%0Ab%09c"},
		{"https://example.com/a\u3000b", "https://example.com/a%E3%80%80b"},
		{"https://example.com/a\xffb", "https://example.com/a%FFb"},
		{"https://example.com/already%20encoded", "https://example.com/already%20encoded"},
		{"https://ko.wikipedia.org/wiki/고_(프로그래밍_언어)", "https://ko.wikipedia.org/wiki/고_%28프로그래밍_언어%29"},
	}
	for _, tt := range tests {
		if got := linkDestination(tt.in); got != tt.want {
			t.Errorf("linkDestination(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReferenceLink(t *testing.T) {
	tests := []struct {
		name, link, text, want string
	}{
		{"source title", "https://go.dev/blog/unique", "New unique package", "[New unique package](https://go.dev/blog/unique)"},
		{"no source title", "https://go.dev/blog/unique", " ", "[https://go.dev/blog/unique](https://go.dev/blog/unique)"},
		{"brackets and backslash", "https://x.dev/", `[Go] a\b`, `[\[Go\] a\\b](https://x.dev/)`},
		{"inline syntax shown as written", "https://x.dev/", "*C* `code` _x_ <b> ~~s~~ &amp;", `[\*C\* \` + "`" + `code\` + "`" + ` \_x\_ \<b\> \~\~s\~\~ \&amp;](https://x.dev/)`},
		{"multi-line source title", "https://x.dev/", "첫 줄\n# 둘째 줄", `[첫 줄 # 둘째 줄](https://x.dev/)`},
		{"URL label keeps the raw URL", "https://x.dev/a_(b)", "", `[https://x.dev/a\_(b)](https://x.dev/a_%28b%29)`},
		{"no link", "", "제목만", "제목만"},
		{"no link, heading-like title", "", "# 제목", `\# 제목`},
		{"nothing", " ", "", ""},
		{"seed: site-relative link shown as text", "/product/", "API 및 마이크로서비스 보안", "API 및 마이크로서비스 보안"},
		{"relative link without a title", "/images/flow.svg", "", "/images/flow.svg"},
		{"other scheme not linked", "javascript:alert(1)", "x", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := referenceLink(tt.link, tt.text); got != tt.want {
				t.Errorf("referenceLink(%q, %q)\n got: %s\nwant: %s", tt.link, tt.text, got, tt.want)
			}
		})
	}
}

func TestHeadingText(t *testing.T) {
	tests := []struct {
		name string
		a    Article
		want string
	}{
		{"title", Article{Sections: entry.Sections{TitleKo: "Go 1.23 릴리스"}}, "Go 1.23 릴리스"},
		{"multi-line title", Article{Sections: entry.Sections{TitleKo: " Go\n1.23\t릴리스 "}}, "Go 1.23 릴리스"},
		{"closing sequence escaped", Article{Sections: entry.Sections{TitleKo: "제목 ##"}}, `제목 \##`},
		{"only hashes", Article{Sections: entry.Sections{TitleKo: "###"}}, `\###`},
		{"C sharp kept", Article{Sections: entry.Sections{TitleKo: "C# 입문"}}, "C# 입문"},
		{"C sharp at end kept", Article{Sections: entry.Sections{TitleKo: "입문 C#"}}, "입문 C#"},
		{"falls back to source title", Article{LinkText: "[Go] Blog"}, `\[Go\] Blog`},
		{"falls back to URL", Article{Link: "https://go.dev/blog/"}, "https://go.dev/blog/"},
		{"links and HTML in the title", Article{Sections: entry.Sections{TitleKo: "[팬텀 토큰](/x) <b>접근</b>"}}, `팬텀 토큰 \<b>접근\</b>`},
		{"title that is only a link without text", Article{Sections: entry.Sections{TitleKo: "[](/x)"}, LinkText: "Source"}, "Source"},
		{"nothing at all", Article{}, "제목 없음"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headingText(tt.a); got != tt.want {
				t.Errorf("headingText = %q, want %q", got, tt.want)
			}
		})
	}
}
