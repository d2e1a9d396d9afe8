package listmonk_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/publisher/listmonk"
	"github.com/godevcommunity/newsletter/publisher/listmonk/listmonktest"
	"github.com/godevcommunity/newsletter/retry"
)

var start = time.Date(2024, 9, 1, 21, 0, 0, 0, time.UTC)

// issueKey names the issue in the client's ledger.
const issueKey = "1"

func issue() listmonk.Issue {
	return listmonk.Issue{Slug: "gdc-weekly-newsletter-september-2nd-2024", Title: "[GDC] Weekly Newsletter September 2nd",
		Markdown: "## 첫 글\n\n### 요약\n\n요약\n", SendAt: start.Add(time.Hour)}
}

type harness struct {
	t      *testing.T
	clock  *clockwork.FakeClock
	srv    *listmonktest.Server
	client *listmonk.Client
}

func newHarness(t *testing.T, mode listmonk.Mode, edit ...func(*listmonk.Config)) *harness {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	h := &harness{t: t, clock: clock, srv: listmonktest.New(t, clock)}
	cfg := listmonk.Config{URL: h.srv.URL, User: listmonktest.User, Token: listmonktest.Token, Lists: []int{1},
		TemplateID: 3, Mode: mode, Clock: clock, Timeout: 5 * time.Second}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := listmonk.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.client = c
	return h
}

// check is what every error must be: one line, without the key.
func (h *harness) check(err error) error {
	h.t.Helper()
	if err != nil {
		if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || strings.Contains(msg, listmonktest.Token) {
			h.t.Errorf("error is not one line or holds the key: %q", msg)
		}
	}
	return err
}

func (h *harness) publish(is listmonk.Issue) (listmonk.Result, error) {
	h.t.Helper()
	res, err := h.client.Publish(context.Background(), issueKey, is)
	return res, h.check(err)
}

func (h *harness) campaigns() []listmonktest.Campaign { return h.srv.Campaigns() }

func (h *harness) mails(test bool) int {
	n := 0
	for _, m := range h.srv.Mails() {
		if m.Test == test {
			n++
		}
	}
	return n
}

func TestPublishModes(t *testing.T) {
	for _, tc := range []struct {
		mode   listmonk.Mode
		status string
		mails  int // campaigns sent to the lists once the issue's time has come
	}{
		{listmonk.ModeDraft, listmonktest.StatusDraft, 0},
		{listmonk.ModeSchedule, listmonktest.StatusScheduled, 1},
		{listmonk.ModeSend, listmonktest.StatusRunning, 1},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			h := newHarness(t, tc.mode)
			res, err := h.publish(issue())
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			cs := h.campaigns()
			if len(cs) != 1 {
				t.Fatalf("%d campaigns, want 1", len(cs))
			}
			c := cs[0]
			if res.CampaignID != c.ID || res.Status != tc.status || c.Status != tc.status || res.Action != listmonk.ActionCreated {
				t.Errorf("result %+v, campaign status %s: want created, %s", res, c.Status, tc.status)
			}
			if c.Name != listmonk.CampaignName(issue().Slug) || c.Subject != issue().Title || c.Body != issue().Markdown ||
				c.ContentType != "markdown" || c.TemplateID != 3 || len(c.Lists) != 1 || c.Lists[0] != 1 {
				t.Errorf("campaign = %+v", c)
			}
			if tc.mode == listmonk.ModeSchedule && !c.SendAt.Equal(issue().SendAt) {
				t.Errorf("scheduled at %v, want the issue's time %v", c.SendAt, issue().SendAt)
			}
			h.clock.Advance(2 * time.Hour)
			if n := h.mails(false); n != tc.mails {
				t.Errorf("%d campaigns sent, want %d", n, tc.mails)
			}
		})
	}
}

