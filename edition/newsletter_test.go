package edition

import (
	"context"
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
	h.submit(h.site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil || rep.Issue == nil || rep.Issue.State != string(store.IssuePublished) {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	id := rep.Issue.ID

	lm := listmonktest.New(t, h.clock)
	client, err := listmonk.New(listmonk.Config{URL: lm.URL, User: listmonktest.User, Token: listmonktest.Token,
		Lists: []int{1}, Mode: listmonk.ModeSend, Clock: h.clock, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w, err := outbox.New(outbox.Config{Store: h.store, Clock: h.clock,
		Outlets: map[string]outbox.Outlet{OutletListmonk: ListmonkOutlet{Store: h.store, Client: client}}})
	if err != nil {
		t.Fatal(err)
	}
	h.env.Listmonk, h.env.Outbox = client, w
	h.rebuild()
	if _, err := h.runner.Republish(ctx, id, "kim", false); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rec, ok, err := h.store.Campaign(ctx, id)
	if err != nil || !ok || !strings.Contains(rec.Note, "published before listmonk was configured") || len(lm.Campaigns()) != 0 {
		t.Fatalf("after a correction: record %+v (%v, %v), %d campaigns; want a note and none", rec, ok, err, len(lm.Campaigns()))
	}
	if _, err := h.runner.PublishListmonk(ctx, id); err != nil {
		t.Fatal(err)
	}
	rec, _, _ = h.store.Campaign(ctx, id)
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
	h.submit(h.site.Add("/a", "Go generics in practice"))
	rep, err := h.runner.Run(ctx, store.RunScheduled, t0)
	if err != nil || rep.Issue == nil {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	lm := listmonktest.New(t, h.clock)
	client, err := listmonk.New(listmonk.Config{URL: lm.URL, User: listmonktest.User, Token: listmonktest.Token,
		Lists: []int{1}, Mode: listmonk.ModeSend, Clock: h.clock, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w, err := outbox.New(outbox.Config{Store: h.store, Clock: h.clock,
		Outlets: map[string]outbox.Outlet{OutletListmonk: ListmonkOutlet{Store: h.store, Client: client}}})
	if err != nil {
		t.Fatal(err)
	}
	h.env.Listmonk, h.env.Outbox = client, workerFirst{w}
	h.cfg.Publisher.TestRecipients = []string{"editor@example.org"}
	h.rebuild()
	res, err := h.runner.TestSend(ctx, rep.Issue.ID)
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
