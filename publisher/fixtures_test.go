package publisher

import (
	"time"

	"github.com/godevcommunity/newsletter/entry"
)

// Articles shared by the golden and property tests.
var (
	articleAllSections = Article{
		Sections: entry.Sections{
			TitleKo:        "Go의 새로운 unique 패키지: 중복 제거를 통한 효율성 향상",
			Summary:        "Go 1.23에 추가된 unique 패키지는 비교 가능한 값을 정규화(interning)하여 메모리 사용량을 줄이고 비교를 빠르게 합니다.",
			Introduction:   "unique.Make로 만든 Handle은 포인터 하나의 비교로 같은 값인지 확인할 수 있습니다.\n\n글은 net/netip 패키지가 이 기능으로 IPv6 zone 문자열을 관리하는 예를 보여 줍니다.",
			Recommendation: "같은 문자열이나 구조체 값을 많이 다루는 서비스를 운영하는 개발자에게 추천합니다.",
			Caution:        "Handle을 만드는 비용이 있으므로, 값이 많이 반복될 때에만 이득이 있습니다.",
		},
		Link:     "https://go.dev/blog/unique",
		LinkText: "New unique package - The Go Programming Language",
	}

	// Optional sections empty, no source title, and a link whose
	// parentheses and space must not end the link.
	articleRequiredOnly = Article{
		Sections: entry.Sections{
			TitleKo:      "Elasticsearch가 다시 오픈 소스로 돌아왔습니다",
			Summary:      "Elastic은 Elasticsearch와 Kibana에 AGPL 라이선스를 추가한다고 발표했습니다.",
			Introduction: "2021년 1월의 라이선스 변경 이후 SSPL과 Elastic License만 제공되었습니다. 이제 AGPL이 선택지로 추가됩니다.",
		},
		Link: "https://en.wikipedia.org/wiki/Elasticsearch_(software) license",
	}

	// Korean prose with code spans, lists right after a paragraph line,
	// fenced code (with '#' lines that must stay as they are), CRLF line
	// endings, trailing spaces and runs of blank lines.
	articleCodeAndLists = Article{
		Sections: entry.Sections{
			TitleKo: "Go에서 defer 키워드: 기본부터 함정까지",
			Summary: "`defer`는 함수가 끝날 때 실행할 호출을 등록합니다.   \r\n" +
				"글에서 다루는 내용:\r\n" +
				"- `defer`의 실행 순서(LIFO)\r\n" +
				"- 인자가 평가되는 시점\r\n" +
				"- `recover()`와 함께 쓰는 방법\r\n",
			Introduction: "파일을 열었다면 바로 `defer f.Close()`를 씁니다.\n\n\n\n" +
				"```go\n" +
				"f, err := os.Open(\"myFile.txt\")\n" +
				"if err != nil {\n" +
				"\treturn err\n" +
				"}\n" +
				"defer f.Close()\n" +
				"```\n" +
				"순서대로 확인할 것:\n" +
				"1. 반환된 오류를 먼저 확인합니다.\n" +
				"2. 그다음에 `defer`를 등록합니다.\n\n" +
				"```sh\n" +
				"# 테스트 실행\n" +
				"go test ./...\n" +
				"```",
			Recommendation: "  Go를 막 배우기 시작한 개발자에게 추천합니다.  ",
		},
		Link:     "https://dev.to/example/defer-in-go",
		LinkText: "Defer in Go: [basics] to *pitfalls* \\ more",
	}

	// Fields that try to break the structure, as the seed's phantom-token
	// article did.
	articleHostile = Article{
		Sections: entry.Sections{
			TitleKo: "팬텀 토큰\n접근 방식 #",
			Summary: "## 팬텀 토큰 접근 방식\n" +
				"불투명 토큰을 게이트웨이에서 JWT로 바꿉니다.\n" +
				"### Summary\n" +
				"> # 인용 속 제목\n" +
				"- ## 목록 속 제목",
			Introduction: "불투명 토큰 사용의 이점\n" +
				"---\n" +
				"요점 정리\n" +
				"===\n" +
				"<img src=\"/images/phantom.png\">\n" +
				"<!-- 닫히지 않은 주석\n" +
				"<https://curity.io/resources/> 참고",
			Caution: "```\n# 닫히지 않은 코드 블록\n## 추가 자료",
		},
		Link: "https://curity.io/resources/learn/phantom-token-pattern/",
	}
)

// publishedSeptember1st is 2024-09-01 06:15:52 in Seoul, the schedule's time
// zone: the issue is named for September 1st.
var publishedSeptember1st = time.Date(2024, 9, 1, 6, 15, 52, 0, time.FixedZone("KST", 9*60*60))
