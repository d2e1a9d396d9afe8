package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
	"github.com/godevcommunity/newsletter/publisher/listmonk/listmonktest"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// startNewsletterService runs serve, in review mode, with Hashnode's
// newsletter (mode publish) and listmonk (mode), a webhook and the public
// archive.
func startNewsletterService(t *testing.T, mode string, edit ...func(*listmonktest.Server)) (*outletService, *listmonktest.Server) {
	t.Helper()
	s := &outletService{clock: newTimerClock(issueDate), site: newArticleSite(t), settled: make(chan store.Delivery, 100)}
	s.gemini = geminitest.NewServer(t)
	s.hashnode = hashnodetest.New(t, s.clock.FakeClock)
	s.discord = newDiscordFake(t)
	lm := listmonktest.New(t, s.clock.FakeClock)
	for _, e := range edit {
		e(lm)
	}
	cfg := daemonTestConfig(t.TempDir(), s.gemini.URL)
	cfg.Schedule.Mode = config.ModeReview
	cfg.Publisher.Hashnode = config.Hashnode{Endpoint: s.hashnode.URL, PublicationID: hashnodetest.PublicationID,
		Token: hashnodetest.Token, Mode: config.HashnodePublish, Newsletter: true}
	cfg.Publisher.Listmonk = config.Listmonk{URL: lm.URL, User: listmonktest.User, Token: listmonktest.Token,
		Lists: []int{1}, TemplateID: 1, Mode: mode}
	cfg.Publisher.TestRecipients = []string{"editor@example.org"}
	cfg.Notify.Webhooks = []string{"discord:" + s.discord.URL + "/api/webhooks/1/secret-token"}
	s.cfg, s.api, s.env, _ = serveWatching(t, cfg, s.clock, func(d store.Delivery) { s.settled <- d })
	return s, lm
}

// freeze closes the week: the issue goes into review as issue 1.
func (s *outletService) freeze(t *testing.T) {
	t.Helper()
	if code, body := s.api.do("POST", "/api/v1/runs"); code != http.StatusAccepted {
		t.Fatalf("run: %d %s", code, body)
	}
	waitFor(t, "the run to end", func() bool {
		_, body := s.api.do("GET", "/api/v1/runs/1")
		return !strings.Contains(string(body), `"state": "running"`)
	})
}

func (s *outletService) issue(t *testing.T) api.Issue {
	t.Helper()
	_, body := s.api.do("GET", "/api/v1/issues/1")
	var is api.Issue
	if err := json.Unmarshal(body, &is); err != nil {
		t.Fatalf("issue 1: %v", err)
	}
	return is
}

// webPost posts an empty form to the desk as its buttons do and returns
// the status and where it redirects.
func webPost(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	return resp.StatusCode, resp.Header.Get("Location")
}

func sentMails(lm *listmonktest.Server) (tests, campaigns int) {
	for _, m := range lm.Mails() {
		if m.Test {
			tests++
		} else {
			campaigns++
		}
	}
	return tests, campaigns
}

