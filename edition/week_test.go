package edition

import (
	"testing"
	"time"

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

// TestNextWeekDate: once this week has its issue, the open draft carries
// the date of the first scheduled run in a later week.
func TestNextWeekDate(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, seoul) }
	tuesday := at(2026, time.December, 8, 10)
	tests := []struct {
		name string
		cron string
		now  time.Time
		want time.Time
	}{
		{"Mondays: next Monday", "0 6 * * 1", tuesday, at(2026, time.December, 14, 6)},
		{"Fridays: not this Friday, next week's", "0 6 * * 5", tuesday, at(2026, time.December, 18, 6)},
		{"Sundays end the ISO week: the Sunday after", "0 6 * * 0", tuesday, at(2026, time.December, 20, 6)},
		{"daily: next Monday's run", "0 6 * * *", tuesday, at(2026, time.December, 14, 6)},
		{"Monday before its run: next week's, not today's", "0 6 * * 1", at(2026, time.December, 7, 1), at(2026, time.December, 14, 6)},
		{"across the year", "0 6 * * 1", at(2026, time.December, 29, 10), at(2027, time.January, 4, 6)},
		{"no schedule: next Monday", "", tuesday, at(2026, time.December, 14, 0)},
	}
	for _, tt := range tests {
		r := &Runner{loc: seoul, sched: config.Schedule{Cron: tt.cron}}
		if got := r.nextWeekDate(tt.now); !got.Equal(tt.want) {
			t.Errorf("%s: nextWeekDate(%s) = %s, want %s", tt.name, tt.now, got, tt.want)
		}
	}
}
