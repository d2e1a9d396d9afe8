package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// postsTo reports whether page has a form posting to action.
func postsTo(page, action string) bool {
	return strings.Contains(page, `method="post" action="`+action+`"`)
}

// Publishing asks first, without JavaScript: the landing page and an
// issue's page only link to a page that says what goes out (title,
// articles, what is left out) and where (the file, Hashnode, the public
// archive, the chats), or why it cannot go out now; its button publishes.
func TestPublishConfirmation(t *testing.T) {
	ctx := context.Background()
	outlets := func(c *config.Config) {
		withTokens(c)
		c.Publisher.Hashnode = config.Hashnode{PublicationID: "pub-1", Token: "pat", Mode: "publish"}
		c.Notify.Webhooks = []string{"https://discord.com/api/webhooks/1/a", "https://hooks.slack.com/services/T/B/c"}
		c.Server.PublicArchive = true
	}
	draft := func(h *harness) string {
		ids := threeArticles(h)
		excluded := true
		if _, err := h.Store.Change(ctx, ids[1], store.Change{Excluded: &excluded}, "kim"); err != nil {
			t.Fatal(err)
		}
		sub, _, _ := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/gone"})
		h.Store.Claim(ctx, sub.ID, h.Clock.Now())
		h.Store.Fail(ctx, sub.ID, "404")
		return "/desk/draft/publish"
	}
	published := func(h *harness) string {
		threeArticles(h)
		if _, err := h.desk.Approve(ctx, "kim"); err != nil {
			t.Fatal(err)
		}
		return "/desk/issues/1/publish"
	}
	tests := []struct {
		name   string
		config func(*config.Config)
		scene  func(h *harness) string // returns the confirmation's path
		want   []string
		absent []string
		button bool
	}{
		{"the draft, every outlet", outlets, draft, []string{"지금 발행할까요?", "[GDC] Weekly Newsletter September 2nd", "2024년 9월 2일 (월) 자 호",
			"실릴 글 2개", "뺀 글 1개는 싣지 않습니다", "실패하거나 처리를 기다리는 글 1개도 싣지 않습니다", "이번 주 초안을 이번 주 호로 묶어 바로 발행합니다",
			"issues에 마크다운 파일로 씁니다", "Hashnode: 블로그 글로 발행합니다", "공개 아카이브와 피드", "채팅: 웹훅 2곳에 발행을 알립니다"}, nil, true},
		{"the draft, the file only", withTokens, draft, []string{"실릴 글 2개", "마크다운 파일로 씁니다"}, []string{"Hashnode", "아카이브", "채팅"}, true},
		{"the draft, a Hashnode draft", func(c *config.Config) {
			withTokens(c)
			c.Publisher.Hashnode = config.Hashnode{PublicationID: "pub-1", Token: "pat"}
		}, draft, []string{"Hashnode: 대시보드에 초안으로 올립니다"}, nil, true},
		{"the issue in review", withTokens, func(h *harness) string {
			threeArticles(h)
			if _, err := h.Store.Freeze(ctx, store.NewIssue{Week: "2024-W36", Title: "검토할 호", Slug: "s", Date: t0}); err != nil {
				t.Fatal(err)
			}
			return "/desk/draft/publish"
		}, []string{"검토할 호", "검토를 기다리는 호를 승인해 발행합니다", "실릴 글 3개"}, nil, true},
		{"an empty draft", withTokens, func(*harness) string { return "/desk/draft/publish" },
			[]string{"발행할 글이 없습니다"}, nil, false},
		{"this week's issue out already", withTokens, func(h *harness) string {
			published(h)
			h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "다음 주 글", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/next"}})
			return "/desk/draft/publish"
		}, []string{"이번 주 호는 이미 나갔습니다"}, nil, false},
		{"a published issue again", outlets, published, []string{"고친 내용으로 다시 발행할까요?", "실릴 글 3개", "마크다운 파일로 다시 씁니다",
			"Hashnode: 이 호의 글을 고친 내용으로 바꿉니다", "고르면 웹훅 2곳에 수정했다고 알립니다", "채팅에 수정 알림 보내기",
			"지난 발행 뒤에 바뀐 글이 없습니다"}, []string{"초안을", "발행을 다시 알립니다"}, true},
		{"an issue in review, again", withTokens, func(h *harness) string {
			threeArticles(h)
			is, err := h.Store.Freeze(ctx, store.NewIssue{Week: "2024-W36", Title: "검토할 호", Slug: "s", Date: t0})
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("/desk/issues/%d/publish", is.ID)
		}, []string{"1호는 검토를 기다립니다"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.config)
			path := tt.scene(h)
			before, err := h.Store.Issues(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c := h.client()
			c.signIn(kimToken)
			r := c.get(path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, r.status)
			}
			checkLabels(t, path, r.body)
			text := textOf(t, r.body)
			for _, want := range tt.want {
				if !strings.Contains(text, want) {
					t.Errorf("the confirmation lacks %q:\n%s", want, text)
				}
			}
			for _, no := range tt.absent {
				if strings.Contains(text, no) {
					t.Errorf("the confirmation says %q", no)
				}
			}
			if got := postsTo(r.body, path); got != tt.button {
				t.Errorf("the confirmation has the publish button: %v, want %v", got, tt.button)
			}
			after, _ := h.Store.Issues(ctx)
			if len(after) != len(before) || len(after) > 0 && after[0].UpdatedAt != before[0].UpdatedAt {
				t.Error("opening the confirmation published something")
			}
			if !tt.button {
				return
			}
			// Confirmed, it publishes.
			r = c.follow(c.post(path, url.Values{}))
			if !strings.Contains(textOf(t, r.body), "발행했습니다") {
				t.Errorf("after confirming: %s", textOf(t, r.body))
			}
		})
	}
}

