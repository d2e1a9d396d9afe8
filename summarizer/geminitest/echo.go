package geminitest

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
)

// titleLine finds the article title in the summarizer's prompt.
var titleLine = regexp.MustCompile(`(?m)^Title:[ \t]*(.+)$`)

// maxEchoTitle bounds the title quoted in an echo answer, in runes.
const maxEchoTitle = 50

// echoAnswer builds a Korean answer from the request: it names the article
// title found in the first user turn and states nothing else, so it never
// adds facts, numbers, markup or foreign scripts. Its JSON has the fields
// the summarizer asks for.
func echoAnswer(req *Request) string {
	title := ""
	if len(req.Contents) > 0 {
		if m := titleLine.FindStringSubmatch(req.Contents[0].Text); m != nil {
			title = cleanTitle(m[1])
		}
	}
	subject := "이 글의 주제"
	if title != "" {
		subject = title
	}
	answer := map[string]string{
		"title_ko":       subject + " 소개",
		"summary":        "이 글은 " + subject + "에 관한 내용을 다룹니다. 원문의 핵심 주장과 배경을 한국어로 간략하게 정리했습니다.",
		"introduction":   "이 글은 " + subject + "의 주요 개념과 사용 방법을 원문의 흐름에 따라 설명합니다. 원문에서 소개하는 예제와 설명을 바탕으로 핵심 내용을 간추렸으며, 자세한 내용과 코드는 원문에서 확인할 수 있습니다.",
		"recommendation": "이 주제에 관심이 있는 Go 개발자에게 추천합니다.",
		"caution":        "",
	}
	b, _ := json.Marshal(answer)
	return string(b)
}

// cleanTitle keeps the letters, digits and plain punctuation of a title
// that Korean prose may carry (Hangul and Latin), replacing anything else
// with a space, and shortens it.
func cleanTitle(s string) string {
	mapped := strings.Map(func(r rune) rune {
		switch {
		case unicode.In(r, unicode.Hangul, unicode.Latin), unicode.IsDigit(r) && r < 0x80:
			return r
		case strings.ContainsRune(" -_.:/+&'()", r):
			return r
		}
		return ' '
	}, s)
	mapped = strings.ReplaceAll(mapped, "://", " ")
	title := strings.Join(strings.Fields(mapped), " ")
	title = strings.TrimLeft(title, "-_.:/+&'() ")
	if r := []rune(title); len(r) > maxEchoTitle {
		// Cut between words so no number is cut short into a new one.
		title = string(r[:maxEchoTitle])
		if i := strings.LastIndexByte(title, ' '); i > 0 {
			title = title[:i]
		}
	}
	return strings.TrimSpace(title)
}

// EchoAnswer is the echo answer for a first user turn (the summarizer's
// prompt), for other fakes that answer the same way.
func EchoAnswer(prompt string) string {
	return echoAnswer(&Request{Contents: []Content{{Role: "user", Text: prompt}}})
}
