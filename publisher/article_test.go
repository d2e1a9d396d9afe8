package publisher

import (
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/entry"
)

func TestArticleValidate(t *testing.T) {
	tests := []struct {
		name    string
		a       Article
		wantErr []string
	}{
		{"complete", articleAllSections, nil},
		{"optional sections empty", articleRequiredOnly, nil},
		{"missing fields", Article{Sections: entry.Sections{TitleKo: " "}, Link: "https://go.dev/"}, []string{"missing title", "missing summary", "missing introduction"}},
		{"relative link", Article{Sections: entry.Sections{TitleKo: "t", Summary: "s", Introduction: "i"}, Link: "/product/"}, []string{"not an absolute http(s) URL"}},
		{"other scheme", Article{Sections: entry.Sections{TitleKo: "t", Summary: "s", Introduction: "i"}, Link: "javascript:alert(1)"}, []string{"not an absolute http(s) URL"}},
		{"no host", Article{Sections: entry.Sections{TitleKo: "t", Summary: "s", Introduction: "i"}, Link: "https:///x"}, []string{"not an absolute http(s) URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("Validate() = %v, want errors %q", err, tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to say %q", err, w)
				}
			}
			if err != nil && !strings.Contains(err.Error(), tt.a.Link) {
				t.Errorf("Validate() = %q does not name the article's link %q", err, tt.a.Link)
			}
		})
	}
}

func TestRenderArticleSections(t *testing.T) {
	tests := []struct {
		name     string
		a        Article
		headings []string
	}{
		{"all sections in order", articleAllSections, []string{"## ", "### 요약", "### 소개", "### 추천", "### 참고", "### 주의"}},
		{"optional sections left out", articleRequiredOnly, []string{"## ", "### 요약", "### 소개", "### 참고"}},
		{"blank sections left out", Article{Sections: entry.Sections{TitleKo: "t", Summary: "s", Introduction: "\n \n", Recommendation: " "}, Link: "https://go.dev/"}, []string{"## ", "### 요약", "### 참고"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for line := range strings.Lines(RenderArticle(tt.a)) {
				if strings.HasPrefix(line, "#") {
					got = append(got, strings.TrimSuffix(line, "\n"))
				}
			}
			if len(got) != len(tt.headings) {
				t.Fatalf("headings %q, want %q", got, tt.headings)
			}
			for i, h := range tt.headings {
				if !strings.HasPrefix(got[i], h) {
					t.Errorf("heading %d = %q, want %q", i, got[i], h)
				}
			}
		})
	}
}
