package summarizer

import (
	"github.com/godevcommunity/newsletter/retry"

	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// Sources of the seed articles whose defects the summarizer must stop:
// short English (or, for Go수다, Korean) texts consistent with the real
// pages. The Elasticsearch source is elastic in helpers_test.go.
var (
	seedGosuda = Input{
		Title:    "Go수다 규칙",
		URL:      "https://rules.gosuda.org/",
		SiteName: "Go수다",
		Language: "ko",
		Text: strings.Join([]string{
			"Go수다는 Go 언어에 관심 있는 개발자들이 정보를 공유하고 서로 돕는 채팅방입니다. 이 규칙은 모두가 편안하게 대화할 수 있도록 만들었습니다.",
			"## 입장 및 퇴장",
			"입장하면 공지를 확인하고 인사해 주세요. 부적절한 행동을 하면 강제 퇴장될 수 있습니다.",
			"## 대화 매너",
			"다른 대화가 진행 중일 때는 끼어들지 말고 적절한 때에 질문해 주세요. 비방이나 불쾌한 언행은 삼가 주세요.",
			"## 광고",
			"개발 관련 세미나, 모임, 번개 광고는 허용됩니다. 회사 채용, 소개, 스터디 광고는 관리자의 승인이 필요합니다.",
			"## 관리자",
			"문의사항이나 불편한 점은 언제든지 총괄자나 관리자에게 연락해 주세요. Go수다는 Go Developer Community와 함께 활동합니다.",
		}, "\n\n"),
	}

	seedGRPC = Input{
		Title:    "Bridge the gap between gRPC and REST HTTP APIs",
		URL:      "https://cloud.google.com/blog/products/api-management/bridge-the-gap-between-grpc-and-rest-http-apis",
		SiteName: "Google Cloud Blog",
		Language: "en",
		Text: strings.Join([]string{
			"When designing modern microservice architectures, performance is paramount. Beyond high-frequency trading and real-time systems, a few milliseconds of latency between services affect the whole user experience. gRPC has become the protocol of choice for high-performance communication, thanks to its low latency, efficient serialization and strongly typed messages.",
			"Yet most service-to-service communication across system boundaries still relies on HTTP APIs, because an API is a contract between separate producers and consumers, and moving to gRPC causes friction. Not every developer is ready for, or experienced with, consuming gRPC services, so API providers exposing only gRPC risk missing potential users.",
			"In this blog we show how to bridge the gap between high-performance gRPC services and the widely adopted RESTful HTTP API ecosystem. An auto-generated gRPC gateway, deployed alongside the existing gRPC service, handles the protocol translation to an HTTP interface. Finally, Apigee as the enterprise API management platform provides a clean RESTful API facade in a secure, self-service way.",
		}, "\n\n"),
	}

	seedUV = Input{
		Title:    "uv: Unified Python packaging",
		URL:      "https://astral.sh/blog/uv-unified-python-packaging",
		SiteName: "Astral",
		Language: "en",
		Text: strings.Join([]string{
			"August 20, 2024",
			"TL;DR: uv is an extremely fast Python package manager, written in Rust. It replaces pip workflows and now manages projects, command-line tools, single-file scripts and Python itself.",
			"Astral builds high-performance developer tools for the Python ecosystem. We're best known for Ruff, an extremely fast Python linter and formatter. In February 2024, we released uv, a fast drop-in replacement for pip to install and resolve packages.",
			"Today we are announcing the largest expansion of uv since its first release:",
			"- End-to-end project management: uv run, uv lock, and uv sync create and install cross-platform lockfiles based on standards-compliant metadata.",
			"- Tool management: uv tool install and uv tool run (aliased to uvx) install command-line tools in isolated virtual environments and run one-off commands without explicit installation, like uvx ruff check.",
			"- Python installation: uv python install bootstraps and installs Python for you.",
			"- Script execution: uv can now manage hermetic, single-file Python scripts with inline dependency metadata based on PEP 723.",
		}, "\n"),
	}

	seedPhantom = Input{
		Title:    "The Phantom Token Approach",
		URL:      "https://curity.io/resources/learn/phantom-token-pattern/",
		SiteName: "Curity",
		Language: "en",
		Text: strings.Join([]string{
			"When OAuth 2.0 was defined, tokens were intentionally kept abstract and no format was defined. In practice there are two kinds of tokens: opaque tokens (by reference) and structured tokens (by value).",
			"An opaque token is a random string that has no meaning to the resource server. To find out about it, the resource server calls the introspection endpoint of the authorization server. Structured token formats such as JSON Web Tokens (JWT) solve this: the resource server can decode and validate them without calling another system.",
			"## The Phantom Token Approach",
			"The Phantom Token Approach is a prescriptive pattern for securing APIs and microservices that combines the security of opaque tokens with the convenience of JWTs. When the client asks for a token, the Token Service returns a by-reference token. A reverse proxy or API gateway between the client and the API swaps it for the by-value token, the JWT, which the client never sees.",
			"## Benefits of using opaque tokens",
			"The main benefit of opaque tokens is security: clients cannot parse the access token or build logic on its contents, and no data leaks to them. Because the reverse proxy can cache the by-value tokens until they expire, performance is optimized too.",
			"## Further reading",
			"See the tutorial on introspection with the phantom token and the NGINX module on GitHub.",
		}, "\n\n"),
	}

	seedGomponents = Input{
		Title:    "gomponents",
		URL:      "https://github.com/maragudk/gomponents",
		SiteName: "GitHub",
		Language: "en",
		Text: strings.Join([]string{
			"gomponents: HTML components in pure Go.",
			"gomponents are HTML components written in pure Go. They render to HTML 5, and make it easy for you to build reusable components. So you can focus on building your app instead of learning yet another templating language.",
			"The library's only dependency is the Go standard library. Elements and attributes are plain Go functions, and a component is any function that returns a Node.",
		}, "\n\n"),
	}

	seedValidation = Input{
		Title:    "Model validation in Golang",
		URL:      "https://blog.dbrusenin.com/model-validation-in-golang",
		SiteName: "Dmitry Brusenin's blog",
		Language: "en",
		Text: strings.Join([]string{
			"Model validation is an essential part of software development. Proper validation guarantees the validity of data and simplifies the work that follows.",
			"Go has a strong type system but no built-in model validation, so developers write validation logic by hand or use an external library. The validator v10 library has become the de facto standard for model validation in Go: it validates models with field tags or with custom validation functions.",
		}, "\n\n"),
	}
)

// Grounded answers for the sources above, in the seed's words where the seed
// was right.
var (
	goodGosuda = entry.Sections{
		TitleKo:        "Go수다 규칙: Go 개발자들의 수다방 가이드",
		Summary:        "Go수다 규칙은 Go 언어 개발자들의 활발한 커뮤니티인 Go수다 채팅방의 원활한 운영과 긍정적인 분위기를 조성하기 위한 가이드라인입니다.",
		Introduction:   "Go수다 채팅방은 Go 언어에 관심있는 개발자들이 모여 정보를 공유하고 서로 돕는 공간입니다. 이 규칙은 채팅방 참여자들이 편안하고 즐겁게 소통하며, 건설적인 대화를 이어갈 수 있도록 돕는 목적으로 만들어졌습니다.",
		Recommendation: "Go수다 채팅방에 참여하고 싶은 Go 개발자라면, Go수다 규칙을 숙지하고, 다른 참여자들과 긍정적이고 건설적인 소통을 통해 즐거운 커뮤니티 활동을 하시기 바랍니다.",
		Caution:        "Go수다 규칙은 Go수다 채팅방의 원활한 운영을 위한 지침이며, 모든 상황에 적용될 수 있는 절대적인 규칙은 아닙니다.",
	}

	goodGRPC = entry.Sections{
		TitleKo: "gRPC와 REST HTTP API 간의 간극을 메우는 방법: gRPC 서비스를 REST 세계에 공개하기",
		Summary: "이 글은 gRPC 서비스와 RESTful HTTP API 간의 간극을 해소하고 Apigee 엔터프라이즈 API 관리 플랫폼으로 향상된 솔루션을 소개합니다. gRPC 서비스를 RESTful HTTP API로 노출하여 더 넓은 개발자와 애플리케이션에 접근할 수 있도록 하는 방법을 보여줍니다.",
		Introduction: "현대 마이크로서비스 아키텍처를 설계할 때 성능은 매우 중요합니다. 고주파 트레이딩 및 실시간 시스템 뿐 아니라, 서비스 간 통신에서 발생하는 몇 밀리초의 지연도 전체 사용자 경험에 큰 영향을 미칩니다. 이러한 환경에서 gRPC는 고성능 통신 프로토콜로 자리 잡았으며, 낮은 지연 시간, 효율적인 직렬화 및 강력한 형식의 메시지로 인해 널리 채택되고 있습니다.\n\n" +
			"그러나 대부분의 시스템 경계를 넘나드는 서비스 간 통신은 여전히 HTTP API에 크게 의존합니다. 이는 API가 API 생산자와 소비자의 형태로 분리된 엔터티 간의 계약 역할을 하기 때문이며, gRPC로 전환하면 많은 마찰이 발생합니다. 또한 모든 개발자가 gRPC 서비스를 소비할 준비가 되어 있거나 경험이 있는 것은 아닙니다. 따라서 API 제공자는 gRPC 서비스만 노출함으로써 잠재적인 사용자를 놓칠 위험이 있습니다.\n\n" +
			"이 블로그에서는 고성능 gRPC 서비스와 널리 채택된 RESTful HTTP API 생태계 간의 간극을 쉽게 해소하는 방법을 보여줍니다. 기존 gRPC 서비스와 함께 배포할 수 있는 자동 생성된 gRPC 게이트웨이를 활용하여 HTTP 인터페이스를 제공하는 프로토콜 변환을 처리하는 솔루션을 제안합니다. 마지막으로, Apigee를 엔터프라이즈 API 관리 플랫폼으로 도입하여 안전하고 셀프 서비스 방식으로 깔끔한 RESTful API 파사드를 제공합니다.",
	}

	goodUV = entry.Sections{
		TitleKo: "UV: 통합된 Python 패키징",
		Summary: "UV는 Rust로 작성된 매우 빠른 Python 패키지 관리자로, 기존 `pip` 워크플로우를 대체합니다. UV는 Python 프로젝트, 명령줄 도구, 단일 파일 스크립트, 심지어 Python 자체까지 관리하는 종합적인 솔루션을 제공합니다.",
		Introduction: "Astral은 Python 생태계를 위한 고성능 개발 도구를 만드는 회사로, 매우 빠른 Python linter 및 formatter인 Ruff로 유명합니다. 2024년 2월에 출시된 UV는 처음에는 `pip`를 대체하는 빠른 Python 패키지 설치 및 해결 도구로 시작되었습니다.\n\n" +
			"- **도구 관리:** `uv tool install` 및 `uv tool run`(별칭 `uvx`)를 통해 UV는 격리된 가상 환경에 명령줄 도구를 설치하고 명시적인 설치 없이 일회성 명령을 실행할 수 있습니다. (`uvx ruff check`처럼).  이는 `pipx`와 같은 도구에 대한 고성능, 통합된 대안입니다.",
	}

	goodPhantom = entry.Sections{
		TitleKo: "팬텀 토큰 접근 방식: API 보안 강화",
		Summary: "팬텀 토큰 접근 방식은 마이크로서비스 보안을 위해 불투명 토큰과 구조화된 토큰의 장점을 결합한 프라이버시 보호 토큰 사용 패턴입니다. 이 패턴을 이해하려면 불투명 토큰과 구조화된 토큰의 기본적인 차이점을 이해하는 것이 중요합니다.",
		Introduction: "OAuth 2.0가 정의될 때, 토큰은 의도적으로 추상적으로 유지되었으며, 포맷은 정의되지 않았습니다. 불투명 토큰은 리소스 서버에 의미가 없는 임의의 문자열이고, JWT와 같은 구조화된 토큰은 리소스 서버가 다른 시스템을 호출하지 않고도 디코딩하고 검증할 수 있습니다.\n\n" +
			"팬텀 토큰 접근 방식에서 클라이언트는 참조에 의한 토큰만 받고, 클라이언트와 API 사이의 리버스 프록시가 이를 값에 의한 토큰인 JWT로 바꿔 API에 전달합니다.",
	}

	goodGomponents = entry.Sections{
		TitleKo:      "gomponents: 순수 Go로 작성하는 HTML 컴포넌트",
		Summary:      "gomponents는 순수 Go로 작성하는 HTML 컴포넌트 라이브러리입니다. 별도의 템플릿 언어를 배우지 않고 재사용 가능한 컴포넌트를 Go 함수로 만들 수 있습니다.",
		Introduction: "gomponents는 Go 코드로 HTML 5를 렌더링하는 컴포넌트를 작성하게 해 줍니다. 요소와 속성은 평범한 Go 함수이고, 컴포넌트는 `Node`를 반환하는 함수입니다. 라이브러리가 의존하는 것은 Go 표준 라이브러리뿐입니다.",
	}

	goodValidation = entry.Sections{
		TitleKo:      "Go 언어에서의 모델 검증",
		Summary:      "Go 언어에서 모델 검증은 소프트웨어 개발에서 필수적인 부분입니다. 적절한 검증을 통해 데이터 유효성을 보장하고 이후 작업을 간소화할 수 있습니다. 이 글은 Go 언어에서 모델 검증을 수행하는 다양한 방법과 validator v10 라이브러리에 대해 설명합니다.",
		Introduction: "Go 언어는 강력한 타입 시스템을 제공하지만, 모델 검증을 위한 내장 기능은 부족합니다. 따라서 개발자는 직접 검증 로직을 작성하거나 외부 라이브러리를 활용해야 합니다. validator v10 라이브러리는 Go 언어에서 모델 검증을 위한 사실상 표준 라이브러리로 자리 잡았습니다. 이 라이브러리는 필드 태그를 사용하거나 사용자 정의 검증 함수를 작성하여 모델 검증을 수행할 수 있습니다.",
	}
)

// seedDefect is one row of TestSeedDefects.
type seedDefect struct {
	name string
	in   Input
	// bad carries the seed's offending text; good is a clean answer.
	bad, good entry.Sections
	// rule is the guardrail that must reject bad; want are substrings of
	// its violations, "field: detail", each also named in the correction.
	rule string
	want []string
	// prompt, for a defect no guardrail can detect, are the instructions
	// every request must carry instead; bad and rule are then unused.
	prompt []string
}

// TestSeedDefects traces the seed newsletter's defects
// (../shared/reference/SEED-DEFECTS.md) that concern model output to what
// stops them. Each row sends the seed's own offending text through the real
// SDK to the fake Gemini server: given twice, the article fails with a
// GuardrailError naming the rule; followed by a clean answer, the article
// succeeds and the corrective request names the problem. Defects 9 (the
// disclaimer) and 10 (spacing) belong to the publisher and are traced there.
func TestSeedDefects(t *testing.T) {
	tests := []seedDefect{
		{
			// The old system let the model write the headings. Ours asks for
			// fields; a heading inside one is rejected, and the publisher
			// writes the Korean headings.
			name: "defect 1: English section headings (lines 695-723)",
			in:   seedGosuda,
			bad: entry.Sections{
				TitleKo:        goodGosuda.TitleKo,
				Summary:        "### Summary\n\n" + goodGosuda.Summary,
				Introduction:   "### Introduction\n\n" + goodGosuda.Introduction,
				Recommendation: "### Recommendation\n\n" + goodGosuda.Recommendation,
				Caution:        "### Caution\n\n" + goodGosuda.Caution,
			},
			good: goodGosuda,
			rule: "markup",
			want: []string{
				`summary: heading "### Summary"`,
				`introduction: heading "### Introduction"`,
				`recommendation: heading "### Recommendation"`,
				`caution: heading "### Caution"`,
			},
		},
		{
			name: "defect 2: Cyrillic leak (line 58)",
			in:   seedGRPC,
			bad: with(goodGRPC, func(s *entry.Sections) {
				s.Introduction = strings.Replace(s.Introduction, "RESTful API 파사드를", "RESTful API фасаду를", 1)
			}),
			good: goodGRPC,
			rule: "script",
			want: []string{`introduction: Cyrillic text "фасаду"`},
		},
		{
			name: "defect 3: Han leak (line 686)",
			in:   seedUV,
			bad: with(goodUV, func(s *entry.Sections) {
				s.Introduction = strings.Replace(s.Introduction, "(별칭 `uvx`)", "(別名 `uvx`)", 1)
			}),
			good: goodUV,
			rule: "script",
			want: []string{`introduction: Han text "別名" does not appear in the article`},
		},
		{
			// The img's "?v=20210412" also breaks the grounding rule.
			name: "defect 4: raw HTML with site-relative links (lines 594-625)",
			in:   seedPhantom,
			bad: with(goodPhantom, func(s *entry.Sections) {
				s.Summary = "팬텀 토큰 접근 방식은 불투명 토큰의 보안과 JWT의 편리성을 결합한 <a href=\"/product/\">API 및 마이크로서비스 보안</a>을 위한 규범적인 패턴입니다."
				s.Introduction = "불투명 토큰은 리소스 서버에 의미가 없는 임의의 문자열입니다.\n\n" +
					"<img src=\"/images/resources/architect/api-security/opaque-token-flow.svg?v=20210412\" alt=\"불투명 토큰과 함께 사용되는 흐름\"/>\n\n" +
					"각 토큰을 유효성 검사하기 위해 조회해야 하는 경우, 리소스 및 권한 부여 서버뿐만 아니라 인프라에도 부하가 발생합니다. " +
					"<a class=\"ref ref-cross\" href=\"/resources/learn/jwt-best-practices/\"><i class=\"icon ion-android-list inlineicon\"></i>JSON 웹 토큰(JWT)<i class=\"icon ion-android-arrow-forward ml1\"></i></a>과 같은 구조화된 토큰 포맷은 이 문제를 해결합니다."
			}),
			good: goodPhantom,
			rule: "markup",
			want: []string{
				`summary: HTML tag "<a href=\"/product/\">"`,
				`introduction: HTML tag "<img src=\"/images/resources/architect/`,
				`introduction: HTML tag "<a class=\"ref ref-cross\" href=\"/resources/learn/`,
			},
		},
		{
			name: "defect 5: model-written ## headings (lines 579-625)",
			in:   seedPhantom,
			bad: with(goodPhantom, func(s *entry.Sections) {
				s.Introduction = "불투명 토큰은 사용자 속성과 토큰 메타데이터에 대한 참조로 간주할 수 있습니다. 따라서 불투명 토큰을 전달하는 것은 참조에 의한 토큰 전달이라고도 할 수 있습니다.\n\n" +
					"## 팬텀 토큰 접근 방식\n\n" +
					"클라이언트가 토큰을 요청하면 Token Service는 참조에 의한 토큰을 반환합니다.\n\n" +
					"## 불투명 토큰 사용의 이점\n\n" +
					"불투명 토큰의 주요 이점은 보안입니다. 액세스 토큰은 API인 리소스 서버용으로 의도되었습니다.\n\n" +
					"## 추가 자료"
			}),
			good: goodPhantom,
			rule: "markup",
			want: []string{
				`introduction: heading "## 팬텀 토큰 접근 방식"`,
				`introduction: heading "## 불투명 토큰 사용의 이점"`,
				`introduction: heading "## 추가 자료"`,
			},
		},
		{
			// The seed also says "Apache 2.0 라이선스와 함께 AGPL"; 2.0 is in
			// the source ("Elastic License 2.0"), so only the prompt's
			// grounding rule stands against that half of the defect.
			name: "defect 6: invented year 2023 for January 2021 (lines 295-305)",
			in:   elastic,
			bad: entry.Sections{
				TitleKo:      "Elasticsearch가 다시 오픈 소스로 돌아왔습니다",
				Summary:      "Elasticsearch는 Elastic NV의 상업 라이선스 도입으로 인해 오픈 소스에서 벗어났지만, 다시 오픈 소스로 돌아왔습니다. 이는 Apache 2.0 라이선스를 추가하여 개발자들이 더 많은 선택지를 가지게 되었습니다.",
				Introduction: "Elasticsearch는 2023년 1월 Elastic NV가 상업 라이선스를 도입하면서 많은 개발자들의 비난을 받았습니다. 개발자들은 오픈 소스 정신에 반하는 행위라고 비난하며 불만을 표출했고, Elastic은 이에 대한 압도적인 반응을 받아 Elasticsearch를 다시 오픈 소스로 전환하기로 결정했습니다.\n\nElasticsearch는 이제 Apache 2.0 라이선스와 함께 AGPL 라이선스를 선택할 수 있게 되었으며, 이는 Elasticsearch의 발전과 커뮤니티의 활발한 참여를 이끌어낼 것으로 기대됩니다.",
			},
			good: goodElastic,
			rule: "grounding",
			want: []string{`introduction: number "2023" does not appear in the article`},
		},
		{
			// "웹, 모바일, 데스크톱 애플리케이션" and "데이터 바인딩" are
			// fluent Korean with no number, script or markup to catch:
			// overclaiming cannot be detected mechanically. What stands
			// against it is the instruction every request carries: claims
			// grounded in the article, uncertainty in 주의.
			name: "defect 7: gomponents overclaim (lines 278-290), not mechanically detectable: the prompt grounds claims",
			in:   seedGomponents,
			good: goodGomponents,
			prompt: []string{
				"Base every statement strictly on the article text",
				"do not introduce outside information",
				"Describe only the features, use cases",
				"makes claims the text itself does not support, or when you are unsure",
				"explain the uncertainty in \"caution\"",
			},
		},
		{
			// The seed's 참고 held "[Read more](url)". The answer has no
			// link field: the publisher writes 참고 from the canonical URL,
			// and a link the model writes into a field is rejected.
			name: "defect 8: [Read more](url) link text (line 22)",
			in:   seedValidation,
			bad: with(goodValidation, func(s *entry.Sections) {
				s.Introduction += "\n\n[Read more](https://blog.dbrusenin.com/model-validation-in-golang)"
			}),
			good: goodValidation,
			rule: "markup",
			want: []string{`introduction: link "[Read more](https://blog.dbrusenin.com/`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.prompt != nil {
				checkSeedPrompt(t, tt)
				return
			}
			t.Run("fails after one correction", func(t *testing.T) { checkSeedRejected(t, tt) })
			t.Run("corrected on retry", func(t *testing.T) { checkSeedCorrected(t, tt) })
		})
	}
}

// checkSeedRejected: the seed's answer, given twice, fails the article with
// a permanent GuardrailError naming the rule and the offending text.
func checkSeedRejected(t *testing.T, tt seedDefect) {
	h := newHarness(t, nil, nil)
	h.srv.Enqueue(geminitest.JSON(tt.bad), geminitest.JSON(tt.bad))

	_, err := h.s.Summarize(context.Background(), tt.in)
	var ge *GuardrailError
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want a GuardrailError", err)
	}
	var got []string
	for _, v := range ge.Violations {
		if v.Rule == tt.rule {
			got = append(got, v.String())
		}
	}
	for _, w := range tt.want {
		if !slices.ContainsFunc(got, func(v string) bool { return strings.Contains(v, w) }) {
			t.Errorf("%s violations %q lack %q", tt.rule, got, w)
		}
	}
	if !strings.Contains(err.Error(), tt.in.URL) || !retry.IsPermanent(err) {
		t.Errorf("err = %v, want a permanent error naming %s", err, tt.in.URL)
	}
	if n := len(h.srv.GenerateRequests()); n != 2 {
		t.Errorf("%d requests, want 2 (one corrective retry)", n)
	}
}

