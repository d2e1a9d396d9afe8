package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// A regeneration the guardrails refuse answers the article editor again:
// the reason in Korean by the form, what the attempt cost, and the
// instruction as typed; the entry keeps its text.
func TestRegenerateRefused(t *testing.T) {
	g := geminitest.NewServer(t)
	h := newHarness(t, func(c *config.Config) {
		withTokens(c)
		testenv.UseGemini(g)(c)
	})
	ids := threeArticles(h)
	heading := map[string]string{"title_ko": "제네릭 실전", "summary": "## 설치\n본문입니다.",
		"introduction": "소개하는 글입니다.", "recommendation": "", "caution": ""}
	g.Enqueue(geminitest.JSON(heading), geminitest.JSON(heading))
	c := h.client()
	c.signIn(kimToken)
	before, err := h.desk.Entry(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/desk/entries/%d/regenerate", ids[0])
	r := c.post(path, url.Values{"instruction": {"설치 방법을 빼고"}, "back": {fmt.Sprintf("/desk/entries/%d", ids[0])}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("POST %s: %d, want 422", path, r.status)
	}
	checkLabels(t, path, r.body)
	text := textOf(t, r.body)
	for _, want := range []string{"다시 생성하지 않았습니다", "요약: 소제목 “## 설치”는 쓸 수 없습니다", "이번 시도에 쓴 Gemini: 요청 2번"} {
		if !strings.Contains(text, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "서버 오류") {
		t.Errorf("the refusal reads as a server error:\n%s", text)
	}
	if !strings.Contains(r.body, `value="설치 방법을 빼고"`) {
		t.Error("the instruction typed is gone from the form")
	}
	if after, _ := h.desk.Entry(context.Background(), ids[0]); after.Summary != before.Summary || after.Title != before.Title {
		t.Errorf("the refused answer reached the entry: %+v", after)
	}
}
