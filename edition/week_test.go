package edition

import (
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// TestPlan is the table of what a run does with its week's draft.
func TestPlan(t *testing.T) {
	const this, last = "2024-W36", "2024-W35"
	inReview := func(wk string) week {
		return week{key: this, inReview: true, review: store.Issue{Week: wk, State: store.IssueReview}}
	}
	withIssue := func(w week, state store.IssueState) week {
		w.exists, w.issue = true, store.Issue{Week: this, State: state}
		return w
	}
	tests := []struct {
		name string
		mode string
		w    week
		want step
	}{
		{"an earlier issue in review keeps the draft open", config.ModeReview, week{key: this, draft: 3, inReview: true, review: store.Issue{Week: last}}, leaveOpen},
		{"an earlier issue in review, even with an empty draft", config.ModeReview, inReview(last), leaveOpen},
		{"no issue, empty draft", config.ModeReview, week{key: this}, emptyWeek},
		{"no issue, empty draft, auto", config.ModeAuto, week{key: this}, emptyWeek},
		{"no issue, a draft", config.ModeReview, week{key: this, draft: 2}, freezeDraft},
		{"no issue, a draft, auto", config.ModeAuto, week{key: this, draft: 2}, freezeDraft},
		{"the week's issue in review", config.ModeReview, withIssue(inReview(this), store.IssueReview), keepIssue},
		{"the week's issue published, review mode", config.ModeReview, withIssue(week{key: this, draft: 1}, store.IssuePublished), keepIssue},
		{"the week's issue published, auto mode", config.ModeAuto, withIssue(week{key: this, draft: 1}, store.IssuePublished), adoptDraft},
		{"the week's issue published, auto mode, empty draft", config.ModeAuto, withIssue(week{key: this}, store.IssuePublished), adoptDraft},
		{"the week's issue half published, auto mode", config.ModeAuto, withIssue(week{key: this}, store.IssuePublishing), keepIssue},
	}
	for _, tt := range tests {
		if got := plan(tt.mode, tt.w); got != tt.want {
			t.Errorf("%s: plan = %d, want %d", tt.name, got, tt.want)
		}
	}
}