// TestNewsletterThroughServe: a test send reaches both outlets before the
// real one; approving makes one Hashnode newsletter post and one listmonk
// campaign although each loses an answer; a correction updates both and
// emails nobody twice.
func TestNewsletterThroughServe(t *testing.T) {
	s, lm := startNewsletterService(t, config.ListmonkSend)
	s.summarised(t, "/posts/generics", "/posts/zap")
	s.freeze(t)

	// The confirmation page lists every outlet, listmonk's lists with
	// their subscriber counts.
	code, page := s.api.try("GET", "/desk/draft/publish")
	for _, want := range []string{"Go 개발자 뉴스레터", "120", "editor@example.org", "Hashnode"} {
		if code != 200 || !strings.Contains(string(page), want) {
			t.Errorf("the publish confirmation (%d) lacks %q", code, want)
		}
	}

	// The test send first.
	code, out, errs := runApp(t, s.env, "publish", "--test")
	if code != 0 || !strings.Contains(out, "listmonk: test sent to editor@example.org") ||
		!strings.Contains(out, "hashnode: draft to look at: https://hashnode.com/draft/") {
		t.Fatalf("publish --test = %d\n%s%s", code, out, errs)
	}
	// The confirmation page's button does the same.
	if code, to := webPost(t, s.cfg.Server.URL+"/desk/issues/1/test"); code != http.StatusSeeOther || to != "/desk/draft/publish" {
		t.Errorf("the test send button = %d to %q, want 303 back to the confirmation", code, to)
	}
	if tests, sent := sentMails(lm); tests != 2 || sent != 0 {
		t.Fatalf("after the tests: %d tests, %d campaigns sent; want 2, 0", tests, sent)
	}
	drafts := s.hashnode.Drafts()
	if len(drafts) != 1 || !drafts[0].ActivateNewsletter || len(s.hashnode.Posts()) != 0 {
		t.Fatalf("after the test Hashnode holds drafts %+v and %d posts; want one newsletter draft, no post", drafts, len(s.hashnode.Posts()))
	}

	// Each outlet loses the answer of the step that emails the readers.
	s.hashnode.FailNext("publishDraft", hashnodetest.LostAnswer())
	lm.FailNext(listmonktest.RouteStatus, listmonktest.LostAnswer())
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	s.awaitDelivery(t, "hashnode", store.DeliveryPending)
	// The chats hear how each outlet is doing: both wait to settle a lost
	// answer, and say so.
	s.discord.await(t, "the published message", 2)
	if msg := s.discord.all()[1]; !strings.Contains(msg, "listmonk: 다시 시도 예정") || !strings.Contains(msg, "hashnode: 다시 시도 예정") {
		t.Errorf("the published message does not give the outlets' states:\n%s", msg)
	}
	s.clock.Advance(2 * time.Minute) // past Hashnode's cache window and the outbox's backoff
	for _, flag := range []string{"--hashnode", "--listmonk"} {
		if code, out, errs := runApp(t, s.env, "publish", flag, "1"); code != 0 {
			t.Fatalf("publish %s 1: %s %s", flag, out, errs)
		}
	}
	if n := len(s.hashnode.Posts()); n != 1 {
		t.Errorf("Hashnode holds %d posts, want 1", n)
	}
	if got := s.hashnode.Newsletters(); len(got) != 1 {
		t.Errorf("Hashnode emailed its subscribers %d times, want once", len(got))
	}
	mails := lm.Mails()
	if len(lm.Campaigns()) != 1 || len(mails) != 3 || !mails[0].Test || !mails[1].Test || mails[2].Test {
		t.Fatalf("listmonk holds %d campaigns and sent %+v; want one campaign, its two tests, then it", len(lm.Campaigns()), mails)
	}
	is := s.issue(t)
	if is.Listmonk == nil || is.Listmonk.Status != "running" || is.Listmonk.Error != "" || is.Listmonk.TestedTo != "editor@example.org" {
		t.Errorf("the issue's campaign record = %+v", is.Listmonk)
	}

	// A correction updates the post; the campaign, sent, stays as it was,
	// and the issue says so.
	title := "고친 제목"
	if code, body := s.api.doJSON("PATCH", "/api/v1/submissions/1/summary", map[string]any{"title": title}); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	s.forgetDeliveries()
	if code, _, errs := runApp(t, s.env, "publish", "1"); code != 0 {
		t.Fatalf("publish again: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	waitFor(t, "the Hashnode update", func() bool {
		p := s.hashnode.Posts()
		return len(p) == 1 && strings.Contains(p[0].ContentMarkdown, "## "+title)
	})
	if len(s.hashnode.Newsletters()) != 1 || len(s.hashnode.Posts()) != 1 {
		t.Errorf("the correction made a post or an email: %d posts, %d emails", len(s.hashnode.Posts()), len(s.hashnode.Newsletters()))
	}
	if _, sent := sentMails(lm); sent != 1 || len(lm.Campaigns()) != 1 || strings.Contains(lm.Campaigns()[0].Body, title) {
		t.Errorf("the correction changed or sent the campaign again: %d sent", sent)
	}
	if is := s.issue(t); is.Listmonk == nil || !strings.Contains(is.Listmonk.Note, "nobody was emailed again") {
		t.Errorf("the issue does not say the sent campaign was left alone: %+v", is.Listmonk)
	}
}