// TestScheduleInThePast: an issue whose time has passed is scheduled a
// few minutes ahead, which listmonk accepts.
func TestScheduleInThePast(t *testing.T) {
	h := newHarness(t, listmonk.ModeSchedule)
	is := issue()
	is.SendAt = start.Add(-time.Hour)
	res, err := h.publish(is)
	if err != nil || !res.SendAt.Equal(start.Add(listmonk.ScheduleLead)) {
		t.Fatalf("Publish = %+v, %v; want scheduled %s ahead", res, err, listmonk.ScheduleLead)
	}
}

// TestLostAnswersMakeOneCampaign: a create or a start whose answer is lost
// is found by the next attempt: one campaign, sent once.
func TestLostAnswersMakeOneCampaign(t *testing.T) {
	for _, route := range []string{listmonktest.RouteCreate, listmonktest.RouteStatus} {
		t.Run(route, func(t *testing.T) {
			h := newHarness(t, listmonk.ModeSend)
			h.srv.FailNext(route, listmonktest.LostAnswer())
			_, err := h.publish(issue())
			if err == nil || retry.IsPermanent(err) || !strings.Contains(err.Error(), "unknown") {
				t.Fatalf("after a lost answer: %v, want a transient error saying the outcome is unknown", err)
			}
			h.clock.Advance(time.Minute) // past the create's timeout and margin
			res, err := h.publish(issue())
			if err != nil {
				t.Fatalf("again: %v", err)
			}
			if len(h.campaigns()) != 1 || h.mails(false) != 1 || res.Status != listmonktest.StatusRunning {
				t.Errorf("%d campaigns, %d sent, result %+v: want one campaign sent once", len(h.campaigns()), h.mails(false), res)
			}
		})
	}
}

// TestCorrection: before sending, a correction updates the campaign; after
// sending, it says so and changes nothing.
func TestCorrection(t *testing.T) {
	h := newHarness(t, listmonk.ModeSchedule)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	fixed := issue()
	fixed.Markdown += "\n고침\n"
	res, err := h.publish(fixed)
	if err != nil || res.Action != listmonk.ActionUpdated || res.Status != listmonktest.StatusScheduled {
		t.Fatalf("correction before sending = %+v, %v; want updated, still scheduled", res, err)
	}
	if c := h.campaigns()[0]; !strings.Contains(c.Body, "고침") || c.Updates != 1 {
		t.Errorf("campaign after the correction = %+v", c)
	}
	h.clock.Advance(2 * time.Hour) // listmonk sends it
	fixed.Markdown += "\n또 고침\n"
	res, err = h.publish(fixed)
	if err != nil || res.Action != listmonk.ActionAlreadySent {
		t.Fatalf("correction after sending = %+v, %v; want already sent", res, err)
	}
	if c := h.campaigns()[0]; strings.Contains(c.Body, "또 고침") || c.Updates != 1 || h.mails(false) != 1 {
		t.Errorf("a correction after sending changed the campaign or sent it again: %+v, %d sent", c, h.mails(false))
	}
}

// TestTestSendThenPublish: the test goes to the editors' addresses from
// the campaign that is then sent; both reach the server in that order.
func TestTestSendThenPublish(t *testing.T) {
	h := newHarness(t, listmonk.ModeSend)
	res, err := h.client.Test(context.Background(), issueKey, issue(), []string{"editor@example.org"})
	if h.check(err) != nil || res.Status != listmonktest.StatusDraft {
		t.Fatalf("Test = %+v, %v", res, err)
	}
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	mails := h.srv.Mails()
	if len(mails) != 2 || !mails[0].Test || mails[0].To[0] != "editor@example.org" || mails[1].Test || len(h.campaigns()) != 1 {
		t.Fatalf("mails = %+v, campaigns %d: want the test, then the campaign, of one campaign", mails, len(h.campaigns()))
	}
	// A test after sending shows the issue as it is now, from the same
	// campaign, which it leaves as it went out.
	updates := h.campaigns()[0].Updates
	edited := issue()
	edited.Markdown += "\n고침\n"
	if _, err := h.client.Test(context.Background(), issueKey, edited, []string{"editor@example.org"}); h.check(err) != nil {
		t.Errorf("a test after sending = %v", err)
	}
	mails = h.srv.Mails()
	if c := h.campaigns()[0]; len(mails) != 3 || mails[2].Body != edited.Markdown || c.Body != issue().Markdown || c.Updates != updates ||
		c.Status != listmonktest.StatusRunning || len(h.campaigns()) != 1 {
		t.Errorf("after a test of the sent campaign: mails %+v, campaigns %+v", mails, h.campaigns())
	}
	if _, err := h.client.Test(context.Background(), issueKey, issue(), nil); err == nil {
		t.Errorf("a test without addresses was sent")
	}
}

