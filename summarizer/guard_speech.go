package summarizer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/godevcommunity/newsletter/entry"
)

// speechLevel is how a Korean sentence ends.
type speechLevel int

const (
	levelOther  speechLevel = iota // a noun, a list item, English, a request (-세요): no level
	levelFormal                    // 합니다체: -습니다, -ㅂ니다, -입니다, -니까
	levelPolite                    // 해요체: -요
	levelPlain                     // 해라체: -다 (-한다, -이다, -했다)
)

// nounsInYo end in 요 without being 해요체.
var nounsInYo = map[string]bool{"필요": true, "중요": true, "주요": true, "개요": true, "수요": true, "강요": true, "요요": true,
	"소요": true, "동요": true}

// particles end a word that is no sentence's end: a fragment
// ("…표준 라이브러리보다", "요청마다") has no speech level, whatever its
// last syllable.
var particles = []string{"마다", "부터", "까지", "보다"}

// verbBoda are the syllables before 보다 when it is the verb "to try, to
// look" (살펴보다, 알아보다, 해보다, 지켜보다), a 해라체 ending, rather
// than the particle "than" (라이브러리보다).
var verbBoda = map[rune]bool{'아': true, '어': true, '여': true, '해': true, '펴': true, '켜': true, '써': true,
	'워': true, '져': true, '쳐': true, '춰': true, '봐': true, '와': true, '겨': true, '혀': true, '다': true,
	'돌': true, '맛': true, '엿': true, '넘': true, '얕': true}

// endsInParticle reports whether the word w ends in a particle.
func endsInParticle(w string) bool {
	for _, p := range particles {
		rest, ok := strings.CutSuffix(w, p)
		if !ok || rest == "" {
			continue
		}
		if p == "보다" {
			r := []rune(rest)
			return !verbBoda[r[len(r)-1]]
		}
		return true
	}
	return false
}

// levelOf classifies a sentence by its last word.
func levelOf(sentence string) speechLevel {
	words := strings.Fields(sentence)
	if len(words) == 0 {
		return levelOther
	}
	w := strings.TrimRightFunc(words[len(words)-1], func(r rune) bool { return !unicode.Is(unicode.Hangul, r) })
	switch {
	case w == "", endsInParticle(w):
		return levelOther
	case strings.HasSuffix(w, "니다"), strings.HasSuffix(w, "니까"):
		return levelFormal
	case strings.HasSuffix(w, "세요"):
		// A request to the reader ("실행해 보세요"), which formal prose
		// makes too: the seed does, twice.
		return levelOther
	case strings.HasSuffix(w, "요") && !nounsInYo[w] && !nounsInYo[lastTwo(w)]:
		return levelPolite
	case strings.HasSuffix(w, "다"):
		return levelPlain
	}
	return levelOther
}

func lastTwo(w string) string {
	r := []rune(w)
	if len(r) <= 2 {
		return w
	}
	return string(r[len(r)-2:])
}

// quoted are the spans whose sentences are someone else's words or
// asides: quotations, code and parentheses.
var quotePairs = [][2]rune{{'"', '"'}, {'“', '”'}, {'‘', '’'}, {'`', '`'}, {'(', ')'}, {'「', '」'}, {'『', '』'}}

// withoutQuotes blanks quoted spans of s.
func withoutQuotes(s string) string {
	rs := []rune(s)
	for _, p := range quotePairs {
		open := -1
		for i, r := range rs {
			switch {
			case open < 0 && r == p[0]:
				open = i
			case open >= 0 && r == p[1]:
				for j := open; j <= i; j++ {
					rs[j] = ' '
				}
				open = -1
			}
		}
	}
	return string(rs)
}

// blockStart matches a line that starts a list item or a block: a
// bullet, a numbered item, a quote, a heading, a code fence or a table
// row.
var blockStart = regexp.MustCompile(`^\s*([-*+>#|]|\d+[.)]\s|` + "```" + `)`)

// joinSoftBreaks joins a line to the one before unless it starts a list
// item or a block, or a blank line parts them: a line break inside a
// sentence ("…표준 라이브러리보다\n세 배 빠릅니다.") does not end it.
func joinSoftBreaks(s string) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			if strings.TrimSpace(l) != "" && strings.TrimSpace(lines[i-1]) != "" && !blockStart.MatchString(l) {
				b.WriteByte(' ')
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// sentences splits a field's text at sentence ends and at the line breaks
// that start a list item, a block or a paragraph.
func sentences(s string) []string {
	var out []string
	var cur strings.Builder
	rs := []rune(withoutQuotes(joinSoftBreaks(s)))
	for i, r := range rs {
		end := r == '\n' || ((r == '.' || r == '!' || r == '?') && (i+1 == len(rs) || unicode.IsSpace(rs[i+1])))
		if !end {
			cur.WriteRune(r)
			continue
		}
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	if t := strings.TrimSpace(cur.String()); t != "" {
		out = append(out, t)
	}
	return out
}

// speechFields are the fields written in sentences; the title is a
// heading.
var speechFields = []entry.Field{entry.Summary, entry.Introduction, entry.Recommendation, entry.Caution}

// checkSpeechLevel: every sentence of a field ends in 합니다체, as the
// issue is written. A sentence ending in -다 (해라체) or -요 (해요체) among
// them is named, so the correction can rewrite it.
func checkSpeechLevel(s entry.Sections, _ *source) []Violation {
	var out []Violation
	for _, f := range speechFields {
		var odd []string
		formal := 0
		for _, sen := range sentences(s.Get(f)) {
			switch levelOf(sen) {
			case levelFormal:
				formal++
			case levelPolite, levelPlain:
				odd = append(odd, quote(lastWords(sen, 3)))
			}
		}
		if len(odd) == 0 {
			continue
		}
		what := "ends"
		if formal > 0 {
			what = "mixes speech levels:"
		}
		out = append(out, Violation{Field: f.Key(), Detail: fmt.Sprintf(
			"%s %s; end every sentence in 합니다체 (-습니다, -ㅂ니다), as the rest of the issue", what, strings.Join(odd, ", "))})
	}
	return out
}

// lastWords is the end of a sentence, for a message.
func lastWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[len(w)-n:]
	}
	return strings.Join(w, " ")
}

// SpeechCounts counts the sentences of s's fields in 합니다체 and those in
// another level (해요체, 해라체), for eval's Korean figures.
func SpeechCounts(s entry.Sections) (formal, other int) {
	for _, f := range speechFields {
		for _, sen := range sentences(s.Get(f)) {
			switch levelOf(sen) {
			case levelFormal:
				formal++
			case levelPolite, levelPlain:
				other++
			}
		}
	}
	return formal, other
}
