package store

import (
	"context"
	"testing"
	"time"
)

func TestCampaignRecord(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	t0 := time.Date(2024, 9, 1, 21, 0, 0, 0, time.UTC)
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Title: "Weekly", Slug: "weekly", CUID: "c1", Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Campaign(ctx, is.ID); ok || err != nil {
		t.Fatalf("a new issue has a campaign record: %v %v", ok, err)
	}
	for _, want := range []Campaign{
		{IssueID: is.ID, CampaignID: 7, Status: "scheduled", SendAt: t0, TestedAt: t0.Add(-time.Hour), TestedTo: "editor@example.org"},
		{IssueID: is.ID, CampaignID: 7, Status: "running", Note: "sent already", Error: "", CreateSentAt: t0, TestError: "refused"},
	} {
		if err := s.SetCampaign(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Campaign(ctx, is.ID)
		if err != nil || !ok {
			t.Fatalf("Campaign: %v %v", ok, err)
		}
		got.UpdatedAt = time.Time{}
		if got != want {
			t.Errorf("Campaign = %+v, want %+v", got, want)
		}
	}
}

// TestCampaignParts: the campaign itself, the publication's outcome and
// the test's are written apart; none changes the others.
func TestCampaignParts(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	t0 := time.Date(2024, 9, 1, 21, 0, 0, 0, time.UTC)
	is, err := s.Freeze(ctx, NewIssue{Week: "2024-W36", Title: "Weekly", Slug: "weekly", CUID: "c1", Date: t0})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func() error
		want Campaign
	}{
		{"ledger", func() error {
			return s.SetCampaignLedger(ctx, is.ID, CampaignLedger{CampaignID: 3, Status: "draft", CreateSentAt: t0})
		}, Campaign{IssueID: is.ID, CampaignID: 3, Status: "draft", CreateSentAt: t0}},
		{"failed publication", func() error { return s.SetCampaignOutcome(ctx, is.ID, "", "HTTP 403") },
			Campaign{IssueID: is.ID, CampaignID: 3, Status: "draft", CreateSentAt: t0, Error: "HTTP 403"}},
		{"test sent", func() error { return s.SetCampaignTest(ctx, is.ID, t0, "editor@example.org", "") },
			Campaign{IssueID: is.ID, CampaignID: 3, Status: "draft", CreateSentAt: t0, Error: "HTTP 403", TestedAt: t0, TestedTo: "editor@example.org"}},
		{"test refused", func() error { return s.SetCampaignTest(ctx, is.ID, t0.Add(time.Hour), "x@example.org", "refused") },
			Campaign{IssueID: is.ID, CampaignID: 3, Status: "draft", CreateSentAt: t0, Error: "HTTP 403", TestedAt: t0, TestedTo: "editor@example.org", TestError: "refused"}},
		{"ledger again", func() error { return s.SetCampaignLedger(ctx, is.ID, CampaignLedger{CampaignID: 3, Status: "running"}) },
			Campaign{IssueID: is.ID, CampaignID: 3, Status: "running", Error: "HTTP 403", TestedAt: t0, TestedTo: "editor@example.org", TestError: "refused"}},
		{"publication done", func() error { return s.SetCampaignOutcome(ctx, is.ID, "", "") },
			Campaign{IssueID: is.ID, CampaignID: 3, Status: "running", TestedAt: t0, TestedTo: "editor@example.org", TestError: "refused"}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, _, err := s.Campaign(ctx, is.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.UpdatedAt = time.Time{}
		if got != st.want {
			t.Errorf("after %s: %+v, want %+v", st.name, got, st.want)
		}
	}
}
