package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/browsertest"
	"github.com/godevcommunity/newsletter/publisher/listmonk/listmonktest"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// webTab drives one tab of the browser against the desk.
type webTab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// open loads path and returns the path the browser ended on.
func (w webTab) open(path string) string {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, chromedp.Navigate(w.base+path)); err != nil {
		w.t.Fatalf("open %s: %v", path, err)
	}
	return w.path()
}

// path is the path (and query) of the page shown.
func (w webTab) path() string {
	w.t.Helper()
	loc, err := chromedp.Run(w.ctx, chromedp.Location())
	if err != nil {
		w.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, w.base)
}

// click clicks what sel finds and waits for the page it leads to; it
// returns that page's status.
func (w webTab) click(sel string) int64 {
	w.t.Helper()
	resp, err := chromedp.RunResponse(w.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		w.t.Fatalf("click %s: %v", sel, err)
	}
	return resp.Status
}

// text is the text of what sel finds.
func (w webTab) text(sel string) string {
	w.t.Helper()
	s, err := chromedp.Run(w.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		w.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (w webTab) do(steps ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, steps...); err != nil {
		w.t.Fatal(err)
	}
}

// count is how many elements sel finds.
func (w webTab) count(sel string) int {
	w.t.Helper()
	n, err := chromedp.Run(w.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		w.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// poll waits until expr is true in the page, failing the test after 10 s.
func (w webTab) poll(what, expr string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
}

// wantText fails unless the text of sel holds want.
func (w webTab) wantText(sel, want string) {
	w.t.Helper()
	if got := w.text(sel); !strings.Contains(got, want) {
		w.t.Errorf("%s on %s shows %q, want %q", sel, w.path(), got, want)
	}
}

// TestWebDeskInBrowser is the editor's week in a real browser, against
// serve with the fake Gemini and loopback article pages: a page without a
// session goes to sign-in, a wrong token is refused, an editor signs in,
// reads the draft, edits a summary and sees the live preview change,
// edits a title without JavaScript (saved by Enter in the field), excludes
// one article, regenerates one with an instruction, publishes through the
// confirmation, and reads the issue on the Issues page;
// the published file holds the edits. A form posted from another origin is
// refused. The main pages are saved as screenshots, one at 360 px wide.
func TestWebDeskInBrowser(t *testing.T) {
	b := browsertest.New(t)
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	cfg := daemonTestConfig(dir, gemini.URL)
	// Paths relative to the test's directory, so that the screenshots
	// show "issues", not where the test ran.
	t.Chdir(dir)
	cfg.Store.Path, cfg.Publisher.Dir = "newsletter.db", "issues"
	cfg.Schedule.Mode = config.ModeReview
	cfg.Server.Token = "desk-server-token"
	cfg.Server.Editors = []string{"kim=kim-editor-token-0123"}
	// listmonk, making a draft campaign: the confirmation lists its list
	// and how many it reaches.
	clock := clockwork.NewFakeClockAt(issueDate)
	lm := listmonktest.New(t, clock)
	cfg.Publisher.Listmonk = config.Listmonk{URL: lm.URL, User: listmonktest.User, Token: listmonktest.Token,
		Lists: []int{1}, Mode: config.ListmonkDraft}
	cfg.Publisher.TestRecipients = []string{"editor@example.org"}
	cfg, srv, env, _ := serveForTest(t, cfg, clock)
	titles := []string{"Go generics in practice", "SQLite in WAL mode", "Structured logging with zap", "Fuzzing in Go"}
	for i, title := range titles {
		if code, _, errs := runApp(t, env, "submit", site.Add(fmt.Sprintf("/web/%d", i), title), "--by", "kim", "--note", "읽어 볼 글"); code != 0 {
			t.Fatalf("submit: %s", errs)
		}
	}
	// And a link whose page is gone: it fails, with its reason.
	if code, _, errs := runApp(t, env, "submit", site.URL+"/web/gone", "--by", "lee"); code != 0 {
		t.Fatalf("submit: %s", errs)
	}
	waitFor(t, "four summaries and a failure in the draft", func() bool {
		_, body := srv.do("GET", "/api/v1/issues/draft")
		var is api.Issue
		return json.Unmarshal(body, &is) == nil && len(is.Entries) == 4 && len(is.Failed) == 1
	})

	w := webTab{t: t, ctx: b.Tab(), base: cfg.Server.URL}
	// No session: the desk sends the browser to sign in.
	if p := w.open("/"); p != "/desk/signin" {
		t.Fatalf("the desk without a session opened %s, want /desk/signin", p)
	}
	b.Screenshot(w.ctx, "desk-signin")
	// A wrong token is refused.
	w.do(chromedp.SetValue(chromedp.ID("token"), "not-the-token"))
	if status := w.click("button[type=submit].primary"); status != http.StatusUnauthorized {
		t.Errorf("a wrong token: status %d, want 401", status)
	}
	w.wantText("#signin-error", "토큰이 맞지 않습니다")
	if p := w.open("/desk/"); p != "/desk/signin" {
		t.Fatalf("after a wrong token the desk opened %s", p)
	}
	// The editor's own token signs in, as kim.
	w.do(chromedp.SetValue(chromedp.ID("token"), "kim-editor-token-0123"))
	w.click("button[type=submit].primary")
	if p := w.path(); p != "/desk/" {
		t.Fatalf("signed in to %s", p)
	}
	w.wantText(".who", "kim")
	w.wantText("#entries-h", "글 4개")
	w.wantText(".preview .issue", "Go generics in practice 소개")
	w.wantText(".plan .cost", "요청 4회")
	w.wantText(".plan .when", "2024년 9월 9일 (월) 06:00에 이번 주 호가 마감되어 검토로 넘어갑니다")
	b.Screenshot(w.ctx, "desk-this-week")

	// Edit a summary; the live preview follows the typing.
	w.open("/desk/entries/1")
	summary := "편집자가 브라우저에서 고친 요약입니다. 이 글은 Go 제네릭을 실제 코드에서 쓰는 방법을 설명합니다."
	w.do(chromedp.SetValue(chromedp.ID("f-summary"), summary[:len(summary)-len("설명합니다.")]),
		chromedp.SendKeys(chromedp.ID("f-summary"), "설명합니다."))
	if _, err := chromedp.Run(w.ctx, chromedp.Poll[bool](
		`document.getElementById("preview").textContent.includes(`+jsString(summary)+`)`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the live preview did not show the edit: %v (preview: %q)", err, w.text("#preview"))
	}
	w.wantText("#preview-state", "아직 저장 안 됨")
	b.FullScreenshot(w.ctx, "desk-article-editor")
	// Leaving with the edit not saved asks first; staying keeps it.
	if !w.leaveAsked("/desk/", true) {
		t.Error("leaving the editor with the edit not saved did not ask first")
	}
	if p := w.path(); p != "/desk/entries/1" {
		t.Fatalf("after staying, the browser is on %s", p)
	}
	if got, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`document.getElementById("f-summary").value`)); err != nil || got != summary {
		t.Errorf("after staying the summary is %q (%v), want the typed text", got, err)
	}
	// Saved in place: the confirmation beside the button, the history
	// and the form (loaded with the saved text) replaced.
	if _, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`window.samePage = true`)); err != nil {
		t.Fatal(err)
	}
	w.do(chromedp.Click(chromedp.CSS("button[name=action][value=save]")))
	w.poll("the save in place", `!!document.querySelector("#entry-form [data-flash]")`)
	w.wantText("#entry-form [data-flash]", "요약을 저장했습니다")
	w.wantText(".history", "편집 · kim")
	if same, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`window.samePage === true`)); err != nil || !same {
		t.Errorf("saving reloaded the page (%v)", err)
	}
	if w.leaveAsked("/desk/entries/1", false) {
		t.Error("leaving the editor with everything saved asked first")
	}

	// Without JavaScript: the 미리보기 button and saving work as forms.
	nojs := webTab{t: t, ctx: b.NewTab(), base: cfg.Server.URL}
	if _, err := chromedp.Call(nojs.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	nojs.open("/desk/entries/1") // the session cookie is the browser's
	title := "브라우저에서 고친 제목"
	nojs.do(chromedp.SetValue(chromedp.ID("f-title"), title))
	nojs.click("button[name=action][value=preview]")
	nojs.wantText("#preview h2", title)
	nojs.wantText("#preview-h", "저장 안 됨")
	// Enter in a field saves, though the edited summary has its revert
	// button above 저장.
	if n := nojs.count(`button[form="revert-summary"]`); n != 1 {
		t.Errorf("%d revert buttons for the edited summary, want 1", n)
	}
	if _, err := chromedp.RunResponse(nojs.ctx, chromedp.SendKeys(chromedp.ID("f-title"), kb.Enter)); err != nil {
		t.Fatalf("Enter in the title: %v", err)
	}
	nojs.wantText("main .flash", "제목을 저장했습니다")
	if got, err := chromedp.Run(nojs.ctx, chromedp.Evaluate[string](`document.getElementById("f-summary").value`)); err != nil || got != summary {
		t.Errorf("after saving the title the summary is %q (%v), want the edit %q", got, err, summary)
	}

	// Exclude the second article, regenerate the third with an instruction.
	// With JavaScript the page changes in place, the confirmation in the
	// entry's card.
	w.open("/desk/")
	w.do(chromedp.Click(chromedp.CSS("#entry-2 form[action$='/exclude'] button")))
	w.poll("the exclusion in place", `!!document.querySelector("#entry-2.excluded [data-flash]")`)
	w.wantText("#entry-2 [data-flash]", "이번 호에서 뺐습니다")
	w.wantText("#entry-2 .meta", "제외됨")
	w.do(chromedp.Click(chromedp.CSS("#entry-3 details.more summary")),
		chromedp.SetValue(chromedp.ID("ins-3"), "더 짧게"),
		chromedp.Click(chromedp.CSS("#entry-3 .regen button")))
	w.poll("the regeneration in place", `!!document.querySelector("#entry-3 [data-flash]")`)
	w.wantText("#entry-3 [data-flash]", "#3을 다시 생성했습니다")
	if n := w.count("main [data-flash]"); n != 1 {
		t.Errorf("%d confirmations on the page, want only the last action's", n)
	}
	// The preview is sticky: the screenshot from the top.
	if _, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	b.FullScreenshot(w.ctx, "desk-in-place")
	reqs := gemini.GenerateRequests()
	if last := reqs[len(reqs)-1]; !strings.Contains(last.UserText(), "더 짧게") {
		t.Errorf("the regeneration's request lacks the instruction:\n%s", last.UserText())
	}

	// A regeneration the guardrails refuse says why by its form, and what
	// it cost, and keeps the instruction typed.
	heading := geminitest.JSON(map[string]string{"title_ko": "제네릭 실전", "summary": "## 설치\n본문입니다.",
		"introduction": "소개하는 글입니다.", "recommendation": "", "caution": ""})
	gemini.Enqueue(heading, heading)
	w.open("/desk/entries/4")
	w.do(chromedp.SetValue(chromedp.ID("ins"), "설치 방법을 빼고"))
	if status := w.click("form.regen button"); status != http.StatusUnprocessableEntity {
		t.Errorf("a refused regeneration: status %d, want 422", status)
	}
	w.wantText("#regen-refusal", "다시 생성하지 않았습니다")
	w.wantText("#regen-refusal", "요약: 소제목 “## 설치”는 쓸 수 없습니다")
	w.wantText("#regen-refusal", "이번 시도에 쓴 Gemini: 요청 2번")
	if got, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`document.getElementById("ins").value`)); err != nil || got != "설치 방법을 빼고" {
		t.Errorf("after the refusal the instruction is %q (%v)", got, err)
	}
	b.Screenshot(w.ctx, "desk-regenerate-refused")

	// A form on another origin posting to the desk is refused, though the
	// browser holds a session (the two origins are the same site).
	other := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.WriteString(rw, `<!doctype html><form method="post" action="`+cfg.Server.URL+`/desk/entries/4/exclude">`+
			`<input type="hidden" name="excluded" value="1"><button id="go" type="submit">go</button></form>`)
	}))
	defer other.Close()
	evil := webTab{t: t, ctx: b.NewTab(), base: other.URL}
	evil.open("/")
	if status := evil.click("#go"); status != http.StatusForbidden {
		t.Errorf("a cross-origin form post: status %d, want 403", status)
	}
	evil.wantText("main", "다른 사이트에서 보낸 요청이라 거절했습니다")

	// At 360 px wide, the landing page fits the phone.
	w.do(chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(2)))
	w.open("/desk/")
	if fits, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)); err != nil || !fits {
		t.Errorf("the landing page is wider than 360 px (%v)", err)
	}
	b.Screenshot(w.ctx, "desk-phone")
	w.do(chromedp.ScrollIntoView(chromedp.ID("entries")))
	b.Screenshot(w.ctx, "desk-phone-cards")
	w.do(chromedp.EmulateViewport(1280, 900))

	// Publish: the button asks first, saying what goes out and where;
	// confirmed, the issue opens; the Issues page lists it.
	w.open("/desk/")
	w.click(".publish a")
	if p := w.path(); p != "/desk/draft/publish" {
		t.Fatalf("the publish button opened %s, want the confirmation", p)
	}
	w.wantText("main h1", "지금 발행할까요?")
	w.wantText("main .card", "실릴 글 3개")
	w.wantText("main .card", "뺀 글 1개는 싣지 않습니다")
	w.wantText("main .outlets", "마크다운 파일로 씁니다")
	w.wantText("main .outlets", "listmonk")
	w.wantText("main .test-later", "시험 발송은 검토 중인 호에서 합니다")
	b.Screenshot(w.ctx, "desk-publish")
	w.click("form.publish button[type=submit]")
	if p := w.path(); p != "/desk/issues/1" {
		t.Fatalf("after publishing the browser is on %s", p)
	}
	w.wantText("main .flash", "발행했습니다")
	w.wantText("article.issue", summary)
	w.wantText("article.issue", title)
	b.Screenshot(w.ctx, "desk-issue")
	// The published issue can be corrected from here: its entries are
	// linked, an entry leads back to it by its title, an edit marks it
	// changed, and the republish confirmation lists it and asks whether
	// to announce the correction.
	w.click(".issue-entries a[href='/desk/entries/1']")
	w.wantText(".crumbs", "← [GDC] Weekly Newsletter September 2nd")
	w.do(chromedp.SetValue(chromedp.ID("f-caution"), "발행 뒤에 덧붙인 주의입니다."),
		chromedp.Click(chromedp.CSS("button[name=action][value=save]")))
	w.poll("the save in place", `document.getElementById("entry-head").textContent.includes("발행 뒤에 바뀌었습니다(편집)")`)
	w.open("/desk/issues/1")
	w.wantText("main", "발행 뒤에 바뀐 글이 1개 있습니다")
	w.click(".actions a.primary")
	w.wantText("main .changed", "편집")
	b.Screenshot(w.ctx, "desk-republish")
	w.open("/desk/issues/1")
	w.open("/desk/issues")
	w.wantText("main", "[GDC] Weekly Newsletter September 2nd")
	w.wantText("main", "발행됨")
	b.Screenshot(w.ctx, "desk-issues")
	w.click("main .list a.button[href='/desk/issues/1']")
	w.wantText("article.issue", summary)

	// The other pages, for the README.
	w.open("/desk/submissions")
	w.wantText("main", "제출 5개")
	w.wantText("#sub-5 .reason", "404")
	b.Screenshot(w.ctx, "desk-submissions")
	w.open("/desk/status")
	w.wantText("main", "Gemini 정상")
	w.wantText("main", "나가는 곳")
	w.wantText("main", "listmonk · 마지막: 보냄 (첫 발행)")
	b.Screenshot(w.ctx, "desk-status")

	// The published file holds the edits and three articles, not the excluded one.
	files, _ := filepath.Glob(filepath.Join(cfg.Publisher.Dir, "*.md"))
	if len(files) != 1 {
		t.Fatalf("issue files %v, want one", files)
	}
	md, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	doc := string(md)
	if n := strings.Count(doc, "\n## ") - 1; n != 3 {
		t.Errorf("the issue has %d articles, want 3:\n%s", n, doc)
	}
	for _, want := range []string{"## " + title + "\n", "\n" + summary + "\n"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the published file lacks %q:\n%s", want, doc)
		}
	}
	if strings.Contains(doc, "SQLite in WAL mode") || !strings.Contains(doc, "Fuzzing in Go") {
		t.Errorf("the excluded article is in the file, or the one posted from another origin is not:\n%s", doc)
	}
}

// leaveAsked sends the tab to path by script and reports whether the
// page asked before leaving (beforeunload); it answers stay when stay.
func (w webTab) leaveAsked(path string, stay bool) bool {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, 5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.JavascriptDialogOpening,
		func(e page.EventJavascriptDialogOpening) bool { return e.Type == page.DialogTypeBeforeunload },
		chromedp.Evaluate[bool](`setTimeout(function () { location.href = `+jsString(path)+`; }, 0), true`)))
	if err != nil {
		return false
	}
	if _, err := chromedp.Call(w.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: !stay}); err != nil {
		w.t.Fatal(err)
	}
	return true
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
