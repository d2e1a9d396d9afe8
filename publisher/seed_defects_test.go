package publisher

import (
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
)

// Articles carrying the seed newsletter's own field text
// (../shared/reference/seed-newsletter.md), offending parts included.
var (
	// Lines 10-22: the 요약 and 소개 as the seed has them.
	seedValidation = Article{
		Sections: entry.Sections{
			TitleKo:      "Go 언어에서의 모델 검증",
			Summary:      "Go 언어에서 모델 검증은 소프트웨어 개발에서 필수적인 부분입니다. 적절한 검증을 통해 데이터 유효성을 보장하고 이후 작업을 간소화할 수 있습니다. 이 글은 Go 언어에서 모델 검증을 수행하는 다양한 방법과 validator v10 라이브러리에 대해 설명합니다.",
			Introduction: "Go 언어는 강력한 타입 시스템을 제공하지만, 모델 검증을 위한 내장 기능은 부족합니다. 따라서 개발자는 직접 검증 로직을 작성하거나 외부 라이브러리를 활용해야 합니다. validator v10 라이브러리는 Go 언어에서 모델 검증을 위한 사실상 표준 라이브러리로 자리 잡았습니다. 이 라이브러리는 필드 태그를 사용하거나 사용자 정의 검증 함수를 작성하여 모델 검증을 수행할 수 있습니다.",
		},
		Link:     "https://blog.dbrusenin.com/model-validation-in-golang",
		LinkText: "Model validation in Golang",
	}

	// Lines 23-45: a list right after a paragraph line, trailing spaces.
	seedMaintainable = Article{
		Sections: entry.Sections{
			TitleKo: "유지보수 가능한 Go 코드 작성 방법",
			Summary: "이 글은 Go 코드의 유지보수성을 향상시키는 다양한 전략을 소개합니다. `main` 함수 최소화, 의미 있는 이름 사용, 주석 작성, 코드 중복 방지, 깊은 중첩 방지, 조기 반환 활용, `switch` 문 활용 등 구체적인 방법들을 제시합니다.",
			Introduction: "Go는 간결하고 효율적인 코드를 작성하기 위한 강력한 도구이지만, 코드가 복잡해지면 유지보수가 어려워질 수 있습니다. 새로운 팀원이 코드를 이해하고 변경하기 어려워지고, 개발자가 떠날 경우 다른 개발자가 코드를 이어받아 작업하는 데 어려움을 겪을 수 있습니다. 유지보수 가능한 코드는 코드 이해 및 변경을 용이하게 하여 개발 속도를 높이고 유지 관리 비용을 절감하는 데 도움을 줍니다. \n\n" +
				"이 글에서는 Go 코드의 유지보수성을 높이기 위한 다양한 전략을 소개합니다.\n" +
				"* **`main` 함수 최소화**: `main` 함수는 Go 프로그램의 진입점이므로 가능한 한 간단하게 유지하는 것이 좋습니다. `main` 함수는 주로 다른 패키지의 함수를 호출하여 애플리케이션을 시작하고 실행합니다. \n" +
				"* **조기 반환 활용**: 함수가 특정 조건을 만족하면 즉시 반환하여 불필요한 처리를 줄일 수 있습니다. \n" +
				"* **`switch` 문 활용**: `if` 문 대신 `switch` 문을 사용하면 코드 가독성과 유지보수성을 향상시킬 수 있습니다. ",
		},
		Link: "https://devdojo.com/harendra/how-to-write-maintainable-go-code",
	}

	// Lines 695-723: what the old model wrote under its English headings,
	// with the headings now inside the fields.
	seedGosuda = Article{
		Sections: entry.Sections{
			TitleKo:        "Go수다 규칙: Go 개발자들의 수다방 가이드",
			Summary:        "### Summary\n\nGo수다 규칙은 Go 언어 개발자들의 활발한 커뮤니티인 Go수다 채팅방의 원활한 운영과 긍정적인 분위기를 조성하기 위한 가이드라인입니다. ",
			Introduction:   "### Introduction\n\nGo수다 채팅방은 Go 언어에 관심있는 개발자들이 모여 정보를 공유하고 서로 돕는 공간입니다. 이 규칙은 채팅방 참여자들이 편안하고 즐겁게 소통하며, 건설적인 대화를 이어갈 수 있도록 돕는 목적으로 만들어졌습니다. ",
			Recommendation: "### Recommendation\n\nGo수다 채팅방에 참여하고 싶은 Go 개발자라면, Go수다 규칙을 숙지하고, 다른 참여자들과 긍정적이고 건설적인 소통을 통해 즐거운 커뮤니티 활동을 하시기 바랍니다.",
			Caution:        "### Caution\n\nGo수다 규칙은 Go수다 채팅방의 원활한 운영을 위한 지침이며, 모든 상황에 적용될 수 있는 절대적인 규칙은 아닙니다. ",
		},
		Link:     "https://rules.gosuda.org/",
		LinkText: "Go수다 규칙",
	}

	// Lines 579-625: the model's own "##" headings, the HTML lines that
	// open a paragraph (594, 608 and 625) and the ones with HTML inside
	// (598 and 604).
	seedPhantom = Article{
		Sections: entry.Sections{
			TitleKo: "팬텀 토큰 접근 방식: API 보안 강화",
			Summary: "팬텀 토큰 접근 방식은 마이크로서비스 보안을 위해 불투명 토큰과 구조화된 토큰의 장점을 결합한 프라이버시 보호 토큰 사용 패턴입니다. 이 패턴을 이해하려면 불투명 토큰과 구조화된 토큰의 기본적인 차이점을 이해하는 것이 중요합니다.",
			Introduction: "불투명 토큰은 리소스 서버에 의미가 없는 임의의 문자열입니다.\n\n" +
				"<img src=\"/images/resources/architect/api-security/opaque-token-flow.svg?v=20210412\" alt=\"불투명 토큰과 함께 사용되는 흐름\"/>\n\n" +
				"불투명 토큰은 사용자 속성과 토큰 메타데이터에 대한 참조로 간주할 수 있습니다.\n\n" +
				seedLine598 + "\n\n" +
				"## 팬텀 토큰 접근 방식\n\n" +
				seedLine604 + "\n\n" +
				"클라이언트가 토큰을 요청하면 Token Service는 참조에 의한 토큰을 반환합니다.\n\n" +
				"<img src=\"/images/resources/architect/api-security/phantom-token-flow.svg?v=20210412\" alt=\"팬텀 토큰 접근 방식\"/>\n\n" +
				"## 불투명 토큰 사용의 이점\n\n" +
				"불투명 토큰의 주요 이점은 보안입니다.\n\n" +
				"## 추가 자료\n\n" +
				"<a class=\"ref ref-cross\" href=\"/resources/learn/introspect-with-phantom-token/\"><i class=\"icon ion-android-list inlineicon\"></i>팬텀 토큰<i class=\"icon ion-android-arrow-forward ml1\"></i></a>에 대한 튜토리얼과 <a rel=\"noopener noreferrer\" href=\"https://github.com/curityio/nginx_phantom_token_module\">GitHub의 NGINX용 모듈</a>을 확인해 보세요. ",
		},
		Link:     "https://curity.io/resources/learn/phantom-token-pattern/",
		LinkText: "The Phantom Token Approach",
	}
)