// TestNewsletterCorrectionBeforeSending: with listmonk scheduling, a
// correction before the issue's time updates the scheduled campaign,
// which goes out once, corrected.
func TestNewsletterCorrectionBeforeSending(t *testing.T) {
	s, lm := startNewsletterService(t, config.ListmonkSchedule)
	s.summarised(t, "/posts/generics")
	s.freeze(t)
	lm.FailNext(listmonktest.RouteCreate, listmonktest.LostAnswer())
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	if d := s.awaitDelivery(t, "listmonk", store.DeliveryPending); !strings.Contains(d.LastError, "unknown") {
		t.Errorf("the lost create's reason = %q", d.LastError)
	}
	s.clock.Advance(time.Minute) // the create can no longer commit: the outbox looks the campaign up and finds it
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	if cs := lm.Campaigns(); len(cs) != 1 || cs[0].Status != listmonktest.StatusScheduled {
		t.Fatalf("campaigns after a lost create = %+v, want one scheduled", cs)
	}
	title := "고친 제목"
	if code, body := s.api.doJSON("PATCH", "/api/v1/submissions/1/summary", map[string]any{"title": title}); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	if code, _, errs := runApp(t, s.env, "publish", "1"); code != 0 {
		t.Fatalf("publish again: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	cs := lm.Campaigns()
	if len(cs) != 1 || !strings.Contains(cs[0].Body, title) || cs[0].Status != listmonktest.StatusScheduled {
		t.Fatalf("campaign after the correction = %+v", cs)
	}
	s.clock.Advance(2 * time.Hour)
	if _, sent := sentMails(lm); sent != 1 {
		t.Errorf("the campaign went out %d times, want once", sent)
	}
}

// TestOutletFailuresInOneLine: a listmonk role without campaigns:send and
// a Hashnode publication whose newsletter is off each fail with their
// reason on one line: on the issue, in the CLI's retry, in status and in
// /metrics.
func TestOutletFailuresInOneLine(t *testing.T) {
	s, lm := startNewsletterService(t, config.ListmonkSend, func(lm *listmonktest.Server) { lm.Deny(listmonktest.PermSend) })
	s.hashnode.SetNewsletter(false)
	s.summarised(t, "/posts/generics")
	s.freeze(t)
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryFailed)
	waitFor(t, "the Hashnode failure", func() bool { return s.issue(t).Hashnode != nil && s.issue(t).Hashnode.Error != "" })
	is := s.issue(t)
	for _, reason := range []string{is.Listmonk.Error, is.Hashnode.Error} {
		if reason == "" || strings.ContainsAny(reason, "\r\n") {
			t.Errorf("reason %q is empty or not one line", reason)
		}
	}
	if !strings.Contains(is.Listmonk.Error, "campaigns:send") || !strings.Contains(is.Hashnode.Error, "newsletter feature off") {
		t.Errorf("reasons do not say why: listmonk %q, Hashnode %q", is.Listmonk.Error, is.Hashnode.Error)
	}
	if len(lm.Campaigns()) != 1 || lm.Campaigns()[0].Status != listmonktest.StatusDraft || len(s.hashnode.Drafts())+len(s.hashnode.Posts()) != 0 {
		t.Errorf("a refused send left more than a draft campaign")
	}
	code, out, errs := runApp(t, s.env, "publish", "--listmonk", "1")
	if code != 1 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "campaigns:send") {
		t.Errorf("publish --listmonk = %d %q %q, want one line naming the permission", code, out, errs)
	}
	// The issue's page shows both reasons, each with its retry button,
	// which sends again.
	_, page := s.api.try("GET", "/desk/issues/1")
	for _, want := range []string{"나간 곳", "campaigns:send", "newsletter feature off", "/desk/issues/1/outlets/listmonk/retry", "/desk/issues/1/outlets/hashnode/retry"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the issue's page lacks %q", want)
		}
	}
	requests := len(lm.Requests())
	if code, to := webPost(t, s.cfg.Server.URL+"/desk/issues/1/outlets/listmonk/retry"); code != http.StatusSeeOther || to != "/desk/issues/1" ||
		len(lm.Requests()) == requests {
		t.Errorf("the retry button = %d to %q, listmonk asked %d times", code, to, len(lm.Requests())-requests)
	}
	code, out, _ = runApp(t, s.env, "status")
	if code != 0 || !strings.Contains(out, "listmonk") || !strings.Contains(out, "failed") {
		t.Errorf("status does not show the failed outlet:\n%s", out)
	}
	_, metrics := s.api.try("GET", "/metrics")
	if !strings.Contains(string(metrics), `newsletter_outlet_deliveries{outlet="listmonk",state="failed"} `) {
		t.Errorf("/metrics lacks the listmonk failure")
	}
}

