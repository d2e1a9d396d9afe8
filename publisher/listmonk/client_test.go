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
	res, err := h.client.Publish(context.Background(), is)
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
	res, err := h.client.Test(context.Background(), issue(), []string{"editor@example.org"})
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
	if _, err := h.client.Test(context.Background(), issue(), []string{"editor@example.org"}); !retry.IsPermanent(h.check(err)) ||
		!strings.Contains(err.Error(), "already running") {
		t.Errorf("a test after sending = %v, want refused", err)
	}
	if _, err := h.client.Test(context.Background(), issue(), nil); err == nil {
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