// The seed's lines with raw HTML inside them, as the old model wrote them.
const (
	seedLine598 = "각 토큰을 유효성 검사하기 위해 조회해야 하는 경우, 리소스 및 권한 부여 서버뿐만 아니라 인프라에도 부하가 발생합니다. <a class=\"ref ref-cross\" href=\"/resources/learn/jwt-best-practices/\"><i class=\"icon ion-android-list inlineicon\"></i>JSON 웹 토큰(JWT)<i class=\"icon ion-android-arrow-forward ml1\"></i></a>과 같은 구조화된 토큰 포맷은 이 문제를 해결합니다. JWT 토큰은 HTTP 헤더 및 쿼리 매개변수에 전달되도록 설계된 컴팩트하고 가벼운 토큰입니다. 데이터 무결성을 보호하기 위해 서명되며, 프라이버시를 위해 암호화할 수도 있습니다. 포맷이 잘 정의되어 있기 때문에 리소스 서버는 다른 시스템을 호출하지 않고도 토큰을 디코딩하고 검증할 수 있습니다."
	seedLine604 = "팬텀 토큰 접근 방식은 불투명 토큰의 보안과 JWT의 편리성을 결합한 <a href=\"/product/\">API 및 마이크로서비스 보안</a>을 위한 규범적인 패턴입니다. 핵심 아이디어는 참조에 의한 토큰과 값에 의한 토큰을 쌍으로 사용하는 것입니다. 값에 의한 토큰(JWT)은 참조에 의한 동등한 토큰(불투명 토큰)을 통해 얻을 수 있습니다. 클라이언트는 JWT를 인식하지 못하기 때문에 이 토큰을 팬텀 토큰이라고 합니다."
	seedLine688 = "- **스크립트 실행:** UV는 이제 <a href=\"https://peps.python.org/pep-0723/\">PEP 723</a> 기반의 내장된 종속성 메타데이터를 사용하여 완벽하게 격리된 단일 파일 Python 스크립트를 관리할 수 있습니다. `uv run`으로 독립 실행형 Python 스크립트를 실행해 보세요."
)