func TestErrorsInWords(t *testing.T) {
	for _, tc := range []struct {
		name      string
		setup     func(*harness)
		edit      func(*listmonk.Config)
		permanent bool
		want      []string
	}{
		{name: "no campaigns:send", setup: func(h *harness) { h.srv.Deny(listmonktest.PermSend) }, permanent: true,
			want: []string{"campaigns:send", "6.1", "HTTP 403", "waits, draft"}},
		{name: "no campaigns:manage", setup: func(h *harness) { h.srv.Deny(listmonktest.PermManage) }, permanent: true,
			want: []string{"listmonk create", "Permission denied: campaigns:manage", "role lacks"}},
		{name: "wrong key", edit: func(c *listmonk.Config) { c.Token = "wrong-key" }, permanent: true,
			want: []string{"HTTP 403", "refused the API user or key"}},
		{name: "5xx", setup: func(h *harness) {
			bad := listmonktest.Unavailable(http.StatusBadGateway)
			h.srv.FailNext(listmonktest.RouteListCampaigns, bad, bad) // the search and the whole list
		},
			want: []string{"listmonk lookup", "HTTP 502"}},
		{name: "invalid", edit: func(c *listmonk.Config) { c.Lists = []int{9} }, permanent: true,
			want: []string{"HTTP 400", "Invalid lists"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var edits []func(*listmonk.Config)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			h := newHarness(t, listmonk.ModeSend, edits...)
			if tc.setup != nil {
				tc.setup(h)
			}
			_, err := h.publish(issue())
			if err == nil || retry.IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v, want permanent %v", err, tc.permanent)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

// TestLookupPages: the issue's campaign is found on a later page of the
// lookup, so it is not made again.
func TestLookupPages(t *testing.T) {
	h := newHarness(t, listmonk.ModeDraft)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	for i := range 150 { // newer campaigns whose names carry the slug too
		h.srv.AddCampaign(listmonktest.Campaign{Name: listmonk.CampaignName(issue().Slug) + "-copy-" + string(rune('a'+i%26)),
			Subject: "x", Lists: []int{1}, ContentType: "markdown"})
	}
	res, err := h.publish(issue())
	if err != nil || res.Action != listmonk.ActionUpdated || res.CampaignID != 1 || len(h.campaigns()) != 151 {
		t.Fatalf("Publish = %+v, %v, %d campaigns: want campaign 1 updated", res, err, len(h.campaigns()))
	}
}

// TestSearchMisses: when listmonk's search does not find the campaign by
// its slug, the lookup reads the whole list before it creates one.
func TestSearchMisses(t *testing.T) {
	h := newHarness(t, listmonk.ModeDraft)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	h.srv.SearchMisses()
	res, err := h.publish(issue())
	if err != nil || res.Action != listmonk.ActionUpdated || len(h.campaigns()) != 1 {
		t.Fatalf("Publish = %+v, %v, %d campaigns: want the one campaign updated", res, err, len(h.campaigns()))
	}
}

// TestLookupWithoutBodies: the lookup asks for campaigns without their
// bodies (each may be tens of kilobytes), so a page of 50 large campaigns
// stays under the client's cap on an answer, and reads every page by the
// count listmonk returns (it clamps per_page to 50).
func TestLookupWithoutBodies(t *testing.T) {
	h := newHarness(t, listmonk.ModeDraft)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("가", 30_000) // 90 KB: 50 of them are over 4 MiB
	for range 60 {
		h.srv.AddCampaign(listmonktest.Campaign{Name: "another " + issue().Slug, Subject: "x", Lists: []int{1},
			ContentType: "markdown", Body: body})
	}
	// Another process's publication: the campaign is known by name only.
	c, err := listmonk.New(listmonk.Config{URL: h.srv.URL, User: listmonktest.User, Token: listmonktest.Token, Lists: []int{1},
		Mode: listmonk.ModeDraft, Clock: h.clock, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Publish(context.Background(), issueKey, issue())
	if h.check(err) != nil || res.Action != listmonk.ActionUpdated || res.CampaignID != 1 || len(h.campaigns()) != 61 {
		t.Fatalf("Publish = %+v, %v, %d campaigns: want campaign 1 updated", res, err, len(h.campaigns()))
	}
}

// TestLateCreateWaits: a create whose answer is lost may commit later;
// until its timeout and margin have passed no create is sent again, so an
// immediate retry makes no second campaign, and after it the campaign is
// found by name.
func TestLateCreateWaits(t *testing.T) {
	h := newHarness(t, listmonk.ModeDraft)
	h.srv.FailNext(listmonktest.RouteCreate, listmonktest.Fault{Applied: true, Drop: true, Delay: 10 * time.Second})
	if _, err := h.publish(issue()); err == nil || retry.IsPermanent(err) {
		t.Fatalf("a lost create = %v, want transient", err)
	}
	_, err := h.publish(issue())
	at, ok := retry.Classify(err).At, err != nil
	if !ok || retry.IsPermanent(err) || !strings.Contains(err.Error(), "may still commit") ||
		!at.Equal(start.Add(5*time.Second+listmonk.DefaultCreateMargin)) {
		t.Fatalf("an immediate retry = %v (at %v), want a transient refusal until the timeout and margin have passed", err, at)
	}
	if n := len(h.campaigns()); n != 0 {
		t.Fatalf("the retry made %d campaigns", n)
	}
	h.clock.Advance(10 * time.Second) // the create commits
	_, err = h.publish(issue())
	if err == nil || !strings.Contains(err.Error(), "may still commit") || len(h.campaigns()) != 1 {
		t.Fatalf("a retry within the window = %v, %d campaigns", err, len(h.campaigns()))
	}
	h.clock.Advance(time.Minute)
	res, err := h.publish(issue())
	if err != nil || res.Action != listmonk.ActionUpdated || len(h.campaigns()) != 1 {
		t.Fatalf("after the window: %+v, %v, %d campaigns; want the late campaign updated", res, err, len(h.campaigns()))
	}
}

// TestRecordedCampaignByID: once its id is known the campaign is read by
// it: renamed in listmonk, it is still the issue's; deleted there, none is
// made in its place (it may have gone out first), and a test makes none.
func TestRecordedCampaignByID(t *testing.T) {
	h := newHarness(t, listmonk.ModeSend)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	h.srv.RenameCampaign(1, "Go weekly, renamed")
	res, err := h.publish(issue())
	if err != nil || res.Action != listmonk.ActionAlreadySent || res.CampaignID != 1 || len(h.campaigns()) != 1 {
		t.Fatalf("after a rename: %+v, %v, %d campaigns; want campaign 1, already sent", res, err, len(h.campaigns()))
	}
	h.srv.DeleteCampaign(1)
	res, err = h.publish(issue())
	if err != nil || res.Action != listmonk.ActionGone || res.CampaignID != 1 || res.Status != listmonktest.StatusRunning {
		t.Fatalf("after a delete: %+v, %v; want gone, campaign 1 last running", res, err)
	}
	if _, err := h.client.Test(context.Background(), issueKey, issue(), []string{"editor@example.org"}); !retry.IsPermanent(h.check(err)) ||
		!strings.Contains(err.Error(), "gone from listmonk") {
		t.Errorf("a test after the delete = %v, want refused", err)
	}
	if len(h.campaigns()) != 0 || h.mails(false) != 1 || h.mails(true) != 0 {
		t.Errorf("after the delete: %d campaigns, %d sent, %d tests; want none made or sent again", len(h.campaigns()), h.mails(false), h.mails(true))
	}
}

// TestUnsentCampaignDeletedIsMadeAgain: a campaign deleted in listmonk
// while it was a draft had emailed no one: the next publication makes it
// again.
func TestUnsentCampaignDeletedIsMadeAgain(t *testing.T) {
	h := newHarness(t, listmonk.ModeDraft)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	h.srv.DeleteCampaign(1)
	res, err := h.publish(issue())
	if err != nil || res.Action != listmonk.ActionCreated || res.CampaignID != 2 || len(h.campaigns()) != 1 {
		t.Fatalf("after deleting the draft: %+v, %v, %d campaigns; want campaign 2 made", res, err, len(h.campaigns()))
	}
}

// TestTestLeavesTheCampaign: a test of a scheduled campaign sends the
// issue as it is now and leaves the campaign, its body and its schedule,
// as the publication made it.
func TestTestLeavesTheCampaign(t *testing.T) {
	h := newHarness(t, listmonk.ModeSchedule)
	if _, err := h.publish(issue()); err != nil {
		t.Fatal(err)
	}
	old := issue()
	old.Markdown = "## 예전 글\n"
	if _, err := h.client.Test(context.Background(), issueKey, old, []string{"editor@example.org"}); h.check(err) != nil {
		t.Fatal(err)
	}
	c := h.campaigns()[0]
	if c.Body != issue().Markdown || c.Updates != 0 || c.Status != listmonktest.StatusScheduled || !c.SendAt.Equal(issue().SendAt) {
		t.Errorf("the test changed the campaign: %+v", c)
	}
	if m := h.srv.Mails(); len(m) != 1 || !m[0].Test || m[0].Body != old.Markdown {
		t.Errorf("mails = %+v, want the test with its own body", m)
	}
}

func TestLists(t *testing.T) {
	h := newHarness(t, listmonk.ModeDraft, func(c *listmonk.Config) { c.Lists = []int{2, 1} })
	h.srv.AddList("영문판", 7)
	lists, err := h.client.Lists(context.Background())
	if err != nil || len(lists) != 2 || lists[0].Name != "영문판" || lists[0].SubscriberCount != 7 || lists[1].SubscriberCount != 120 {
		t.Fatalf("Lists = %+v, %v", lists, err)
	}
	h = newHarness(t, listmonk.ModeDraft, func(c *listmonk.Config) { c.Lists = []int{5} })
	if _, err := h.client.Lists(context.Background()); err == nil || !strings.Contains(err.Error(), "list 5 does not exist") {
		t.Errorf("a missing list: %v", err)
	}
}

func TestConfigRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  listmonk.Config
		want string
	}{
		{"no url", listmonk.Config{User: "u", Token: "k", Lists: []int{1}}, "not an absolute"},
		{"http off loopback", listmonk.Config{URL: "http://lists.example.org", User: "u", Token: "k", Lists: []int{1}}, "needs https"},
		{"no key", listmonk.Config{URL: "https://lists.example.org", User: "u", Lists: []int{1}}, "LISTMONK_TOKEN"},
		{"no lists", listmonk.Config{URL: "https://lists.example.org", User: "u", Token: "k"}, "no list"},
		{"bad mode", listmonk.Config{URL: "https://lists.example.org", User: "u", Token: "k", Lists: []int{1}, Mode: "later"}, "mode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := listmonk.New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error with %q", err, tc.want)
			}
		})
	}
}
