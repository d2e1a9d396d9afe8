package summarizer

import (
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/entry"
)

// ruleCase checks one rule against one introduction text.
type ruleCase struct {
	name   string
	intro  string
	source string // article text; the title is always "Test article"
	// want are substrings of the violations expected, in order; none means
	// the text passes.
	want []string
}

func runRule(t *testing.T, check func(entry.Sections, *source) []Violation, tests []ruleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := entry.Sections{TitleKo: "테스트 글", Summary: "짧은 요약입니다.", Introduction: tt.intro}
			src := newSource(Input{Title: "Test article", URL: "https://example.com/2024/post", Text: tt.source})
			got := check(s, src)
			if len(got) != len(tt.want) {
				t.Fatalf("violations = %v, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i].String(), w) {
					t.Errorf("violation %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestCheckScript(t *testing.T) {
	runRule(t, checkScript, []ruleCase{
		{
			name:  "seed: Cyrillic inside a Korean sentence",
			intro: "Apigee를 엔터프라이즈 API 관리 플랫폼으로 도입하여 안전하고 깔끔한 RESTful API фасаду를 제공합니다.",
			want:  []string{`introduction: Cyrillic text "фасаду"`},
		},
		{
			name:   "seed: Han not in the source",
			intro:  "`uv tool install` 및 `uv tool run`(別名 `uvx`)를 통해 UV는 명령줄 도구를 설치합니다.",
			source: "uv tool run (aliased to uvx) runs a tool.",
			want:   []string{`Han text "別名" does not appear in the article`},
		},
		{
			name:   "seed variant: Han right after a code span",
			intro:  "UV는 (`uvx`)別名으로도 실행할 수 있습니다.",
			source: "uvx",
			want:   []string{`"別名"`},
		},
		{
			name:   "Han present in the source passes",
			intro:  "이 글은 漢字 표기를 다룹니다.",
			source: "A note on 漢字 in Korean text.",
		},
		{
			name:  "kana",
			intro: "이 도구는 빠른 ツール 입니다.",
			want:  []string{`Katakana text "ツール"`},
		},
		{
			name:  "hiragana",
			intro: "설치는 간단합니다ですね.",
			want:  []string{`Hiragana text "ですね"`},
		},
		{
			name:  "Thai, Arabic, Hebrew and Devanagari",
			intro: "다양한 문자 สวัสดี 와 مرحبا 그리고 שלום 및 नमस्ते 가 섞였습니다.",
			want:  []string{"Thai", "Arabic", "Hebrew"},
		},
		{
			name:  "code spans and fenced code are exempt",
			intro: "`привет` 함수를 호출합니다.\n\n```\nfmt.Println(\"こんにちは\")\n```\n\n위 코드는 인사를 출력합니다.",
		},
		{
			name:  "Latin names, terms and accents pass",
			intro: "José Valim이 만든 Elixir와 Go의 `context` 패키지, naïve 구현을 비교합니다.",
		},
		{
			name:   "Greek from the source passes, invented Greek does not",
			intro:  "λ 표현식과 Ω 표기를 설명합니다.",
			source: "Lambda (λ) expressions.",
			want:   []string{`Greek text "Ω" does not appear`},
		},
		{
			name:  "prose that is not Korean",
			intro: "This article explains how the Go scheduler works and why goroutines are cheap.",
			want:  []string{"introduction: is not written in Korean"},
		},
		{
			name:  "a short Korean sentence naming many projects passes",
			intro: "gRPC-Gateway, OpenAPI, Swagger, protobuf 사용자에게 추천합니다.",
		},
		{
			name:  "English prose with a Korean ending is not Korean",
			intro: "This article explains how the Go scheduler works and why goroutines are cheap to create. 추천합니다.",
			want:  []string{"introduction: is not written in Korean"},
		},
		{
			name:  "Korean with many Latin terms passes",
			intro: "gRPC, REST, HTTP API, Apigee, OpenAPI 게이트웨이를 함께 사용하는 방법을 소개합니다.",
		},
	})
}

func TestCheckMarkup(t *testing.T) {
	runRule(t, checkMarkup, []ruleCase{
		{
			name:  "seed: img with a site-relative src",
			intro: "불투명 토큰 흐름입니다.\n\n<img src=\"/images/resources/architect/api-security/opaque-token-flow.svg?v=20210412\" alt=\"불투명 토큰과 함께 사용되는 흐름\"/>",
			want:  []string{`HTML tag "<img src=\"/images/resources`},
		},
		{
			name:  "seed: anchor with a relative href",
			intro: "팬텀 토큰 접근 방식은 <a href=\"/product/\">API 및 마이크로서비스 보안</a>을 위한 패턴입니다.",
			want:  []string{`HTML tag "<a href=\"/product/\">"`, `HTML tag "</a>"`},
		},
		{
			name:  "seed: anchor with classes and icons",
			intro: "<a class=\"ref ref-cross\" href=\"/resources/learn/jwt-best-practices/\"><i class=\"icon ion-android-list inlineicon\"></i>JSON 웹 토큰(JWT)</a>과 같은 구조화된 토큰입니다.",
			want:  []string{`"<a class=`, `"<i class=`, `"</i>"`},
		},
		{
			name:  "line break tag",
			intro: "첫 줄입니다.<br>둘째 줄입니다.",
			want:  []string{`HTML tag "<br>"`},
		},
		{
			name:  "seed: English section heading",
			intro: "### Summary\n\nReactiveSearch API는 Elasticsearch용 API 게이트웨이입니다.",
			want:  []string{`heading "### Summary"`},
		},
		{
			name:  "seed: the model's own headings",
			intro: "팬텀 토큰 접근 방식을 설명합니다.\n\n## 불투명 토큰 사용의 이점\n\n보안이 강화됩니다.\n\n## 추가 자료",
			want:  []string{`heading "## 불투명 토큰 사용의 이점"`, `heading "## 추가 자료"`},
		},
		{
			name:  "seed: English section labels",
			intro: "**Introduction**\n\nGo수다 채팅방을 소개합니다.\nRecommendation: Go 개발자라면 참여해 보세요.",
			want:  []string{`section label "**Introduction**"`, `section label "Recommendation: Go`},
		},
		{
			name:  "Korean label on its own line",
			intro: "요약:\n이 글은 Go를 다룹니다.",
			want:  []string{`section label "요약:"`},
		},
		{
			name:  "seed: markdown link",
			intro: "자세한 내용은 [Read more](https://blog.dbrusenin.com/model-validation-in-golang)를 보세요.",
			want:  []string{`link "[Read more](https://blog.dbrusenin.com/`},
		},
		{
			name:  "relative markdown link and image",
			intro: "[제품](/product/) 페이지와 ![흐름](/images/flow.svg) 그림을 참고하세요.",
			want:  []string{`link "[제품](/product/)"`, `link "![흐름](/images/flow.svg)"`},
		},
		{
			name:  "bare URL",
			intro: "모듈은 https://github.com/curityio/nginx_phantom_token_module 에 있습니다.",
			want:  []string{`URL "https://github.com/curityio/nginx_phantom_token_module"`},
		},
		{
			name:  "thematic break",
			intro: "첫 문단입니다.\n\n---\n\n둘째 문단입니다.",
			want:  []string{`rule line "---"`},
		},
		{
			name:  "comparisons, generics and code are not markup",
			intro: "a < b 이고 c > d 일 때 `List<T>`와 Vec<String>을 비교하며 `<img>` 태그 처리와 `# comment`를 설명합니다. #golang 태그도 있습니다.",
		},
		{
			name:  "generics and comparisons outside code spans are not markup",
			intro: "Result<S>와 Box<U>, Map<K, V> 타입과 func F[T any](x T) 함수, Index[[]int](s) 호출을 설명하며 x<b이고 y>c 일 때와 map[string]int 를 비교합니다.",
		},
		{
			name:  "capitalised tags with attributes and line breaks",
			intro: "<A HREF=\"/product/\">제품</A> 소개와<BR>줄바꿈입니다.",
			want:  []string{`HTML tag "<A HREF=\"/product/\">"`, `HTML tag "<BR>"`},
		},
		{
			name:  "a link right after Hangul is still a link",
			intro: "자세한 내용은[링크](https://example.com/a)를 보세요.",
			want:  []string{`link "[링크](https://example.com/a)"`},
		},
		{
			name:  "bullet lists and emphasis are allowed",
			intro: "주요 내용:\n\n- **`main` 함수 최소화**: 진입점을 단순하게 유지합니다.\n- *의미 있는 이름*을 사용합니다.",
		},
		{
			name:  "HTML inside fenced code is allowed",
			intro: "예시는 다음과 같습니다.\n\n```html\n<div class=\"box\"><a href=\"/x\">x</a></div>\n```",
		},
	})
}

func TestCheckGrounding(t *testing.T) {
	runRule(t, checkGrounding, []ruleCase{
		{
			name:   "seed: 2023 for a 2021 event",
			intro:  "Elasticsearch는 2023년 1월 Elastic NV가 상업 라이선스를 도입하면서 비난을 받았습니다.",
			source: "In January 2021 we changed the license to SSPL and ELv2.",
			want:   []string{`number "2023" does not appear`},
		},
		{
			name:   "the right year passes",
			intro:  "Elastic은 2021년 1월 라이선스를 바꿨습니다.",
			source: "In January 2021 we changed the license.",
		},
		{
			name:   "versions: v prefix, go prefix and patch releases",
			intro:  "Go 1.23의 iterator와 v1.23 변경 사항, `go1.23.4` 릴리스를 다룹니다.",
			source: "This post covers go1.23.4, the latest patch.",
		},
		{
			name:   "invented version",
			intro:  "Apache 2.0과 AGPL 3.0 라이선스를 함께 제공합니다.",
			source: "We add AGPL next to SSPL and ELv2. The old code was under Apache 2.0.",
			want:   []string{`number "3.0"`},
		},
		{
			name:   "2.0 matches 2 and thousands separators match",
			intro:  "HTTP/2.0 지원과 2,000개의 요청을 처리합니다.",
			source: "HTTP/2 support, 2000 requests per second.",
		},
		{
			name:   "Korean myriads and percentages",
			intro:  "30만 개의 패키지 중 99.9%가 호환됩니다.",
			source: "Out of 300,000 packages, 99.9 percent are compatible.",
		},
		{
			name:   "a Korean myriad the source does not state",
			intro:  "40만 개의 패키지가 있습니다.",
			source: "Out of 300,000 packages.",
			want:   []string{`number "40만"`},
		},
		{
			name:   "small counts are exempt, larger ones are not",
			intro:  "3가지 방법과 12가지 팁을 소개합니다.",
			source: "Three approaches and some tips.",
			want:   []string{`number "12"`},
		},
		{
			name:   "dotted Korean date",
			intro:  "2021.01.21에 발표되었습니다.",
			source: "Published January 21, 2021.",
		},
		{
			name:   "dotted date with an invented day",
			intro:  "2021.01.25에 발표되었습니다.",
			source: "Published January 21, 2021.",
			want:   []string{`number "25"`},
		},
		{
			name:  "numbers from the URL count as source",
			intro: "2024년에 작성된 글입니다.",
		},
		{
			name:   "ordered list markers are not numbers",
			intro:  "단계는 다음과 같습니다.\n\n10. 준비합니다.\n11. 실행합니다.",
			source: "Steps follow.",
		},
		{
			name:   "numbers in code are checked too",
			intro:  "`GOMAXPROCS=64`로 설정합니다.",
			source: "Set GOMAXPROCS=32.",
			want:   []string{`number "64"`},
		},
		{
			name:   "months spelled out in the source",
			intro:  "2023년 12월에 발표되었고 2024년 10월에 개정되었습니다.",
			source: "Released in December 2023, revised Oct. 2024.",
		},
		{
			name:   "a month the source does not name",
			intro:  "2023년 11월에 발표되었습니다.",
			source: "Released in December 2023.",
			want:   []string{`number "11"`},
		},
		{
			name:   "counts spelled out in the source",
			intro:  "지난 10년 동안 쌓은 12가지 요소와 25가지 팁, 20주년을 다룹니다.",
			source: "Over the past decade we learned the Twelve-Factor App, twenty-five tips, and now the twentieth anniversary.",
		},
		{
			name:   "scale words and suffixes in the source",
			intro:  "GitHub 스타 1만 개와 150만 다운로드, 10억 건의 요청을 기록했습니다.",
			source: "10k stars, 1.5 million downloads and a billion requests.",
		},
		{
			name:   "a one-letter suffix counts only right after digits",
			intro:  "100만 명이 사용합니다.",
			source: "Meet at 10 a.m. on the first day.",
			want:   []string{`number "100만"`},
		},
		{
			name:   "Korean numerals of several parts",
			intro:  "2만 5천 개의 패키지와 1억 2천만 건의 요청, 3천만 명의 사용자입니다.",
			source: "25,000 packages, 120,000,000 requests, 30 million users.",
		},
		{
			name:   "a Korean numeral with a wrong value",
			intro:  "2만 5천 개의 패키지가 있습니다.",
			source: "20,000 packages.",
			want:   []string{`number "2만 5천"`},
		},
		{
			name:   "ordinary Korean counting words and percentages",
			intro:  "첫째, 두 가지 방법을 비교합니다. 둘째, 성능이 37.5% 향상됩니다. `map[string]int` 타입을 씁니다.",
			source: "Performance improved by 37.5%.",
		},
		{
			name:   "each invented number is reported once",
			intro:  "1995년과 1995년, 그리고 42입니다.",
			source: "nothing",
			want:   []string{`"1995"`, `"42"`},
		},
	})
}

func TestCheckFields(t *testing.T) {
	long := strings.Repeat("가", 601)
	tests := []struct {
		name  string
		s     entry.Sections
		title string
		want  []string
	}{
		{"valid", goodElastic, elastic.Title, nil},
		{
			name:  "required fields empty",
			s:     entry.Sections{},
			title: "Some title",
			want:  []string{"title_ko: is empty", "summary: is empty", "introduction: is empty"},
		},
		{
			name:  "too short and too long",
			s:     with(goodElastic, func(s *entry.Sections) { s.Summary = "짧습니다."; s.Caution = long + long }),
			title: elastic.Title,
			want:  []string{"summary: is 5 characters; write 40 to 600", "caution: is 1202 characters; the maximum is 800"},
		},
		{
			name:  "title longer than 80",
			s:     with(goodElastic, func(s *entry.Sections) { s.TitleKo = strings.Repeat("제목", 41) }),
			title: elastic.Title,
			want:  []string{"title_ko: is 82 characters; the maximum is 80"},
		},
		{
			name:  "English title repeated verbatim",
			s:     with(goodElastic, func(s *entry.Sections) { s.TitleKo = "Go Concurrency Patterns Explained" }),
			title: "Go Concurrency Patterns Explained",
			want:  []string{`repeats the original title "Go Concurrency Patterns Explained"`},
		},
		{
			name:  "English title not from the source",
			s:     with(goodElastic, func(s *entry.Sections) { s.TitleKo = "How Elastic Went Open Source" }),
			title: elastic.Title,
			want:  []string{"title_ko: has no Korean"},
		},
		{"single-word name", with(goodElastic, func(s *entry.Sections) { s.TitleKo = "FastDB" }), "FastDB", nil},
		{"lowercase project name", with(goodElastic, func(s *entry.Sections) { s.TitleKo = "gomponents" }), "gomponents", nil},
		{"two-word name", with(goodElastic, func(s *entry.Sections) { s.TitleKo = "Goakt v2" }), "Goakt v2", nil},
		{"Korean source title kept", with(goodElastic, func(s *entry.Sections) { s.TitleKo = "Go수다 규칙" }), "Go수다 규칙", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkFields(tt.s, newSource(Input{Title: tt.title, Text: "text"}))
			if len(got) != len(tt.want) {
				t.Fatalf("violations = %v, want %q", got, tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i].String(), w) {
					t.Errorf("violation %d = %q, want %q", i, got[i], w)
				}
			}
		})
	}
}

func TestValidateNamesRulesAndCaps(t *testing.T) {
	bad := entry.Sections{
		TitleKo:      "### Summary",
		Summary:      "API фасаду <br> 2023",
		Introduction: strings.Repeat("## 추가 자료\n", 20),
	}
	got := validate(bad, newSource(Input{Title: "t", Text: "2021"}))
	if len(got) != maxViolations {
		t.Fatalf("%d violations, want the cap %d", len(got), maxViolations)
	}
	rules := map[string]bool{}
	for _, v := range got {
		rules[v.Rule] = true
	}
	for _, r := range []string{"fields", "script", "markup"} {
		if !rules[r] {
			t.Errorf("no %s violation among %v", r, got)
		}
	}
}
