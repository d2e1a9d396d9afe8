package extractor

import (
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/korean"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractBlogPost(t *testing.T) {
	const pageURL = "https://blog.example.com/posts/iterators?ref=feed"
	a, err := Extract(readTestdata(t, "gopost.html"), pageURL, "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2024, 8, 13, 0, 30, 0, 0, time.UTC)
	if a.URL != pageURL || a.CanonicalURL != "https://blog.example.com/posts/iterators" ||
		a.Title != "Understanding Go iterators" || a.SiteName != "Gopher Notes" || a.Author != "Jane Gopher" ||
		a.Published == nil || !a.Published.Equal(published) || a.Language != "en" {
		t.Errorf("metadata = %+v (published %v)", a, a.Published)
	}
	const code = "```\nfunc Count(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n" +
		"\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\n\n//   aligned    comment\n```"
	for _, want := range []string{
		"Go 1.23 added range-over-func iterators to the language.",
		"## A first iterator",
		code,
		"- Always check the result of `yield`.\n- Do not call `yield` after it returned false.",
		"### Pull iterators",
		"1. Call iter.Pull on the sequence.\n2. Defer the stop function.",
	} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, a.Text)
		}
	}
	for _, junk := range []string{"Archive", "Share on Twitter", "Share this post", "Great post", "Post comment", "All rights reserved", "</", "<p"} {
		if strings.Contains(a.Text, junk) {
			t.Errorf("text contains %q:\n%s", junk, a.Text)
		}
	}
	if a.WordCount < 200 || a.WordCount > 300 {
		t.Errorf("word count = %d, want about 240", a.WordCount)
	}
}

func TestExtractKorean(t *testing.T) {
	const page = `<html><head><meta charset="euc-kr"><title>고 언어 소식</title></head><body><article>
<h1>고 언어 소식</h1>
<p>이번 주에는 고 언어의 새로운 반복자 기능과 표준 라이브러리의 변화를 살펴봅니다. 많은 개발자들이 이 기능을 기다려 왔습니다.</p>
<p>반복자는 함수 하나로 정의되며, 호출하는 쪽의 루프 본문이 콜백이 됩니다. 예제를 통해 자세히 알아보겠습니다.</p>
</article></body></html>`
	body, err := korean.EUCKR.NewEncoder().Bytes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract(body, "https://news.example.kr/go", "text/html")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "고 언어 소식" {
		t.Errorf("title = %q", a.Title)
	}
	if !strings.Contains(a.Text, "반복자는 함수 하나로 정의되며") {
		t.Errorf("text not decoded: %q", a.Text)
	}
	if a.Language != "ko" {
		t.Errorf("language = %q, want detected ko", a.Language)
	}
	// 3 heading words + 17 + 14 body words.
	if a.WordCount != 34 {
		t.Errorf("word count = %d, want 34:\n%s", a.WordCount, a.Text)
	}
}

func TestExtractNoContent(t *testing.T) {
	tests := []struct {
		name, body, mediaType string
	}{
		{"empty html", "", "text/html"},
		{"markup only", "<html><body><nav><a href=/>Home</a></nav><script>app()</script></body></html>", "text/html"},
		{"blank text", " \n\t ", "text/plain"},
		{"badges only", "[![b](x.svg)](y)\n<!-- c -->\n", "text/markdown"},
	}
	const pageURL = "https://example.com/empty"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract([]byte(tt.body), pageURL, tt.mediaType)
			if !errors.Is(err, ErrNoContent) {
				t.Fatalf("Extract = %+v, %v; want ErrNoContent", a, err)
			}
			if !strings.Contains(err.Error(), pageURL) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestExtractMediaTypes(t *testing.T) {
	const html = "<html><head><title>T</title></head><body><p>Hello there, readers of this page.</p></body></html>"
	tests := []struct {
		name, body, mediaType string
		wantErr               bool
	}{
		{"html with parameters", html, "text/html; charset=UTF-8", false},
		{"upper case", html, "TEXT/HTML", false},
		{"xhtml", html, "application/xhtml+xml", false},
		{"sniffed when empty", html, "", false},
		{"sniffed plain text", "just words here", "", false},
		{"unsupported", "\x89PNG\r\n\x1a\n", "image/png", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract([]byte(tt.body), "https://example.com/p", tt.mediaType)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "https://example.com/p") {
					t.Errorf("Extract = %+v, %v; want an error naming the URL", a, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.WordCount == 0 {
				t.Errorf("no text: %+v", a)
			}
		})
	}
}

func TestExtractInvalidURL(t *testing.T) {
	if _, err := Extract([]byte("text"), "http://[::1", "text/plain"); err == nil {
		t.Error("want an error for an unparsable page URL")
	}
}

func TestExtractCanonicalDefaultsToURL(t *testing.T) {
	a, err := Extract([]byte("<p>Some words to read here.</p>"), "https://example.com/a", "text/html")
	if err != nil {
		t.Fatal(err)
	}
	if a.CanonicalURL != "https://example.com/a" {
		t.Errorf("canonical = %q", a.CanonicalURL)
	}
}

func TestExtractRecoversPanic(t *testing.T) {
	x := New("panicky", func(*html.Node, *url.URL) (*html.Node, error) {
		panic("index out of range")
	})
	a, err := x.Extract([]byte("<p>hi</p>"), "https://example.com/boom", "text/html")
	if err == nil || a != nil {
		t.Fatalf("Extract = %+v, %v; want an error", a, err)
	}
	for _, want := range []string{"https://example.com/boom", "panicky", "index out of range"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
