package desk

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

// The open draft says which week it is for: this week's until this week's
// issue is out, then next week's, dated as the scheduled run that freezes
// it will date it; and whether it can be published now, and why not.
func TestDraftWeek(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		cron        string
		later       time.Duration // how long after t0 (Monday 07:00) the draft is read
		published   bool          // this week's issue is out
		entries     int
		week, title string
		date        time.Time
		taken       bool
		refusal     string // the refusal's code, "" when publishable
	}{
		{"an empty draft", "", 0, false, 0, "2024-W36", "September 2nd", t0, false, "nothing_to_publish"},
		{"a draft this week", "", 26 * time.Hour, false, 2, "2024-W36", "September 3rd", t0.Add(26 * time.Hour), false, ""},
		{"after Monday's issue: next Monday's run", "0 6 * * 1", 26 * time.Hour, true, 1, "2024-W37", "September 9th",
			time.Date(2024, 9, 9, 6, 0, 0, 0, seoul), true, "week_taken"},
		{"after Monday's issue, empty: next week's still", "0 6 * * 1", 0, true, 0, "2024-W37", "September 9th",
			time.Date(2024, 9, 9, 6, 0, 0, 0, seoul), true, "nothing_to_publish"},
		{"Friday runs: not this Friday's, which keeps the issue", "30 9 * * 5", 26 * time.Hour, true, 1, "2024-W37", "September 13th",
			time.Date(2024, 9, 13, 9, 30, 0, 0, seoul), true, "week_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *config.Config) {
				if tt.cron != "" {
					c.Schedule.Cron = tt.cron
				}
			})
			if tt.published {
				h.addEntry("published")
				h.publish()
			}
			for i := range tt.entries {
				h.addEntry(strings.Repeat("글", i+1))
			}
			h.Clock.Advance(tt.later)
			d, err := h.desk.Draft(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d.State != "draft" || d.Week != tt.week || !strings.Contains(d.Title, tt.title) || !d.Date.Equal(tt.date) || d.WeekTaken != tt.taken {
				t.Errorf("draft %s %s %q %s taken %v, want %s %q %s taken %v", d.State, d.Week, d.Title, d.Date, d.WeekTaken,
					tt.week, tt.title, tt.date, tt.taken)
			}
			if want := strings.ToLower(strings.ReplaceAll(tt.title, " ", "-")); !strings.Contains(d.Slug, want) {
				t.Errorf("slug %q, want it to name %q", d.Slug, want)
			}
			refused := h.desk.PublishRefusal(ctx, d, false)
			switch {
			case tt.refusal == "" && (!d.Publishable || d.Refusal != nil || refused != nil):
				t.Errorf("publishable %v, refusal %+v / %v, want publishable", d.Publishable, d.Refusal, refused)
			case tt.refusal != "" && (d.Publishable || d.Refusal == nil || d.Refusal.Code != tt.refusal || AsError(refused).Code != tt.refusal):
				t.Errorf("publishable %v, refusal %+v / %v, want refused %s", d.Publishable, d.Refusal, refused, tt.refusal)
			}
			if tt.taken {
				if p := h.desk.PlanOf(d); !p.Freeze.Equal(tt.date) {
					t.Errorf("plan freezes at %s, want next week's run %s", p.Freeze, tt.date)
				}
				if _, err := h.desk.Approve(ctx, "kim"); AsError(err).Code != tt.refusal {
					t.Errorf("approving: %v, want %s", err, tt.refusal)
				}
			}
		})
	}
}
