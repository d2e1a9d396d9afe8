package desk

import (
	"fmt"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/entry"
)

func TestJosa(t *testing.T) {
	tests := []struct {
		word, particle, want string
	}{
		{"요약", "을", "요약을"},
		{"요약", "를", "요약을"},
		{"소개", "을", "소개를"},
		{"제목", "이", "제목이"},
		{"여는 글", "이", "여는 글이"},
		{"주의", "가", "주의가"},
		{"링크", "은", "링크는"},
		{"메모", "는", "메모는"},
		{"제출자", "은", "제출자는"},
		{"글", "으로", "글로"}, // ㄹ takes 로
		{"집", "로", "집으로"},
		{"바다", "으로", "바다로"},
		{"사과", "과", "사과와"},
		{"책", "와", "책과"},
		{"#1", "을", "#1을"},   // 일
		{"#2", "을", "#2를"},   // 이
		{"#3", "이", "#3이"},   // 삼
		{"#4", "은", "#4는"},   // 사
		{"#5", "가", "#5가"},   // 오
		{"#6", "을", "#6을"},   // 육
		{"#7", "으로", "#7로"},  // 칠
		{"#8", "으로", "#8로"},  // 팔
		{"#9", "을", "#9를"},   // 구
		{"#10", "을", "#10을"}, // 십
		{"#10", "으로", "#10으로"},
		{"3번째", "으로", "3번째로"},
		{"URL", "을", "URL을"}, // 엘
		{"URL", "으로", "URL로"},
		{"Gemini", "을", "Gemini를"},
		{"GitHub API", "이", "GitHub API가"},
		{"HTML", "은", "HTML은"},
		{"Hashnode", "에", "Hashnode에"}, // not a pair: as given
		{"“## 설치”", "은", "“## 설치”는"},
		{"(제목)", "을", "(제목)을"},
		{"", "을", "를"},
		{"…", "이", "…가"},
	}
	for _, tt := range tests {
		if got := Josa(tt.word, tt.particle); got != tt.want {
			t.Errorf("Josa(%q, %q) = %q, want %q", tt.word, tt.particle, got, tt.want)
		}
	}
}

// Each rule summarizer.CheckEdit applies to an edit is said in Korean,
// quoting the part at fault; the summarizer's own words are checked, so
// that a change of them shows here.
func TestViolationKorean(t *testing.T) {
	tests := []struct {
		name    string
		summary string
		title   string
		want    string
	}{
		{"a heading", "## 설치\n본문입니다.", "제목", "소제목 “## 설치”는 쓸 수 없습니다"},
		{"an HTML tag", "<b>굵게</b> 씁니다.", "제목", "HTML 태그 “<b>”는 쓸 수 없습니다"},
		{"a rule line", "첫 문단\n\n---\n\n둘째 문단", "제목", "구분선 “---”는 쓸 수 없습니다"},
		{"a section label", "요약:\n본문입니다.", "제목", "구역 이름 “요약:”은 쓸 수 없습니다"},
		{"a link", "[원문](https://go.dev/blog/x)을 보세요.", "제목", "링크 “[원문](https://go.dev/blog/x)”는 쓸 수 없습니다"},
		{"a URL", "https://go.dev/blog/x 를 보세요.", "제목", "주소 “https://go.dev/blog/x”는 쓸 수 없습니다"},
		{"an empty title", "본문입니다.", " ", "비워 둘 수 없습니다."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := entry.Sections{TitleKo: tt.title, Summary: tt.summary, Introduction: "소개하는 글입니다."}.Check(entry.Editor)
			if len(vs) == 0 {
				t.Fatal("entry.Check found nothing")
			}
			got := ViolationKorean(violations(vs)[0])
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q, want %q (from %q)", got, tt.want, vs[0].Detail)
			}
			if en := latinWords(strings.ReplaceAll(got, "https://go.dev/blog/x", "")); len(en) > 0 {
				t.Errorf("%q has English: %q", got, en)
			}
		})
	}
	// The model's lengths, in Korean numbers and words only.
	for _, tt := range []struct{ detail, want string }{
		{fmt.Sprintf(entry.DetailTooShort, 12, 40, 600), "12자입니다. 40자에서 600자 사이로 써 주세요."},
		{fmt.Sprintf(entry.DetailTooLong, 1600, 1500), "1600자입니다. 1500자까지 쓸 수 있습니다."},
		{entry.DetailEmpty, "비워 둘 수 없습니다."},
	} {
		if got := ViolationKorean(api.Violation{Field: "summary", Rule: "fields", Detail: tt.detail}); got != tt.want {
			t.Errorf("ViolationKorean(%q) = %q, want %q", tt.detail, got, tt.want)
		}
	}
	// A rule the desk does not know keeps the summarizer's words as a hint.
	if got := ViolationKorean(api.Violation{Rule: "length", Detail: "too long"}); !strings.Contains(got, "규칙에 맞지 않습니다") || !strings.Contains(got, "too long") {
		t.Errorf("an unknown rule: %q", got)
	}
}

// latinWords are the words of s in Latin letters of three or more, other
// than HTML's name.
func latinWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') }) {
		if len(w) >= 3 && w != "HTML" {
			out = append(out, w)
		}
	}
	return out
}

func TestDeliveryLabels(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{DeliveryStateLabel("pending"), "보낼 차례"},
		{DeliveryStateLabel("done"), "보냄"},
		{DeliveryStateLabel("failed"), "실패"},
		{DeliveryStateLabel("odd"), "odd"},
		{DeliveryKindLabel("published"), "첫 발행"},
		{DeliveryKindLabel("corrected"), "고친 발행"},
		{DeliveryKindLabel("test"), "시험 발송"},
		{DeliveryKindLabel("run_failed"), "run_failed"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
