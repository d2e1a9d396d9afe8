package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/browsertest"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// TestSuggestionsInBrowser: the sources (an RSS feed and a Hacker News
// search, both loopback fakes) offer candidates on the 후보 page, ranked
// with their reasons; an editor accepts two at once and dismisses one;
// the two are processed into the draft, the dismissed one is gone. The
// page is saved as screenshots at 1280 and 360 px.
func TestSuggestionsInBrowser(t *testing.T) {
	b := browsertest.New(t)
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	pages := []struct{ path, title, snippet string }{
		{"/c/green-tea", "Go의 새 가비지 컬렉터 Green Tea 살펴보기", "Go 1.26에서 기본이 된 Green Tea GC가 작은 객체를 어떻게 모아 처리하는지 정리한 글입니다."},
		{"/c/synctest", "testing/synctest로 동시성 코드 테스트하기", "가짜 시계 없이 시간에 기대는 코드를 결정적으로 테스트하는 방법."},
		{"/c/sqlite", "SQLite를 Go 서비스의 주 데이터베이스로 쓰기", "WAL 모드, 연결 수, 백업까지 운영하며 배운 점."},
		{"/c/iter", "Range-over-func 반복자 실전 패턴", "iter.Seq로 페이지네이션 API를 감싸는 예제."},
	}
	var items [][2]string
	for _, p := range pages {
		items = append(items, [2]string{site.Add(p.path, p.title), p.title})
	}
	hnURL := site.Add("/c/gc-latency", "Cutting GC latency in a Go service by 80%")
	hn := fmt.Sprintf(`{"hits":[{"title":"Cutting GC latency in a Go service by 80%%","url":%q,"points":312,"num_comments":145,"created_at_i":%d,"objectID":"41000001"},
{"title":"Go의 새 가비지 컬렉터 Green Tea 살펴보기","url":%q,"points":88,"num_comments":20,"created_at_i":%d,"objectID":"41000002"}],"nbHits":2,"page":0,"hitsPerPage":100}`,
		hnURL, issueDate.Add(-5*time.Hour).Unix(), items[0][0], issueDate.Add(-20*time.Hour).Unix())
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			var b strings.Builder
			b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>GeekNews</title><link>https://news.hada.io/</link><description>test</description>`)
			for i, it := range items {
				fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><description>%s</description><pubDate>%s</pubDate></item>`,
					it[1], it[0], pages[i].snippet, issueDate.Add(-time.Duration(10+i*30)*time.Hour).Format(time.RFC1123Z))
			}
			b.WriteString(`</channel></rss>`)
			_, _ = w.Write([]byte(b.String()))
		case "/hn/search_by_date":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(hn))
		default:
			http.NotFound(w, r)
		}
	}))
	defer feeds.Close()
	cfg := daemonTestConfig(dir, gemini.URL)
	t.Chdir(dir)
	cfg.Store.Path, cfg.Publisher.Dir = "newsletter.db", "issues"
	cfg.Schedule.Mode = config.ModeReview
	cfg.Sources = []config.Source{
		{Name: "GeekNews", Kind: config.SourceFeed, URL: feeds.URL + "/rss", Weight: 1},
		{Name: "HN golang", Kind: config.SourceHackerNews, URL: feeds.URL + "/hn", Query: "golang", MinPoints: 50},
	}
	cfg, srv, _, _ := serveForTest(t, cfg, clockwork.NewFakeClockAt(issueDate))
	suggestions := func() api.Suggestions {
		var s api.Suggestions
		_, body := srv.do("GET", "/api/v1/suggestions")
		_ = json.Unmarshal(body, &s)
		return s
	}
	waitFor(t, "five candidates", func() bool { return len(suggestions().Candidates) == 5 })
	id := map[string]string{} // the candidates' ids by title, as the sources were polled at once
	for _, c := range suggestions().Candidates {
		id[c.Title] = fmt.Sprint(c.ID)
	}
	greenTea, synctest, sqlite := "#cand-"+id[pages[0].title], "#cand-"+id[pages[1].title], id[pages[2].title]

	w := webTab{t: t, ctx: b.Tab(), base: cfg.Server.URL}
	w.open("/desk/suggestions")
	w.wantText("main h2", "후보 5개")
	w.wantText(".cand:first-child h3", "Cutting GC latency") // HN 312점 ranks first
	w.wantText(".cand:first-child .why", "HN 312점 · 댓글 145개")
	w.wantText(greenTea, "2개 출처") // offered by both
	b.Screenshot(w.ctx, "desk-suggestions")

	// At 360 px wide the page fits the phone.
	w.do(chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(2)))
	w.open("/desk/suggestions")
	if fits, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)); err != nil || !fits {
		t.Errorf("the 후보 page is wider than 360 px (%v)", err)
	}
	b.Screenshot(w.ctx, "desk-suggestions-phone")
	w.do(chromedp.EmulateViewport(1280, 900))

	// Accept two at once, then dismiss one by its own button.
	w.open("/desk/suggestions")
	w.do(chromedp.Click(chromedp.CSS(greenTea+" input.pick")), chromedp.Click(chromedp.CSS(synctest+" input.pick")))
	w.click(".bulk button.primary")
	w.wantText("main .flash", "후보 2개를 제출로 받았습니다")
	w.wantText("main h2", "후보 3개")
	w.click("#cand-" + sqlite + " button[formaction$='dismiss']")
	w.wantText("main .flash", "후보 1개를 넘겼습니다")
	w.wantText("main h2", "후보 2개")
	if n := w.count("#cand-" + sqlite); n != 0 {
		t.Error("the dismissed candidate is still shown")
	}

	waitFor(t, "the two accepted in the draft", func() bool {
		_, body := srv.do("GET", "/api/v1/issues/draft")
		var is api.Issue
		return json.Unmarshal(body, &is) == nil && len(is.Entries) == 2
	})
	w.open("/desk/")
	w.wantText("main", pages[0].title)
	w.wantText("main", pages[1].title)
	w.open("/desk/submissions")
	w.wantText("main", "출처: ")
	if sub := w.text("main .list"); !strings.Contains(sub, "GeekNews, HN golang") && !strings.Contains(sub, "HN golang, GeekNews") {
		t.Errorf("the submissions do not credit both sources of the Green Tea post:\n%s", sub)
	}
	w.wantText("main", "제출: local")
}
