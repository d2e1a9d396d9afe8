package words

import (
	"regexp"
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"punctuation only", " -- ! ", nil},
		{"ascii", "Hello, world! it's go1.26", []string{"Hello", "world", "it", "s", "go1", "26"}},
		{"underscore joins", "snake_case x", []string{"snake_case", "x"}},
		{"korean words", "고 언어로 만든 뉴스레터입니다.", []string{"고", "언어로", "만든", "뉴스레터입니다"}},
		{"accents", "café naïve", []string{"café", "naïve"}},
		{"invalid utf8 splits", "ab\xffcd", []string{"ab", "cd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Count(tt.in); got != len(tt.want) {
				t.Errorf("Count(%q) = %d, want %d", tt.in, got, len(tt.want))
			}
		})
	}
}

// The scanner must agree with the regular expression it replaces.
func TestSplitMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`[\p{L}\p{N}_]+`)
	for _, s := range []string{
		"The quick brown fox, 2024-05-01; ½ ² ٣ 漢字かな 한국어_테스트",
		"tabs\tand\nnewlines\u00a0nbsp",
	} {
		if got, want := Split(s), re.FindAllString(s, -1); !slices.Equal(got, want) {
			t.Errorf("Split(%q) = %q, regexp gives %q", s, got, want)
		}
	}
}