// Lines 673-692: a list item with an absolute link as HTML (line 688).
var seedUV = Article{
	Sections: entry.Sections{
		TitleKo:      "UV: 통합된 Python 패키징",
		Summary:      "UV는 Rust로 작성된 매우 빠른 Python 패키지 관리자로, 기존 `pip` 워크플로우를 대체합니다. UV는 Python 프로젝트, 명령줄 도구, 단일 파일 스크립트, 심지어 Python 자체까지 관리하는 종합적인 솔루션을 제공합니다.",
		Introduction: "Astral은 Python 생태계를 위한 고성능 개발 도구를 만드는 회사로, 매우 빠른 Python linter 및 formatter인 Ruff로 유명합니다. 2024년 2월에 출시된 UV는 처음에는 `pip`를 대체하는 빠른 Python 패키지 설치 및 해결 도구로 시작되었습니다." + "\n\n" + seedLine688,
	},
	Link: "https://astral.sh/blog/uv-unified-python-packaging",
}

// seedDefect is one row of TestSeedDefects: an issue of articles, rendered
// with the configured model and disclaimer.
type seedDefect struct {
	name       string
	articles   []Article
	model      string // config.DefaultModel when empty
	disclaimer string // the default disclaimer when empty
	// want and absent are substrings the issue must and must not contain.
	want, absent []string
	// golden, when set, names the testdata file the issue must equal.
	golden string
}