// The landing page and a published issue's page lead to the confirmation;
// neither posts the publication itself.
func TestPublishButtonsAsk(t *testing.T) {
	h := newHarness(t, withTokens)
	threeArticles(h)
	c := h.client()
	c.signIn(kimToken)
	page := c.get("/desk/").body
	if postsTo(page, "/desk/draft/publish") || !strings.Contains(page, `href="/desk/draft/publish"`) {
		t.Error("the landing page publishes in one click, or does not lead to the confirmation")
	}
	if _, err := h.desk.Approve(context.Background(), "kim"); err != nil {
		t.Fatal(err)
	}
	page = c.get("/desk/issues/1").body
	if postsTo(page, "/desk/issues/1/publish") || !strings.Contains(page, `href="/desk/issues/1/publish"`) {
		t.Error("a published issue's page publishes again in one click, or does not lead to the confirmation")
	}
}

// A published issue corrected: its confirmation lists the entries changed
// since it went out, and the chats hear of the correction only when the
// editor ticks the box, as a correction.
func TestRepublishAnnouncesWhenAsked(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, func(c *config.Config) {
		withTokens(c)
		c.Notify.Webhooks = []string{"https://discord.com/api/webhooks/1/a"}
	})
	ids := threeArticles(h)
	is, err := h.desk.Approve(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	chats := func() []store.Delivery {
		ds, err := h.Store.Deliveries(ctx, is.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []store.Delivery
		for _, d := range ds {
			if strings.HasPrefix(d.Outlet, "chat:") {
				out = append(out, d)
			}
		}
		return out
	}
	if n := len(chats()); n != 1 {
		t.Fatalf("the first publication queued %d chat messages, want 1", n)
	}
	h.Clock.Advance(time.Minute)
	title := "고친 제목"
	if _, err := h.Store.Change(ctx, ids[1], store.Change{Fields: map[entry.Field]*string{entry.Title: &title}}, "lee"); err != nil {
		t.Fatal(err)
	}
	c := h.client()
	c.signIn(kimToken)
	path := fmt.Sprintf("/desk/issues/%d/publish", is.ID)
	text := textOf(t, c.get(path).body)
	if !strings.Contains(text, "지난 발행 뒤에 바뀐 글") || !strings.Contains(text, fmt.Sprintf("#%d 고친 제목: 편집", ids[1])) {
		t.Errorf("the confirmation does not list the edited entry:\n%s", text)
	}
	c.follow(c.post(path, url.Values{}))
	if n := len(chats()); n != 1 {
		t.Errorf("a correction not announced queued chat messages: %d in all", n)
	}
	if text := textOf(t, c.get(path).body); !strings.Contains(text, "지난 발행 뒤에 바뀐 글이 없습니다") {
		t.Errorf("after publishing again, the confirmation still lists changes:\n%s", text)
	}
	r := c.follow(c.post(path, url.Values{"announce": {"1"}}))
	if !strings.Contains(textOf(t, r.body), "채팅에 수정 알림을 보냅니다") {
		t.Errorf("after an announced correction: %s", textOf(t, r.body))
	}
	ds := chats()
	if len(ds) != 2 {
		t.Fatalf("an announced correction: %d chat messages in all, want 2", len(ds))
	}
	ev, err := notify.Unmarshal(ds[1].Kind, ds[1].Payload)
	if p, ok := ev.(notify.Published); err != nil || !ok || !p.Corrected {
		t.Errorf("the announcement is %#v, %v; want a correction", ev, err)
	}
}
