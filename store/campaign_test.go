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
		{IssueID: is.ID, CampaignID: 7, Status: "running", Note: "sent already", Error: ""},
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
