package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestDeliveryLifecycle(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	err := s.Enqueue(ctx,
		NewDelivery{Outlet: "hashnode", Kind: "published", DedupeKey: "issue:1:hashnode"},
		NewDelivery{Outlet: "hashnode", Kind: "corrected", DedupeKey: "issue:1:hashnode"}, // waits already
		NewDelivery{Outlet: "chat:0", Kind: "published", Payload: []byte(`{"title":"t"}`)},
		NewDelivery{Outlet: "chat:0", Kind: "draft_ready", At: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Deliveries(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("queued %d deliveries, want 3 (the second of one key adds nothing): %+v", len(all), all)
	}

	// Due in order of time, then of queuing; the later one is not due yet.
	var claimed []string
	for {
		d, ok, err := s.ClaimDelivery(ctx, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if d.State != DeliverySending {
			t.Errorf("claimed delivery %d is %s, want sending", d.ID, d.State)
		}
		claimed = append(claimed, d.Outlet+"/"+d.Kind)
	}
	if got, want := claimed, []string{"hashnode/published", "chat:0/published"}; !slices.Equal(got, want) {
		t.Errorf("claimed %v, want %v", got, want)
	}
	if at, ok, err := s.NextDelivery(ctx); err != nil || !ok || !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("NextDelivery = %v, %v, %v; want %v", at, ok, err, t0.Add(time.Hour))
	}

	// While the Hashnode delivery is being sent, its key still holds.
	if err := s.Enqueue(ctx, NewDelivery{Outlet: "hashnode", Kind: "corrected", DedupeKey: "issue:1:hashnode"}); err != nil {
		t.Fatal(err)
	}
	// A stop while sending: pending again, no attempt charged.
	n, err := s.ResumeDeliveries(ctx)
	if err != nil || n != 2 {
		t.Fatalf("ResumeDeliveries = %d, %v; want 2", n, err)
	}
	all, _ = s.Deliveries(ctx, 0)
	if len(all) != 3 {
		t.Fatalf("a key being sent let a second delivery in: %+v", all)
	}
	for _, d := range all[:2] {
		if d.State != DeliveryPending || d.Attempts != 0 {
			t.Errorf("resumed delivery %d: %s with %d attempts, want pending with 0", d.ID, d.State, d.Attempts)
		}
	}

	hn, _, _ := s.ClaimDelivery(ctx, clock.Now())
	retryAt := clock.Now().Add(time.Minute)
	got, err := s.SettleDelivery(ctx, hn.ID, Outcome{State: DeliveryPending, Retry: retryAt, Err: "503", Charge: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != DeliveryPending || got.Attempts != 1 || !got.NextAttemptAt.Equal(retryAt) || got.LastError != "503" {
		t.Errorf("after a transient failure: %+v", got)
	}
	if _, err := s.SettleDelivery(ctx, hn.ID, Outcome{State: DeliveryDone}); !errors.Is(err, ErrConflict) {
		t.Errorf("settling a delivery not being sent: %v, want ErrConflict", err)
	}

	chat, _, _ := s.ClaimDelivery(ctx, clock.Now())
	if got, err := s.SettleDelivery(ctx, chat.ID, Outcome{State: DeliveryFailed, Err: "404 webhook gone", Charge: true}); err != nil || got.State != DeliveryFailed {
		t.Fatalf("failed: %+v, %v", got, err)
	}
	again, err := s.RetryDelivery(ctx, chat.ID)
	if err != nil || again.State != DeliveryPending || again.Attempts != 0 {
		t.Errorf("RetryDelivery = %+v, %v; want pending with attempts reset", again, err)
	}
	chat, _, _ = s.ClaimDelivery(ctx, clock.Now())
	if got, err := s.SettleDelivery(ctx, chat.ID, Outcome{State: DeliveryDone, Charge: true}); err != nil || got.DoneAt.IsZero() {
		t.Errorf("done: %+v, %v", got, err)
	}
	if _, err := s.RetryDelivery(ctx, chat.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("retrying a delivery done: %v, want ErrConflict", err)
	}
	if _, err := s.RetryDelivery(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("retrying no delivery: %v, want ErrNotFound", err)
	}
	counts, err := s.CountDeliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[DeliveryPending] != 2 || counts[DeliveryDone] != 1 {
		t.Errorf("CountDeliveries = %v, want 2 pending and 1 done", counts)
	}
}

// The deliveries of a publication are queued with it, in one transaction:
// a publication recorded has its deliveries, one refused has none.
func TestWrittenQueuesDeliveries(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	summarized(t, s, "https://example.com/a")
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Title: "Weekly", Slug: "weekly", CUID: "c1", Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	promised := []NewDelivery{
		{IssueID: is.ID, Outlet: "hashnode", Kind: "published", DedupeKey: "issue:1:hashnode"},
		{IssueID: is.ID, Outlet: "chat:0", Kind: "published"},
	}
	if _, err := s.Written(ctx, is.ID, "/out/weekly.md", "", promised...); !errors.Is(err, ErrConflict) {
		t.Fatalf("Written of an issue not being published: %v, want ErrConflict", err)
	}
	if ds, _ := s.Deliveries(ctx, is.ID); len(ds) != 0 {
		t.Fatalf("a refused publication queued %d deliveries", len(ds))
	}
	if _, _, err := s.Publish(ctx, is.ID, "editor", func(Snapshot) ([]byte, error) { return []byte("# Weekly\n"), nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Written(ctx, is.ID, "/out/weekly.md", "", promised...); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deliveries(ctx, is.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Outlet+"/"+d.Kind+"/"+string(d.State))
	}
	if want := []string{"hashnode/published/pending", "chat:0/published/pending"}; !slices.Equal(got, want) {
		t.Errorf("deliveries = %v, want %v", got, want)
	}
}

// A run's "draft ready" messages are queued with the freeze, as the
// issue's: a freeze refused queues none.
func TestFreezeQueuesDeliveries(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	summarized(t, s, "https://example.com/a")
	ready := NewDelivery{Outlet: "chat:0", Kind: "draft_ready", Payload: []byte(`{"title":"Weekly"}`)}
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Title: "Weekly", Slug: "weekly", CUID: "c1", Date: t0}, ready)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Slug: "again"}, ready); !errors.Is(err, ErrConflict) {
		t.Fatalf("a second freeze of the week: %v, want ErrConflict", err)
	}
	ds, err := s.Deliveries(ctx, is.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Kind != "draft_ready" || ds[0].IssueID != is.ID || ds[0].State != DeliveryPending {
		t.Errorf("deliveries of the frozen issue = %+v, want its one draft_ready, pending", ds)
	}
	if counts, _ := s.CountDeliveries(ctx); counts[DeliveryPending] != 1 {
		t.Errorf("CountDeliveries = %v, want the one", counts)
	}
}

func TestDeliveriesByOutlet(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	if err := s.Enqueue(ctx, NewDelivery{Outlet: "chat:0", Kind: "x"}, NewDelivery{Outlet: "chat:1", Kind: "x"},
		NewDelivery{Outlet: "listmonk", Kind: "x"}); err != nil {
		t.Fatal(err)
	}
	d, ok, err := s.ClaimDeliveryID(ctx, 3)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, err := s.SettleDelivery(ctx, d.ID, Outcome{State: DeliveryFailed, Err: "no campaigns:send", Charge: true}); err != nil {
		t.Fatal(err)
	}
	// A test send, failed, after them: a rehearsal, not how listmonk does.
	if err := s.Enqueue(ctx, NewDelivery{Outlet: "listmonk", Kind: DeliveryTest}); err != nil {
		t.Fatal(err)
	}
	if d, ok, err := s.ClaimDeliveryID(ctx, 4); err != nil || !ok {
		t.Fatal(ok, err)
	} else if _, err := s.SettleDelivery(ctx, d.ID, Outcome{State: DeliveryFailed, Err: "subscriber not found", Charge: true}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DeliveriesByOutlet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Outlet != "chat" || got[0].Counts[DeliveryPending] != 2 || got[0].Latest.ID != 2 ||
		got[1].Outlet != "listmonk" || got[1].Counts[DeliveryFailed] != 1 || got[1].Latest.LastError != "no campaigns:send" {
		t.Errorf("DeliveriesByOutlet = %+v", got)
	}
}

// TestEnqueueOneAndCancel: a delivery queued alone is its own row with
// its id; CancelPending fails the pending ones of a kind, not one being
// sent nor another kind.
func TestEnqueueOneAndCancel(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Title: "Weekly", Slug: "weekly", CUID: "c1", Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for range 3 {
		id, err := s.EnqueueOne(ctx, NewDelivery{IssueID: is.ID, Outlet: "listmonk", Kind: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if ids[0] == ids[1] || ids[1] == ids[2] {
		t.Fatalf("ids %v are not distinct", ids)
	}
	if err := s.Enqueue(ctx, NewDelivery{IssueID: is.ID, Outlet: "listmonk", Kind: "published", DedupeKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.ClaimDeliveryID(ctx, ids[2]); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	n, err := s.CancelPending(ctx, is.ID, "listmonk", "test", "superseded")
	if err != nil || n != 2 {
		t.Fatalf("CancelPending = %d, %v; want the 2 pending tests", n, err)
	}
	ds, _ := s.Deliveries(ctx, is.ID)
	var states []string
	for _, d := range ds {
		states = append(states, d.Kind+":"+string(d.State)+":"+d.LastError)
	}
	want := []string{"test:failed:superseded", "test:failed:superseded", "test:sending:", "published:pending:"}
	if !slices.Equal(states, want) {
		t.Errorf("deliveries = %v, want %v", states, want)
	}
	if _, err := s.EnqueueOne(ctx, NewDelivery{IssueID: is.ID, Outlet: "listmonk", Kind: "test", DedupeKey: "k"}); err == nil {
		t.Errorf("EnqueueOne took a dedupe key")
	}
}