// TestNewsletterTestOfACorrection: the test send of the republish
// confirmation sends the edits about to be republished, and leaves the
// scheduled campaign the publication made as it made it.
func TestNewsletterTestOfACorrection(t *testing.T) {
	s, lm := startNewsletterService(t, config.ListmonkSchedule)
	s.summarised(t, "/posts/generics")
	s.freeze(t)
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	title := "고친 제목"
	if code, body := s.api.doJSON("PATCH", "/api/v1/submissions/1/summary", map[string]any{"title": title}); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	req, err := http.NewRequest(http.MethodPost, s.cfg.Server.URL+"/desk/issues/1/test", strings.NewReader("again=1"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/issues/1/publish" {
		t.Errorf("the test button = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var tests []listmonktest.Mail
	for _, m := range lm.Mails() {
		if m.Test {
			tests = append(tests, m)
		}
	}
	if len(tests) != 1 || !strings.Contains(tests[0].Body, "## "+title) {
		t.Fatalf("test mails = %+v, want one with the edit", tests)
	}
	if cs := lm.Campaigns(); len(cs) != 1 || strings.Contains(cs[0].Body, title) || cs[0].Status != listmonktest.StatusScheduled || cs[0].Updates != 0 {
		t.Errorf("the test changed the scheduled campaign: %+v", cs)
	}
}

// TestNewsletterCampaignDeletedAfterSending: a campaign that went out and
// was then deleted in listmonk is not made again by a correction nor by an
// editor's retry; the issue says so.
func TestNewsletterCampaignDeletedAfterSending(t *testing.T) {
	s, lm := startNewsletterService(t, config.ListmonkSend)
	s.summarised(t, "/posts/generics")
	s.freeze(t)
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	lm.DeleteCampaign(1)
	if code, body := s.api.doJSON("PATCH", "/api/v1/submissions/1/summary", map[string]any{"title": "고친 제목"}); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	s.forgetDeliveries()
	if code, _, errs := runApp(t, s.env, "publish", "1"); code != 0 {
		t.Fatalf("publish again: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	if code, out, errs := runApp(t, s.env, "publish", "--listmonk", "1"); code != 0 {
		t.Fatalf("publish --listmonk 1 = %d %s %s", code, out, errs)
	}
	if _, sent := sentMails(lm); sent != 1 || len(lm.Campaigns()) != 0 {
		t.Errorf("after the delete: %d campaigns, %d sent; want none made or sent again", len(lm.Campaigns()), sent)
	}
	if is := s.issue(t); is.Listmonk == nil || !strings.Contains(is.Listmonk.Note, "gone from listmonk") || is.Listmonk.Error != "" {
		t.Errorf("the issue's campaign record = %+v, want the note that it is gone", is.Listmonk)
	}
}

// TestNewsletterLostCreateWaits: a create whose answer was lost commits
// after the client gave up; an editor's immediate retry makes no second
// campaign, and once the create can no longer commit the campaign it made
// is found and sent, once.
func TestNewsletterLostCreateWaits(t *testing.T) {
	s, lm := startNewsletterService(t, config.ListmonkSend)
	s.summarised(t, "/posts/generics")
	s.freeze(t)
	lm.FailNext(listmonktest.RouteCreate, listmonktest.Fault{Applied: true, Drop: true, Delay: 10 * time.Second})
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	s.awaitDelivery(t, "listmonk", store.DeliveryPending)
	code, _, errs := runApp(t, s.env, "publish", "--listmonk", "1")
	if code != 1 || !strings.Contains(errs, "may still commit") {
		t.Errorf("an immediate retry = %d %q, want a refusal saying the create may still commit", code, errs)
	}
	s.clock.Advance(10 * time.Second) // the create commits
	if cs := lm.Campaigns(); len(cs) != 1 {
		t.Fatalf("campaigns after the late create = %+v, want only it", cs)
	}
	s.forgetDeliveries()
	s.clock.Advance(2 * time.Minute) // past the create's timeout and margin, and the outbox's backoff
	s.awaitDelivery(t, "listmonk", store.DeliveryDone)
	if _, sent := sentMails(lm); sent != 1 || len(lm.Campaigns()) != 1 || lm.Campaigns()[0].Status != listmonktest.StatusRunning {
		t.Errorf("campaigns %+v, %d sent; want the late campaign sent once", lm.Campaigns(), sent)
	}
}
