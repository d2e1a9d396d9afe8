package desk

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/entry"
)

// particles pairs each Korean particle written after a final consonant
// with the one written after a vowel.
var particles = map[string]string{
	"을": "를", "를": "를",
	"이": "가", "가": "가",
	"은": "는", "는": "는",
	"과": "와", "와": "와",
	"으로": "로", "로": "로",
}

// afterConsonant is the form of each particle after a final consonant.
var afterConsonant = map[string]string{"를": "을", "가": "이", "는": "은", "와": "과", "로": "으로"}

// Josa writes word followed by the particle that fits its last sound:
// Josa("요약", "을") is "요약을", Josa("제목", "를") "제목을",
// Josa("소개", "을") "소개를", Josa("#3", "이") "#3이" (삼),
// Josa("URL", "으로") "URL로" (엘). The particle may be given in either
// form; an unknown one is written as given. Hangul is read by its final
// consonant, digits as Korean numerals (1 일, 2 이, 3 삼, ...), Latin
// letters by their usual names (l 엘, m 엠, n 엔, r 알; the others end in
// a vowel), which is a best effort for words such as "Gemini". Closing
// quotes, brackets and punctuation after the word are skipped.
func Josa(word, particle string) string {
	vowelForm, ok := particles[particle]
	if !ok {
		return word + particle
	}
	final, rieul, known := lastSound(word)
	switch {
	case !known:
		return word + vowelForm // unknown: the form after a vowel reads least oddly
	case vowelForm == "로" && (!final || rieul):
		return word + "로"
	case final:
		return word + afterConsonant[vowelForm]
	}
	return word + vowelForm
}

// lastSound reports whether the last sound of word ends in a final
// consonant, whether that consonant is ㄹ, and whether it could tell.
func lastSound(word string) (final, rieul, known bool) {
	w := strings.TrimRightFunc(word, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '#' || unicode.IsSymbol(r)
	})
	if w == "" {
		return false, false, false
	}
	r := []rune(w)[len([]rune(w))-1]
	switch {
	case r >= 0xAC00 && r <= 0xD7A3: // a Hangul syllable
		jong := (r - 0xAC00) % 28
		return jong != 0, jong == 8, true // 8 is ㄹ
	case r >= '0' && r <= '9':
		// 영 일 이 삼 사 오 육 칠 팔 구; 10, 100, 1000 (십, 백, 천) end
		// in consonants other than ㄹ as 영 does.
		switch r {
		case '1', '7', '8':
			return true, true, true
		case '0', '3', '6':
			return true, false, true
		}
		return false, false, true
	case unicode.IsLetter(r) && r < unicode.MaxASCII:
		switch unicode.ToLower(r) {
		case 'l', 'r':
			return true, true, true
		case 'm', 'n':
			return true, false, true
		}
		return false, false, true
	}
	return false, false, false
}

// The desk's Korean words for states, inputs and dependencies, shared by
// its messages and the web desk's pages.

var stateLabels = map[string]string{
	"new": "대기", "processing": "처리 중", "summarized": "요약됨", "failed": "실패",
	"duplicate": "중복", "published": "발행됨", "deleted": "삭제됨",
}

// StateLabel is a submission's state in Korean.
func StateLabel(s string) string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return s
}

var issueStateLabels = map[string]string{
	"draft": "초안", "review": "검토 중", "publishing": "발행 중", "published": "발행됨",
}

// IssueStateLabel is an issue's state in Korean.
func IssueStateLabel(s string) string {
	if l, ok := issueStateLabels[s]; ok {
		return l
	}
	return s
}

var deliveryStateLabels = map[string]string{
	"pending": "보낼 차례", "sending": "보내는 중", "done": "보냄", "failed": "실패",
}

var deliveryKindLabels = map[string]string{
	"published": "첫 발행", "corrected": "고친 발행", "test": "시험 발송",
}

// DeliveryKindLabel is what an outbox delivery carries, in Korean (a
// chat's events keep their names).
func DeliveryKindLabel(k string) string {
	if l, ok := deliveryKindLabels[k]; ok {
		return l
	}
	return k
}

// DeliveryStateLabel is an outbox delivery's state in Korean.
func DeliveryStateLabel(s string) string {
	if l, ok := deliveryStateLabels[s]; ok {
		return l
	}
	return s
}

