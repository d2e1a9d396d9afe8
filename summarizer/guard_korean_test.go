package summarizer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/godevcommunity/newsletter/entry"
)

func TestLevelOf(t *testing.T) {
	tests := []struct {
		sentence string
		want     speechLevel
	}{
		{"이 글은 모델 검증을 설명합니다", levelFormal},
		{"validator v10 라이브러리를 소개합니다!", levelFormal},
		{"무엇이 달라졌을까요? 아닙니까", levelFormal},
		{"이 글은 모델 검증을 설명한다", levelPlain},
		{"사실상 표준 라이브러리이다", levelPlain},
		{"이 글은 모델 검증을 설명해요", levelPolite},
		{"Go 1.23에서 추가된 기능이에요", levelPolite},
		{"지금 바로 스크립트를 실행해 보세요", levelOther},
		{"공지를 확인해 주세요", levelOther},
		{"라이선스 검토가 필요", levelOther},
		{"가장 중요", levelOther},
		{"main 함수 최소화", levelOther},
		{"이 라이브러리는 표준 라이브러리보다", levelOther},
		{"빌드할 때마다", levelOther},
		{"Go 1.21부터", levelOther},
		{"배포까지", levelOther},
		{"빌드에 걸리는 시간 소요", levelOther},
		{"시장의 동요", levelOther},
		{"코드를 직접 살펴보다", levelPlain},
		{"예제를 실행해 보다", levelPlain},
		{"새 API를 알아보다", levelPlain},
		{"Read more", levelOther},
		{"", levelOther},
	}
	for _, tt := range tests {
		if got := levelOf(tt.sentence); got != tt.want {
			t.Errorf("levelOf(%q) = %d, want %d", tt.sentence, got, tt.want)
		}
	}
}

func TestCheckSpeechLevel(t *testing.T) {
	tests := []struct {
		name, summary, recommendation string
		want                          []string // violations' fields and a part of each detail
	}{
		{"합니다체 throughout", "이 글은 검증 방법을 설명합니다. 라이브러리도 소개합니다.", "검증이 필요한 개발자에게 추천합니다.", nil},
		{"mixing -다", "이 글은 검증 방법을 설명합니다. 라이브러리도 소개한다.", "", []string{"summary: mixes speech levels: \"라이브러리도 소개한다\""}},
		{"mixing -요", "이 글은 검증 방법을 설명합니다. 예제도 많아요.", "", []string{"summary: mixes speech levels: \"예제도 많아요\""}},
		{"all 해라체", "이 글은 검증 방법을 설명한다.", "검증이 필요한 개발자에게 추천한다.", []string{"summary: ends \"검증 방법을 설명한다\"", "recommendation: ends"}},
		{"a quotation keeps its own ending", `저자는 "단순함이 최고다"라고 말합니다. 이 글은 이를 설명합니다.`, "", nil},
		{"code and parentheses are not sentences", "`go vet`으로 검사합니다 (기본값이다). 그다음 배포합니다.", "", nil},
		{"list items without a verb", "다음을 다룹니다.\n* 이름 짓기\n* 주석 작성", "", nil},
		{"a soft line break inside a sentence", "이 라이브러리는 표준 라이브러리보다\n세 배 빠릅니다. 예제도 제공합니다.", "", nil},
		{"a line break after a particle", "요청마다\n새 연결을 엽니다.", "배포\n시간 소요가 큰 팀에\n추천합니다.", nil},
		{"a numbered list keeps its items", "다음 순서로 설명합니다.\n1. 설치한다\n2. 실행합니다", "", []string{"summary: mixes speech levels: \"설치한다\""}},
		{"a paragraph break still ends a sentence", "이 글은 검증을 설명합니다\n\n라이브러리도 소개한다", "", []string{"summary: mixes speech levels: \"라이브러리도 소개한다\""}},
		{"a joined line still checks its end", "이 글은 검증 방법을\n설명한다.", "", []string{"summary: ends \"검증 방법을 설명한다\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := entry.Sections{TitleKo: "제목이다", Summary: tt.summary, Recommendation: tt.recommendation}
			got := checkSpeechLevel(s, nil)
			if len(got) != len(tt.want) {
				t.Fatalf("violations %v, want %d", got, len(tt.want))
			}
			for i, v := range got {
				if !strings.Contains(v.Field+": "+v.Detail, tt.want[i]) {
					t.Errorf("violation %q, want it to contain %q", v.Field+": "+v.Detail, tt.want[i])
				}
			}
		})
	}
}