// checkSeedCorrected: the seed's answer then a clean one succeeds, and the
// corrective request replays the bad answer and names what was wrong.
func checkSeedCorrected(t *testing.T, tt seedDefect) {
	h := newHarness(t, nil, nil)
	h.srv.Enqueue(geminitest.JSON(tt.bad), geminitest.JSON(tt.good))

	res, err := h.s.Summarize(context.Background(), tt.in)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if res.Sections != tt.good || res.Usage.Requests != 2 {
		t.Errorf("sections %+v after %d requests; want the clean answer after 2", res.Sections, res.Usage.Requests)
	}
	reqs := h.srv.GenerateRequests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if c := reqs[1].Contents; len(c) != 3 || c[1].Role != "model" || c[1].Text != mustJSON(t, tt.bad) {
		t.Errorf("corrective request turns = %+v, want the article, the bad answer, the correction", c)
	}
	correction := reqs[1].LastUserText()
	for _, w := range append([]string{"(rule " + tt.rule + ")"}, tt.want...) {
		if !strings.Contains(correction, w) {
			t.Errorf("correction does not name %q:\n%s", w, correction)
		}
	}
}

// checkSeedPrompt: the request for the article carries the instructions of
// tt.prompt, and the response schema asks for uncertainty in caution.
func checkSeedPrompt(t *testing.T, tt seedDefect) {
	h := newHarness(t, nil, nil)
	h.srv.Enqueue(geminitest.JSON(tt.good))
	if _, err := h.s.Summarize(context.Background(), tt.in); err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	reqs := h.srv.GenerateRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	for _, want := range tt.prompt {
		if !strings.Contains(reqs[0].SystemInstruction, want) {
			t.Errorf("system instruction lacks %q", want)
		}
	}
	schema, err := reqs[0].GenerationConfig.Schema()
	if err != nil || schema == nil || schema.Properties["caution"] == nil {
		t.Fatalf("response schema %+v (%v) has no caution field", schema, err)
	}
	if d := schema.Properties["caution"].Description; !strings.Contains(d, "unsupported claims") || !strings.Contains(d, "uncertainty") {
		t.Errorf("caution schema description %q does not ask for unsupported claims and uncertainty", d)
	}
}