var inputLabels = map[string]string{
	"title": "제목", "summary": "요약", "introduction": "소개", "recommendation": "추천",
	"caution": "주의", "intro": "여는 글", "url": "링크", "submitted_by": "제출자", "note": "메모",
	"instruction": "지시", "token": "토큰", "position": "위치", "q": "검색어", "ids": "고른 글", "action": "일괄 작업", "source": "출처",
}

// InputLabel is an input (an entry's field, a submission's, the opening
// paragraph) in Korean: "summary" is 요약.
func InputLabel(f string) string {
	if l, ok := inputLabels[f]; ok {
		return l
	}
	return f
}

// DependencyLabel is how the desk names a dependency.
func DependencyLabel(d string) string {
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

var weekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// FormatDate is "2024년 9월 2일 (월)" in loc; "" for the zero time.
func FormatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return fmt.Sprintf("%d년 %d월 %d일 (%s)", t.Year(), t.Month(), t.Day(), weekdays[t.Weekday()])
}

// FormatDateTime is "2024년 9월 2일 (월) 06:00" in loc; "" for the zero
// time.
func FormatDateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return FormatDate(t, loc) + " " + t.In(loc).Format("15:04")
}

// markupKinds are the kinds of markup entry.Check names at the start of
// a "markup" violation's detail ("heading \"## 설치\"; ..."), with what
// the desk says of each in Korean.
var markupKinds = []struct {
	kind         entry.Kind
	noun, advice string
}{
	{entry.HTML, "HTML 태그", "HTML 없이 글로 쓰세요."},
	{entry.Heading, "소제목", "소제목은 뉴스레터가 붙입니다."},
	{entry.Rule, "구분선", "칸에는 문단만 씁니다."},
	{entry.Label, "구역 이름", "구역 제목은 뉴스레터가 붙입니다."},
	{entry.Link, "링크", "글의 링크는 뉴스레터가 붙입니다."},
	{entry.URL, "주소", "글의 링크는 뉴스레터가 붙입니다."},
}

// ViolationKorean says in Korean what rule a field broke (see
// entry.Check and the guardrails): a required field left empty
// or of the wrong length ("fields"), markup the newsletter writes itself
// ("markup", quoting the part at fault), text not in Korean ("script"), a
// number the article does not state ("grounding"). The English detail is
// kept when its kind is not known.
func ViolationKorean(v api.Violation) string {
	switch v.Rule {
	case "fields":
		var n, lo, hi int
		switch {
		case v.Detail == entry.DetailEmpty:
			return "비워 둘 수 없습니다."
		case scanned(v.Detail, entry.DetailTooShort, &n, &lo, &hi):
			return fmt.Sprintf("%d자입니다. %d자에서 %d자 사이로 써 주세요.", n, lo, hi)
		case scanned(v.Detail, entry.DetailTooLong, &n, &hi):
			return fmt.Sprintf("%d자입니다. %d자까지 쓸 수 있습니다.", n, hi)
		}
		return "길이가 맞지 않습니다. (" + v.Detail + ")"
	case "markup":
		for _, k := range markupKinds {
			rest, ok := strings.CutPrefix(v.Detail, string(k.kind)+" ")
			if !ok {
				continue
			}
			if q, err := strconv.QuotedPrefix(rest); err == nil {
				if part, err := strconv.Unquote(q); err == nil {
					return fmt.Sprintf("%s %s 쓸 수 없습니다. %s", k.noun, Josa("“"+part+"”", "은"), k.advice)
				}
			}
		}
		return "소제목, 구분선, HTML, 구역 이름, 링크는 쓸 수 없습니다. 뉴스레터가 붙입니다. (" + v.Detail + ")"
	case "script":
		return "한국어로 쓰지 않았습니다. (" + v.Detail + ")"
	case "grounding":
		return "원문에 없는 내용이 있습니다. (" + v.Detail + ")"
	}
	return "이 칸의 규칙에 맞지 않습니다. (" + v.Detail + ")"
}

// fieldName is the desk's name of a field the summarizer names by its
// JSON ("title_ko" is "title").
func fieldName(summarizerField string) string {
	if summarizerField == "title_ko" {
		return api.FieldTitle
	}
	return summarizerField
}

// scanned reports whether detail was written with format, reading its
// numbers into args.
func scanned(detail, format string, args ...any) bool {
	n, err := fmt.Sscanf(detail, format, args...)
	return err == nil && n == len(args)
}