func TestCheckGlossary(t *testing.T) {
	src := &source{text: "Goroutines and generics.", glossary: parseGlossary([]string{"고루틴=고 루틴|거루틴", "제네릭=제네릭스"})}
	tests := []struct {
		name, intro string
		want        []string
	}{
		{"the forms", "고루틴과 제네릭을 설명합니다.", nil},
		{"variants", "거루틴과 제네릭스를 설명합니다.", []string{`writes "거루틴"; write "고루틴"`, `writes "제네릭스"; write "제네릭"`}},
		{"a variant the article itself writes is quoted, not corrected", "Goroutines and generics.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkGlossary(entry.Sections{Introduction: tt.intro}, src)
			if len(got) != len(tt.want) {
				t.Fatalf("violations %v, want %v", got, tt.want)
			}
			for i, v := range got {
				if v.Field != "introduction" || v.Detail != tt.want[i] {
					t.Errorf("violation %v, want introduction: %s", v, tt.want[i])
				}
			}
		})
	}
	if g := parseGlossary(nil); g == nil || len(g) != 0 {
		t.Errorf("an empty glossary is %v, want empty and not the default", g)
	}
}

// TestLengthsAreRunes: every length the guardrails check counts
// characters, not bytes: a Korean summary of the maximum length in
// characters (three times as many bytes) passes, one more fails.
func TestLengthsAreRunes(t *testing.T) {
	max := entry.Summary.Limits().Max
	body := strings.Repeat("가", max-utf8.RuneCountInString("합니다.")) // each 3 bytes, 1 rune
	s := with(goodElastic, func(s *entry.Sections) { s.Summary = body + "합니다." })
	if n := utf8.RuneCountInString(s.Summary); n != max {
		t.Fatalf("built %d runes, want %d", n, max)
	}
	if vs := problems(s, entry.RuleFields); len(vs) != 0 {
		t.Errorf("a summary of %d characters (%d bytes) broke: %v", max, len(s.Summary), vs)
	}
	s.Summary = "가" + s.Summary
	if vs := problems(s, entry.RuleFields); len(vs) != 1 {
		t.Errorf("a summary of %d characters passed", max+1)
	}
}

// seedPath is the seed issue, next to the repository.
var seedPath = filepath.Join("..", "..", "shared", "reference", "seed-newsletter.md")

// seedEntries reads the seed issue's entries: each "## title" with its
// "### 요약", "### 소개", "### 추천" and "### 주의" sections.
func seedEntries(t *testing.T) []entry.Sections {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Skipf("no seed issue at %s: the measurement needs ../shared beside the repository", seedPath)
	}
	var out []entry.Sections
	var cur *entry.Sections
	var field *string
	for line := range strings.SplitSeq(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			out = append(out, entry.Sections{TitleKo: strings.TrimPrefix(line, "## ")})
			cur, field = &out[len(out)-1], nil
		case strings.HasPrefix(line, "### ") && cur != nil:
			switch strings.TrimSpace(strings.TrimPrefix(line, "### ")) {
			case "요약", "Summary":
				field = &cur.Summary
			case "소개", "Introduction":
				field = &cur.Introduction
			case "추천", "권장", "Recommendation":
				field = &cur.Recommendation
			case "주의", "Caution":
				field = &cur.Caution
			default:
				field = nil
			}
		case field != nil:
			*field += line + "\n"
		}
	}
	for i := range out {
		out[i] = normalize(out[i])
	}
	return out
}

// TestKoreanRulesOnSeed measures the Korean rules on the seed issue, whose
// text they must pass before they are enabled:
//
//	go test ./summarizer -run TestKoreanRulesOnSeed -v
func TestKoreanRulesOnSeed(t *testing.T) {
	entries := seedEntries(t)
	src := &source{glossary: defaultGlossary}
	var counts [4]int
	sentencesSeen, fieldsSeen := 0, 0
	for _, e := range entries {
		for _, f := range speechFields {
			if e.Get(f) == "" {
				continue
			}
			fieldsSeen++
			for _, s := range sentences(e.Get(f)) {
				sentencesSeen++
				counts[levelOf(s)]++
			}
		}
		for _, rule := range []struct {
			name  string
			check func(entry.Sections, *source) []Violation
		}{{"speech", checkSpeechLevel}, {"glossary", checkGlossary}} {
			for _, v := range rule.check(e, src) {
				t.Errorf("seed entry %q breaks rule %s: %s", e.TitleKo, rule.name, v)
			}
		}
	}
	if len(entries) == 0 {
		t.Fatalf("no entries read from %s", seedPath)
	}
	t.Logf("seed: %d entries, %d fields in sentences, %d sentences", len(entries), fieldsSeen, sentencesSeen)
	t.Logf("speech: %d 합니다체, %d 해요체, %d 해라체, %d without a level (nouns, list items, English)",
		counts[levelFormal], counts[levelPolite], counts[levelPlain], counts[levelOther])
	forms := map[string]int{}
	for _, e := range entries {
		for _, f := range fields(e) {
			for _, g := range defaultGlossary {
				forms[g.form] += strings.Count(f.value, g.form)
			}
		}
	}
	t.Logf("glossary: forms written %v, variants 0", forms)
}