// TestSeedDefects traces the seed newsletter's defects
// (../shared/reference/SEED-DEFECTS.md) that concern layout to the renderer.
// Each row feeds the seed's offending text straight into the renderer,
// defence in depth behind the summarizer's guardrails, and every issue must
// have: exactly one "## " per article, only the Korean "###" headings, a
// 참고 section holding [source title](canonical URL), a blank line before
// every "## ", and a disclaimer naming the model id. Defects 2, 3, 6 and 7
// concern the text itself and are traced in the summarizer.
func TestSeedDefects(t *testing.T) {
	tests := []seedDefect{
		{
			name:     "defect 1: English section headings (lines 695-723)",
			articles: []Article{seedGosuda},
			want: []string{
				"\n### 요약\n\n\\### Summary\n",
				"\n### 소개\n\n\\### Introduction\n",
				"\n### 추천\n\n\\### Recommendation\n",
				"\n### 참고\n\n[Go수다 규칙](https://rules.gosuda.org/)\n",
				"\n### 주의\n\n\\### Caution\n",
			},
			absent: []string{"\n### Summary", "\n### Introduction", "\n### Recommendation", "\n### Reference", "\n### Caution"},
		},
		{
			// Every '<' of the seed's tags is escaped, at the start of a
			// line or inside one, so the tags show as text and link nowhere.
			name:     "defect 4: raw HTML with site-relative links (lines 594-625, 688)",
			articles: []Article{seedPhantom, seedUV},
			want: []string{
				"\n\\<img src=\"/images/resources/architect/api-security/opaque-token-flow.svg",
				"\n\\<img src=\"/images/resources/architect/api-security/phantom-token-flow.svg",
				"\n" + strings.ReplaceAll(seedLine598, "<", `\<`) + "\n",
				"\n" + strings.ReplaceAll(seedLine604, "<", `\<`) + "\n",
				"\n" + strings.ReplaceAll(seedLine688, "<", `\<`) + "\n",
				"\n\\<a class=\"ref ref-cross\" href=\"/resources/learn/introspect-with-phantom-token/\">\\<i class=",
				"에 대한 튜토리얼과 \\<a rel=\"noopener noreferrer\" href=\"https://github.com/curityio/nginx_phantom_token_module\">GitHub의 NGINX용 모듈\\</a>을",
			},
			absent: []string{"\n<img", "\n<a ", " <a ", "><i ", "></i>", "></a>", "보안</a>", "모듈</a>", "723</a>", "](/"},
		},
		{
			name:     "defect 5: model-written ## headings (lines 579-625)",
			articles: []Article{seedPhantom, seedValidation},
			want: []string{
				"\n\\## 팬텀 토큰 접근 방식\n",
				"\n\\## 불투명 토큰 사용의 이점\n",
				"\n\\## 추가 자료\n",
			},
			absent: []string{"\n## 팬텀 토큰 접근 방식\n", "\n## 불투명 토큰 사용의 이점\n", "\n## 추가 자료\n"},
		},
		{
			// No model text reaches 참고: it is the source title, or the
			// URL when there is none, linked to the canonical URL.
			name:     "defect 8: [Read more](url) link text (line 22)",
			articles: []Article{seedValidation, seedMaintainable},
			want: []string{
				"\n### 참고\n\n[Model validation in Golang](https://blog.dbrusenin.com/model-validation-in-golang)\n",
				"\n### 참고\n\n[https://devdojo.com/harendra/how-to-write-maintainable-go-code](https://devdojo.com/harendra/how-to-write-maintainable-go-code)\n",
			},
			absent: []string{"Read more"},
		},
		{
			// The seed's own disclaimer, configured as is, still gets the
			// model id that wrote the issue.
			name:       "defect 9: disclaimer names the model loosely (line 727)",
			articles:   []Article{seedValidation},
			model:      "gemini-2.5-flash",
			disclaimer: "이 글은 Gemini Flash를 이용하여 생성한 것으로, 사실과 다를 수 있습니다.",
			want:       []string{"\n## 주의\n\n- 이 글은 Gemini Flash를 이용하여 생성한 것으로, 사실과 다를 수 있습니다. (모델: gemini-2.5-flash)\n"},
		},
		{
			name:     "defect 10: missing blank line before ## (lines 22-23, 45-46)",
			articles: []Article{seedValidation, seedMaintainable, seedGosuda},
			want: []string{
				"model-validation-in-golang)\n\n## 유지보수 가능한 Go 코드 작성 방법\n",
				"maintainable-go-code)\n\n## Go수다 규칙: Go 개발자들의 수다방 가이드\n",
				"\n\n## 주의\n",
			},
			absent: []string{" \n"},
			golden: "seed_defects_issue",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default().Publisher
			if tt.disclaimer != "" {
				cfg.Disclaimer = tt.disclaimer
			}
			model := tt.model
			if model == "" {
				model = config.DefaultModel
			}
			issue := NewIssue(cfg, publishedSeptember1st, model, tt.articles)
			issue.CUID = goldenCUID
			md := issue.Markdown(cfg)
			checkSeedIssue(t, string(md), model, tt.articles)
			checkIssueStructure(t, md, len(tt.articles))
			for _, w := range tt.want {
				if !strings.Contains(string(md), w) {
					t.Errorf("issue lacks %q", w)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(string(md), a) {
					t.Errorf("issue contains %q", a)
				}
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, md)
			}
		})
	}
}

// checkSeedIssue checks what SEED-DEFECTS.md asks of every issue: each
// article is one "## " block in the issue, its 참고 section is the one
// [source title](canonical URL) link, every "## " has a blank line before
// it, and the closing line names the model id.
func checkSeedIssue(t *testing.T, md, model string, articles []Article) {
	t.Helper()
	for _, a := range articles {
		block := RenderArticle(a)
		checkArticleStructure(t, block)
		if !strings.Contains(md, "\n"+block+"\n") {
			t.Errorf("issue does not hold the article %q as one block", a.TitleKo)
		}
		label := a.LinkText
		if label == "" {
			label = a.Link
		}
		ref := "\n### 참고\n\n[" + label + "](" + a.Link + ")\n"
		if strings.Count(block, "\n### 참고\n") != 1 || !strings.Contains(block, ref) {
			t.Errorf("article %q: 참고 is not the one section holding %q:\n%s", a.TitleKo, ref, block)
		}
	}
	lines := strings.Split(md, "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "## ") && (i == 0 || lines[i-1] != "") {
			t.Errorf("line %d %q has no blank line before it", i+1, line)
		}
	}
	if last := lines[len(lines)-2]; !strings.HasPrefix(last, "- ") || !strings.Contains(last, model) {
		t.Errorf("closing line %q does not name the model %s", last, model)
	}
}
