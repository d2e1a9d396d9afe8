package edition

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/outbox"
	"github.com/godevcommunity/newsletter/publisher/listmonk"
	"github.com/godevcommunity/newsletter/publisher/listmonk/listmonktest"
	"github.com/godevcommunity/newsletter/store"
)

// TestListmonkConfiguredLater: an issue published before listmonk was
// configured gets no campaign from a correction (nobody is emailed an old
// issue), and one from an editor's explicit retry.
func TestListmonkConfiguredLater(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	id, lm, w := withListmonk(t, h, listmonk.ModeSend)
	if _, err := h.runner.Republish(ctx, id, "kim", false); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rec, ok, err := h.Store.Campaign(ctx, id)
	if err != nil || !ok || !strings.Contains(rec.Note, "published before listmonk was configured") || len(lm.Campaigns()) != 0 {
		t.Fatalf("after a correction: record %+v (%v, %v), %d campaigns; want a note and none", rec, ok, err, len(lm.Campaigns()))
	}
	if _, err := h.runner.PublishListmonk(ctx, id); err != nil {
		t.Fatal(err)
	}
	rec, _, _ = h.Store.Campaign(ctx, id)
	if cs := lm.Campaigns(); len(cs) != 1 || cs[0].Status != listmonktest.StatusRunning || rec.CampaignID != 1 || rec.Note != "" || rec.Error != "" {
		t.Fatalf("after the editor's retry: campaigns %+v, record %+v; want one sent", cs, rec)
	}
}

// workerFirst is the outbox when its worker sends a queued delivery
// before the editor's Send reaches it.
type workerFirst struct{ w *outbox.Worker }

func (o workerFirst) Wake() {}

func (o workerFirst) Send(ctx context.Context, id int64) (store.Delivery, error) {
	if err := o.w.Flush(ctx); err != nil {
		return store.Delivery{}, err
	}
	return o.w.Send(ctx, id)
}

// TestTestSendWorkerFirst: a test send the worker delivered before the
// editor's Send asked for it reports that it was sent, not an empty state.
func TestTestSendWorkerFirst(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	id, _, w := withListmonk(t, h, listmonk.ModeSend)
	h.env.Outbox = workerFirst{w}
	h.rebuild()
	res, err := h.runner.TestSend(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("TestSend answered %d results, want 1 (listmonk)", len(res))
	}
	if d := res[0].Delivery; d.State != store.DeliveryDone {
		t.Fatalf("TestSend reported state %q (%s); want the listmonk test reported done", d.State, d.LastError)
	}
}

