package web

import (
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/entry"
)

// Each rule entry.Check applies to an edit is said in Korean,
// quoting the part at fault; the summarizer's own words are checked, so
// that a change of them shows here.
func TestViolationText(t *testing.T) {
	tests := []struct {
		name    string
		summary string
		title   string
		want    string
	}{
		{"a heading", "## 설치\n본문입니다.", "제목", "소제목 “## 설치”은(는) 쓸 수 없습니다"},
		{"an HTML tag", "<b>굵게</b> 씁니다.", "제목", "HTML 태그 “<b>”은(는) 쓸 수 없습니다"},
		{"a rule line", "첫 문단\n\n---\n\n둘째 문단", "제목", "구분선 “---”은(는) 쓸 수 없습니다"},
		{"a section label", "요약:\n본문입니다.", "제목", "구역 이름 “요약:”은(는) 쓸 수 없습니다"},
		{"a link", "[원문](https://go.dev/blog/x)을 보세요.", "제목", "링크 “[원문](https://go.dev/blog/x)”은(는) 쓸 수 없습니다"},
		{"a URL", "https://go.dev/blog/x 를 보세요.", "제목", "주소 “https://go.dev/blog/x”은(는) 쓸 수 없습니다"},
		{"an empty title", "본문입니다.", " ", "비워 둘 수 없습니다."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := entry.Sections{TitleKo: tt.title, Summary: tt.summary, Introduction: "소개하는 글입니다."}.Check(entry.Editor)
			if len(vs) == 0 {
				t.Fatal("Check found nothing")
			}
			got := violationText(desk.Violation{Field: string(vs[0].Field), Rule: vs[0].Rule, Detail: vs[0].Detail})
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q, want %q (from %q)", got, tt.want, vs[0].Detail)
			}
			if en := englishIn(strings.ReplaceAll(got, "https://go.dev/blog/x", "")); len(en) > 0 {
				t.Errorf("%q has English: %q", got, en)
			}
		})
	}
	// A rule the desk does not know keeps the summarizer's words as a hint.
	if got := violationText(desk.Violation{Rule: "length", Detail: "too long"}); !strings.Contains(got, "규칙에 맞지 않습니다") || !strings.Contains(got, "too long") {
		t.Errorf("an unknown rule: %q", got)
	}
	// The form's own checks are in Korean already.
	if got := violationText(desk.Violation{Field: "summary", Detail: "요약이(가) 5001자입니다."}); got != "요약이(가) 5001자입니다." {
		t.Errorf("a form check: %q", got)
	}
}
