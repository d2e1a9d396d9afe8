package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
)

// The landing page says which week the open draft is for, and offers
// 지금 발행 only when it can be taken; the confirmation of a draft that
// cannot be published says why and leads back, with no publish button.
func TestDraftWhichWeek(t *testing.T) {
	ctx := context.Background()
	nextWeeks := func(h *harness) {
		threeArticles(h)
		if _, err := h.desk.Approve(ctx, "kim"); err != nil {
			t.Fatal(err)
		}
		h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "다음 주 글", Summary: "요약", Introduction: "소개"},
			Link: "https://go.dev/blog/next"}})
	}
	tests := []struct {
		name    string
		scene   func(h *harness)
		landing []string // what the landing page says
		confirm []string // what the confirmation says
		absent  []string // what neither says
		offered bool     // 지금 발행 is offered, and the confirmation has its button
	}{
		{"an empty draft", func(*harness) {},
			[]string{"이번 호", "발행할 글이 없습니다", "실을 글이 없고"},
			[]string{"지금은 발행할 수 없습니다", "발행할 글이 없습니다", "돌아가기", "제출에서 링크 넣기"},
			[]string{"지금 발행할까요?", "다음 주 호"}, false},
		{"this week's draft", func(h *harness) { threeArticles(h) },
			[]string{"이번 호", "지금 발행하면 2024년 9월 2일 (월) 자 호", "지금 발행", "September 2nd"},
			[]string{"지금 발행할까요?", "2024년 9월 2일 (월) 자 호", "이번 주 초안을 이번 주 호로 묶어 바로 발행합니다"},
			[]string{"다음 주 호", "발행할 수 없습니다"}, true},
		{"next week's draft, this week's issue out", nextWeeks,
			[]string{"다음 주 호 · 뉴스레터 편집 데스크", "다음 주 호: 2024년 9월 9일 (월) 자", "September 9th", "2024년 9월 9일 (월) 06:00에 다음 주 호가 마감되어",
				"이번 주 호는 이미 나갔습니다", "다음 주 정기 실행 때 발행됩니다"},
			[]string{"지금은 발행할 수 없습니다", "← 다음 주 호", "다음 주 호 · 2024년 9월 9일 (월) 자 호", "September 9th",
				"다음 주 정기 실행 때 발행됩니다", "돌아가기"},
			[]string{"지금 발행하면", "2024년 9월 2일", "September 2nd", "이번 주 초안을", "지금 발행할까요?", "제출에서 링크 넣기"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			tt.scene(h)
			c := h.client()
			c.signIn(kimToken)
			for _, page := range []struct {
				path string
				want []string
			}{{Prefix, tt.landing}, {Prefix + "draft/publish", tt.confirm}} {
				r := c.get(page.path)
				if r.status != http.StatusOK {
					t.Fatalf("GET %s: %d", page.path, r.status)
				}
				checkLabels(t, page.path, r.body)
				text := textOf(t, r.body)
				for _, want := range page.want {
					if !strings.Contains(text, want) {
						t.Errorf("%s lacks %q:\n%s", page.path, want, text)
					}
				}
				for _, no := range tt.absent {
					if strings.Contains(text, no) {
						t.Errorf("%s says %q:\n%s", page.path, no, text)
					}
				}
			}
			landing, confirm := c.get(Prefix), c.get(Prefix+"draft/publish")
			if got := strings.Contains(landing.body, `href="/desk/draft/publish"`); got != tt.offered {
				t.Errorf("the landing page offers 지금 발행: %v, want %v", got, tt.offered)
			}
			if got := postsTo(confirm.body, Prefix+"draft/publish"); got != tt.offered {
				t.Errorf("the confirmation has the publish button: %v, want %v", got, tt.offered)
			}
			if !tt.offered && !strings.Contains(confirm.body, `href="/desk/"`) {
				t.Error("the confirmation of a draft that cannot be published does not lead back")
			}
		})
	}
}