// withListmonk publishes issue h's week (auto mode) and then configures
// listmonk in mode, with the editors' test address, its outbox worker the
// runner's.
func withListmonk(t *testing.T, h *harness, mode listmonk.Mode, edit ...func(*listmonktest.Server)) (int64, *listmonktest.Server, *outbox.Worker) {
	t.Helper()
	ctx := context.Background()
	h.submit(h.Site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil || rep.Issue == nil || rep.Issue.State != string(store.IssuePublished) {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	lm := listmonktest.New(t, h.Clock)
	for _, e := range edit {
		e(lm)
	}
	client, err := listmonk.New(listmonk.Config{URL: lm.URL, User: listmonktest.User, Token: listmonktest.Token,
		Lists: []int{1}, Mode: mode, Clock: h.Clock, Timeout: 5 * time.Second, Ledger: ListmonkLedger{Store: h.Store}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := outbox.New(outbox.Config{Store: h.Store, Clock: h.Clock,
		Outlets: map[string]outbox.Outlet{OutletListmonk: ListmonkOutlet{Store: h.Store, Client: client}}})
	if err != nil {
		t.Fatal(err)
	}
	h.env.Listmonk, h.env.Outbox = client, w
	h.Config.Publisher.TestRecipients = []string{"editor@example.org"}
	h.rebuild()
	return rep.Issue.ID, lm, w
}

func testMails(lm *listmonktest.Server) []listmonktest.Mail {
	var out []listmonktest.Mail
	for _, m := range lm.Mails() {
		if m.Test {
			out = append(out, m)
		}
	}
	return out
}

// TestTestSendShowsTheEdits: a test of a published issue sends the edits
// a republication would send, not what was published last.
func TestTestSendShowsTheEdits(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	id, lm, _ := withListmonk(t, h, listmonk.ModeSchedule)
	if err := h.Store.SetIntro(ctx, id, "고친 여는 글입니다."); err != nil {
		t.Fatal(err)
	}
	res, err := h.runner.TestSend(ctx, id)
	if err != nil || len(res) != 1 || res[0].Delivery.State != store.DeliveryDone {
		t.Fatalf("TestSend = %+v, %v", res, err)
	}
	if m := testMails(lm); len(m) != 1 || !strings.Contains(m[0].Body, "고친 여는 글입니다.") {
		t.Fatalf("test mails = %+v, want one with the edited opening", m)
	}
}

// TestTestSendOnce: a test that fails is final and said at once; the next
// test send is its own delivery with the issue as it is then, and the
// failed one is never sent later.
func TestTestSendOnce(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	id, lm, w := withListmonk(t, h, listmonk.ModeDraft)
	lm.FailNext(listmonktest.RouteTest, listmonktest.Unavailable(http.StatusBadGateway))
	res, err := h.runner.TestSend(ctx, id)
	if err != nil || len(res) != 1 || res[0].Delivery.State != store.DeliveryFailed || !strings.Contains(res[0].Delivery.LastError, "502") {
		t.Fatalf("a failed test = %+v, %v; want failed for good, with the reason", res, err)
	}
	if err := h.Store.SetIntro(ctx, id, "두 번째 시험입니다."); err != nil {
		t.Fatal(err)
	}
	if res, err := h.runner.TestSend(ctx, id); err != nil || res[0].Delivery.State != store.DeliveryDone || res[0].Delivery.ID == 0 {
		t.Fatalf("the second test = %+v, %v", res, err)
	}
	h.Clock.Advance(6 * time.Hour)
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if m := testMails(lm); len(m) != 1 || !strings.Contains(m[0].Body, "두 번째 시험입니다.") {
		t.Fatalf("test mails = %+v, want only the second, with its content", m)
	}
	var tests []store.Delivery
	ds, _ := h.Store.Deliveries(ctx, id)
	for _, d := range ds {
		if d.Kind == KindTest {
			tests = append(tests, d)
		}
	}
	if len(tests) != 2 || tests[0].State != store.DeliveryFailed || tests[0].Attempts != 1 || tests[1].State != store.DeliveryDone {
		t.Errorf("test deliveries = %+v; want two, the first failed after one attempt", tests)
	}
}

// TestTestQueuedBeforeAPublication: a test queued before the issue was
// published again is refused when it comes to be sent, and leaves the
// campaign the publication made as it made it.
func TestTestQueuedBeforeAPublication(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	id, lm, w := withListmonk(t, h, listmonk.ModeSchedule)
	if _, err := h.runner.PublishListmonk(ctx, id); err != nil {
		t.Fatal(err)
	}
	payload := `{"title":"old","slug":"` + lm.Campaigns()[0].Name[len("newsletter "):] + `","markdown":"## 예전 내용\n","date":"2024-09-02T00:00:00Z","to":["editor@example.org"]}`
	if _, err := h.Store.EnqueueOne(ctx, store.NewDelivery{IssueID: id, Outlet: OutletListmonk, Kind: KindTest,
		Payload: []byte(payload), At: t0.Add(2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(time.Minute)
	if err := h.Store.SetIntro(ctx, id, "고친 여는 글입니다."); err != nil {
		t.Fatal(err)
	}
	if _, err := h.runner.Republish(ctx, id, "kim", false); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil { // the correction, before the test is due
		t.Fatal(err)
	}
	h.Clock.Advance(2 * time.Minute) // the test is due, the campaign not yet
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	cs := lm.Campaigns()
	if len(cs) != 1 || strings.Contains(cs[0].Body, "예전 내용") || !strings.Contains(cs[0].Body, "고친 여는 글입니다.") || len(testMails(lm)) != 0 {
		t.Fatalf("campaigns %+v, %d tests: want the corrected campaign, no test", cs, len(testMails(lm)))
	}
	rec, _, _ := h.Store.Campaign(ctx, id)
	if !strings.Contains(rec.TestError, "was published since") || rec.Error != "" {
		t.Errorf("record %+v: want the test's refusal, apart from the publication's outcome", rec)
	}
}

// TestTestOutcomeApart: a test that goes keeps a failed publication's
// error (and so its retry button); a test refused leaves a sent campaign's
// record as it was.
func TestTestOutcomeApart(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	id, _, _ := withListmonk(t, h, listmonk.ModeSend, func(lm *listmonktest.Server) { lm.Deny(listmonktest.PermSend) })
	if _, err := h.runner.PublishListmonk(ctx, id); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := h.Store.Campaign(ctx, id)
	if !strings.Contains(rec.Error, "campaigns:send") {
		t.Fatalf("record after a refused start: %+v", rec)
	}
	if res, err := h.runner.TestSend(ctx, id); err != nil || res[0].Delivery.State != store.DeliveryDone {
		t.Fatalf("TestSend = %+v, %v", res, err)
	}
	rec, _, _ = h.Store.Campaign(ctx, id)
	if !strings.Contains(rec.Error, "campaigns:send") || rec.TestedTo != "editor@example.org" || rec.TestError != "" {
		t.Fatalf("record after a test that went: %+v; want the publication's error kept", rec)
	}

	h2 := newHarness(t)
	id, lm, _ := withListmonk(t, h2, listmonk.ModeSend)
	if _, err := h2.runner.PublishListmonk(ctx, id); err != nil {
		t.Fatal(err)
	}
	lm.FailNext(listmonktest.RouteTest, listmonktest.Fault{Status: http.StatusBadRequest, Message: "Subscriber(s) not found"})
	if res, err := h2.runner.TestSend(ctx, id); err != nil || res[0].Delivery.State != store.DeliveryFailed {
		t.Fatalf("TestSend = %+v, %v", res, err)
	}
	rec, _, _ = h2.Store.Campaign(ctx, id)
	if rec.Error != "" || rec.Status != listmonktest.StatusRunning || !strings.Contains(rec.TestError, "Subscriber(s) not found") {
		t.Errorf("record after a refused test: %+v; want the sent campaign untouched, the test's failure apart", rec)
	}
}
