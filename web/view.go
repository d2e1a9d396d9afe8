package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/desk"
)

// funcs are the templates' helpers: Korean labels, dates and numbers.
var funcs = template.FuncMap{
	"add":        func(a, b int) int { return a + b },
	"stateLabel": stateLabel,
	"issueState": issueStateLabel,
	"fieldLabel": fieldLabel,
	"eventLabel": eventLabel,
	"depName":    dependencyName,
	"actorName":  actorName,
	"date":       formatDate,
	"datetime":   formatDateTime,
	"usd":        func(v float64) string { return fmt.Sprintf("$%.4f", v) },
	"num":        formatNumber,
	"dur":        formatDuration,
	"webURL":     webURL,
	"fieldsText": fieldsText,
	"has": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
	// textarea starts a textarea's content with the newline the HTML
	// parser drops, so that text starting with a newline keeps it.
	"textarea": func(s string) string { return "\n" + s },
}

// fieldsText is a list of field names in Korean: "제목, 요약".
func fieldsText(fs []string) string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fieldLabel(f)
	}
	return strings.Join(out, ", ")
}

var stateLabels = map[string]string{
	"new": "대기", "processing": "처리 중", "summarized": "요약됨", "failed": "실패",
	"duplicate": "중복", "published": "발행됨", "deleted": "삭제됨",
}

func stateLabel(s string) string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return s
}

var issueStateLabels = map[string]string{
	"draft": "초안", "review": "검토 중", "publishing": "발행 중", "published": "발행됨",
}

func issueStateLabel(s string) string {
	if l, ok := issueStateLabels[s]; ok {
		return l
	}
	return s
}

var fieldLabels = map[string]string{
	"title": "제목", "summary": "요약", "introduction": "소개", "recommendation": "추천",
	"caution": "주의", "intro": "여는 글",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return f
}

var eventLabels = map[string]string{
	"submitted": "제출", "waiting": "의존성 대기", "retry": "재시도 예정", "failed": "실패",
	"duplicate": "중복", "summarized": "요약", "requeued": "다시 대기열로", "deleted": "삭제",
	"published": "발행", "edited": "편집", "reverted": "모델 글로 되돌림", "regenerated": "다시 생성",
	"excluded": "제외", "included": "포함", "moved": "이동",
}

func eventLabel(k string) string {
	if l, ok := eventLabels[k]; ok {
		return l
	}
	return k
}

// markupKinds are the kinds of markup entry.Check names at the
// start of a "markup" violation's detail ("heading \"## 설치\"; ..."),
// with what the desk says of each in Korean.
var markupKinds = []struct{ name, text string }{
	{"HTML tag", "HTML 태그 %s은(는) 쓸 수 없습니다. HTML 없이 글로 쓰세요."},
	{"heading", "소제목 %s은(는) 쓸 수 없습니다. 소제목은 뉴스레터가 붙입니다."},
	{"rule line", "구분선 %s은(는) 쓸 수 없습니다. 칸에는 문단만 씁니다."},
	{"section label", "구역 이름 %s은(는) 쓸 수 없습니다. 구역 제목은 뉴스레터가 붙입니다."},
	{"link", "링크 %s은(는) 쓸 수 없습니다. 글의 링크는 뉴스레터가 붙입니다."},
	{"URL", "주소 %s은(는) 쓸 수 없습니다. 글의 링크는 뉴스레터가 붙입니다."},
}

// violationText says in Korean what rule an edit of a field broke (see
// entry.Check): a required field left empty ("fields"), or markup
// the newsletter writes itself ("markup"), quoting the part at fault. A
// violation of the form's own checks (no rule) is in Korean already; the
// summarizer's English detail is kept only when its kind is not known.
func violationText(v desk.Violation) string {
	switch v.Rule {
	case "":
		return v.Detail
	case "fields":
		return "비워 둘 수 없습니다."
	case "markup":
		for _, k := range markupKinds {
			rest, ok := strings.CutPrefix(v.Detail, k.name+" ")
			if !ok {
				continue
			}
			if q, err := strconv.QuotedPrefix(rest); err == nil {
				if part, err := strconv.Unquote(q); err == nil {
					return fmt.Sprintf(k.text, "“"+part+"”")
				}
			}
		}
		return "소제목, 구분선, HTML, 구역 이름, 링크는 쓸 수 없습니다. 뉴스레터가 붙입니다. (" + v.Detail + ")"
	}
	return "이 칸의 규칙에 맞지 않습니다. (" + v.Detail + ")"
}

func dependencyName(d string) string {
	switch d {
	case "gemini":
		return "Gemini"
	case "gemini-flex":
		return "Gemini (flex)"
	case "github":
		return "GitHub API"
	case "database":
		return "데이터베이스"
	}
	return d
}

// actorName is how the history's callers read: the editor's name, or
// what stands for a caller without one.
func actorName(a string) string {
	switch a {
	case "api":
		return "서버 토큰"
	case "local":
		return "이 컴퓨터"
	case "":
		return "시스템"
	}
	return a
}

var weekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// formatDate is "2024년 9월 2일 (월)" in loc.
func formatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return fmt.Sprintf("%d년 %d월 %d일 (%s)", t.Year(), t.Month(), t.Day(), weekdays[t.Weekday()])
}

// formatDateTime is "2024년 9월 2일 (월) 06:00" in loc.
func formatDateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(t, loc) + " " + t.In(loc).Format("15:04")
}

// formatDuration is "24시간", "1시간 30분", "45분".
func formatDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%d시간 %d분", h, m)
	case h > 0:
		return fmt.Sprintf("%d시간", h)
	}
	return fmt.Sprintf("%d분", m)
}

// formatNumber writes n with thousands separators.
func formatNumber(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// webURL returns s when it is an absolute http(s) URL, fit for a link;
// "" otherwise, and the template shows it as text only.
func webURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// publishPlan says when the upcoming issue goes out.
type publishPlan struct {
	// Auto is when it publishes on its own; zero when it waits for an editor.
	Auto time.Time
	// Freeze is when the scheduled run closes the open draft; zero for an
	// issue already in review.
	Freeze time.Time
	Review bool // review mode: an editor approves it (or Auto passes)
}
