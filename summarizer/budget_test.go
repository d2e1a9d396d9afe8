package summarizer

import (
	"fmt"
	"strings"
	"testing"
)

func TestEstimateTokens(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abcd", 1},
		{"abcde", 2},
		{"Go is fun", 3},
		{"한국어", 3},
		{"Go 언어", 3},      // 3 ASCII bytes → 1, 2 syllables → 2
		{"漢字かな", 4},       // Han and kana, one each
		{"фасаду", 3},     // 6 Cyrillic runes, two per token
		{"naïve café", 3}, // 8 ASCII bytes → 2, 2 accented → 1
	}
	for _, tt := range tests {
		if got := EstimateTokens(tt.in); got != tt.want {
			t.Errorf("EstimateTokens(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestEstimateTokensIsSubadditive(t *testing.T) {
	parts := []string{"Hello, world. ", "안녕하세요 ", "фасаду ", "abc", "\n\n", "漢字"}
	for _, a := range parts {
		for _, b := range parts {
			if EstimateTokens(a+b) > EstimateTokens(a)+EstimateTokens(b) {
				t.Errorf("EstimateTokens(%q+%q) exceeds the sum of the parts", a, b)
			}
		}
	}
}

// article builds a markdown text of n sections, each a heading and two
// paragraphs.
func article(n int) string {
	var b strings.Builder
	b.WriteString("This opening paragraph says what the article is about.")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "\n\n## Section %d\n\nParagraph %d explains one idea in a few plain words, with enough text to count.\n\nA second paragraph of section %d adds an example and a caveat.", i, i, i)
	}
	return b.String()
}

func TestFitText(t *testing.T) {
	t.Run("text within budget is unchanged", func(t *testing.T) {
		text := article(2)
		got, cut := fitText(text, 10_000)
		if cut || got != text {
			t.Errorf("fitText changed text within budget (cut=%v)", cut)
		}
	})
	t.Run("keeps the opening and the later headings", func(t *testing.T) {
		text := article(12)
		budget := 300
		got, cut := fitText(text, budget)
		if !cut {
			t.Fatal("cut = false for a text over budget")
		}
		if n := EstimateTokens(got); n > budget {
			t.Errorf("fitted text is %d tokens, budget %d", n, budget)
		}
		if !strings.HasPrefix(got, "This opening paragraph") || !strings.Contains(got, "Paragraph 1 explains") {
			t.Errorf("opening lost:\n%s", got)
		}
		if !strings.Contains(got, omitted) || !strings.Contains(got, "## Section 12") {
			t.Errorf("marker or last heading missing:\n%s", got)
		}
		if strings.Contains(got, "Paragraph 12 explains") {
			t.Error("body of the last section kept; it should have been dropped first")
		}
		// Whole paragraphs only: every kept paragraph ends with its full stop.
		for _, p := range strings.Split(strings.Split(got, omitted)[0], "\n\n") {
			if p = strings.TrimSpace(p); p != "" && !strings.HasPrefix(p, "#") && !strings.HasSuffix(p, ".") {
				t.Errorf("paragraph cut mid-way: %q", p)
			}
		}
	})
	t.Run("headings take at most a quarter of the budget", func(t *testing.T) {
		got, _ := fitText(article(400), 300)
		opening := strings.Split(got, omitted)[0]
		if EstimateTokens(opening) < 300/2 {
			t.Errorf("opening squeezed to %d tokens by the headings", EstimateTokens(opening))
		}
		if EstimateTokens(got) > 300 {
			t.Errorf("fitted text is %d tokens, budget 300", EstimateTokens(got))
		}
	})
	t.Run("one huge paragraph is cut at a boundary", func(t *testing.T) {
		text := strings.Repeat("이 문장은 예시입니다. ", 500)
		got, cut := fitText(text, 200)
		if !cut || EstimateTokens(got) > 200 {
			t.Fatalf("cut=%v, %d tokens", cut, EstimateTokens(got))
		}
		if !strings.Contains(got, "예시입니다.\n\n"+omitted) {
			t.Errorf("not cut at a sentence end:\n%s", got[len(got)-80:])
		}
	})
	t.Run("CRLF and surrounding space", func(t *testing.T) {
		got, cut := fitText("  a\r\nb  ", 100)
		if cut || got != "a\nb" {
			t.Errorf("fitText = %q, %v", got, cut)
		}
	})
}
