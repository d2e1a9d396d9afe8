package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/desk"
)

// funcs are the templates' helpers: Korean labels, dates and numbers.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	// subPage is the page of the submissions list that shows id.
	"subPage":        func(id int64) string { return fmt.Sprintf("/desk/submissions?before=%d#sub-%d", id+1, id) },
	"stateLabel":     desk.StateLabel,
	"issueState":     desk.IssueStateLabel,
	"deliveryState":  desk.DeliveryStateLabel,
	"deliveryKind":   desk.DeliveryKindLabel,
	"deliveryStates": func() []string { return []string{"pending", "sending", "done", "failed"} },
	"fieldLabel":     desk.InputLabel,
	"eventLabel":     eventLabel,
	"depName":        desk.DependencyLabel,
	"failureKo":      desk.FailureKorean,
	"actorName":      actorName,
	"date":           desk.FormatDate,
	"datetime":       desk.FormatDateTime,
	"josa":           desk.Josa,
	"usd":            func(v float64) string { return fmt.Sprintf("$%.4f", v) },
	"num":            formatNumber,
	"dur":            formatDuration,
	"webURL":         webURL,
	"ago":            ago,
	"fieldsText":     fieldsText,
	"changeKinds":    changeKinds,
	// campaignStatus is a listmonk campaign's status in Korean.
	"campaignStatus": func(s string) string {
		if l, ok := map[string]string{"draft": "초안", "scheduled": "예약됨", "running": "보내는 중", "finished": "보냄",
			"paused": "멈춤", "cancelled": "취소됨"}[s]; ok {
			return l
		}
		return s
	},
	// deref is the time a pointer holds.
	"deref": func(t *time.Time) time.Time { return *t },
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
	"excerpt":  excerpt,
}

// excerptLen is how many characters of a summary a card shows.
const excerptLen = 120

// excerpt is the start of s, up to excerptLen characters, cut at a space
// when there is one near, "…" where it was cut.
func excerpt(s string) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= excerptLen {
		return string(r)
	}
	cut := excerptLen
	for i := excerptLen; i > excerptLen*3/4; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,.") + "…"
}

// fieldsText is a list of field names in Korean: "제목, 요약".
func fieldsText(fs []string) string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = desk.InputLabel(f)
	}
	return strings.Join(out, ", ")
}

var eventLabels = map[string]string{
	"submitted": "제출", "waiting": "의존성 대기", "retry": "재시도 예정", "failed": "실패",
	"duplicate": "중복", "summarized": "요약", "requeued": "다시 대기열로", "deleted": "삭제",
	"published": "발행", "edited": "편집", "reverted": "모델 글로 되돌림", "regenerated": "다시 생성",
	"excluded": "제외", "included": "포함", "moved": "이동",
}

// changeKinds says in Korean what changed in an entry since its issue
// was published: "편집, 이동".
func changeKinds(kinds []string) string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = eventLabel(k)
	}
	return strings.Join(out, ", ")
}

func eventLabel(k string) string {
	if l, ok := eventLabels[k]; ok {
		return l
	}
	return k
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
