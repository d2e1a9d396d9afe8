package summarizer

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/godevcommunity/newsletter/entry"
)

// maxRunsPerField bounds how many foreign-script words one field reports.
const maxRunsPerField = 3

// checkScript: prose is Korean. Outside code, letters must be Hangul or
// Latin (names, commands, terms). Han and Greek letters pass only when the
// same run of them appears in the source; every other script (Cyrillic, kana,
// Thai, Arabic, Hebrew, Devanagari, ...) is flagged. The prose fields other
// than the title must also be Korean prose: at least a sixth of their
// letters outside code are Hangul.
func checkScript(s entry.Sections, src *source) []Violation {
	var out []Violation
	for _, f := range fields(s) {
		if f.value == "" {
			continue
		}
		p := entry.Prose(f.value)
		seen := map[string]bool{}
		for _, r := range scriptRuns(p) {
			if r.fromSourceOK && strings.Contains(src.text, r.text) {
				continue
			}
			if seen[r.text] || len(seen) == maxRunsPerField {
				continue
			}
			seen[r.text] = true
			detail := fmt.Sprintf("%s text %s; write Korean", r.script, quote(r.text))
			if r.fromSourceOK {
				detail = fmt.Sprintf("%s text %s does not appear in the article; write Korean", r.script, quote(r.text))
			}
			out = append(out, Violation{Field: f.name, Detail: detail})
		}
		if f.name != "title_ko" && !mostlyKorean(p) {
			out = append(out, Violation{Field: f.name, Detail: "is not written in Korean; write Korean and keep Latin letters for names, code and terms"})
		}
	}
	return out
}

// scriptRun is a maximal run of letters of one script other than Hangul and
// Latin.
type scriptRun struct {
	script string
	text   string
	// fromSourceOK marks scripts allowed when copied from the source: Han
	// (Chinese characters in Korean technical writing) and Greek (λ, μ, Σ).
	fromSourceOK bool
}

func scriptRuns(s string) []scriptRun {
	var runs []scriptRun
	var cur *scriptRun
	for _, r := range s {
		name := foreignScript(r)
		if name == "" {
			// Combining marks and script-neutral letters (the kana length
			// mark ー) continue the current run; anything else ends it.
			if cur != nil && (unicode.Is(unicode.Inherited, r) || unicode.IsLetter(r) && unicode.Is(unicode.Common, r)) {
				cur.text += string(r)
				continue
			}
			cur = nil
			continue
		}
		if cur == nil || cur.script != name {
			runs = append(runs, scriptRun{script: name, fromSourceOK: name == "Han" || name == "Greek"})
			cur = &runs[len(runs)-1]
		}
		cur.text += string(r)
	}
	return runs
}

// namedScripts are checked first so common cases get a stable, readable name.
var namedScripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Cyrillic", unicode.Cyrillic},
	{"Hiragana", unicode.Hiragana},
	{"Katakana", unicode.Katakana},
	{"Han", unicode.Han},
	{"Greek", unicode.Greek},
	{"Thai", unicode.Thai},
	{"Arabic", unicode.Arabic},
	{"Hebrew", unicode.Hebrew},
	{"Devanagari", unicode.Devanagari},
}

// foreignScript names the script of r, or returns "" for Hangul, Latin and
// the script-neutral runes (digits, punctuation, symbols, marks).
func foreignScript(r rune) string {
	if r < 0x80 || unicode.In(r, unicode.Hangul, unicode.Latin, unicode.Common, unicode.Inherited) {
		return ""
	}
	for _, s := range namedScripts {
		if unicode.Is(s.table, r) {
			return s.name
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return "Unassigned"
}

// mostlyKorean reports whether Hangul syllables make up at least a sixth of
// the letters of s (Latin letters count one each). A Hangul syllable does
// the work of a Latin word of five or six letters, so Korean naming many
// projects ("gRPC-Gateway, OpenAPI, Swagger, protobuf 사용자에게
// 추천합니다.") passes and English prose does not.
func mostlyKorean(s string) bool {
	var hangul, other int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.IsLetter(r):
			other++
		}
	}
	return hangul > 0 && 6*hangul >= hangul+other
}
