package edition

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// Location is the time zone that dates issues (schedule.timezone).
func (r *Runner) Location() *time.Location { return r.loc }

// DraftDate is the date of the open draft as approving it now would
// publish it: today, in the schedule's time zone. (A scheduled run dates
// the issue it freezes by its slot instead.)
func (r *Runner) DraftDate() time.Time { return r.env.Clock.Now().In(r.loc) }

// DraftWeek is the date the open draft carries and whether this week's
// issue is out already. While this week has no issue, it is DraftDate:
// approving the draft now publishes it as this week's. Once this week has
// its issue, the draft is next week's and carries the date the scheduled
// run that freezes it will give it: the first slot of schedule.cron in a
// later week (see nextWeekDate).
func (r *Runner) DraftWeek(ctx context.Context) (date time.Time, taken bool, err error) {
	today := r.DraftDate()
	if _, taken, err = r.env.Store.IssueForWeek(ctx, weekKey(today)); err != nil || !taken {
		return today, false, err
	}
	return r.nextWeekDate(today), true, nil
}

// nextWeekDate is the first slot of schedule.cron after now in a later
// ISO week than now's, in schedule.timezone; the Monday of the next week
// when the schedule has none within a year.
func (r *Runner) nextWeekDate(now time.Time) time.Time {
	now = now.In(r.loc)
	key := weekKey(now)
	c := gocron.NewDefaultCron(false)
	if err := c.IsValid(r.sched.Cron, r.loc, now); err == nil {
		for t := c.Next(now); !t.IsZero() && t.Sub(now) < maxSlotGap; t = c.Next(t) {
			if weekKey(t.In(r.loc)) > key {
				return t.In(r.loc)
			}
		}
	}
	y, m, d := now.Date()
	sinceMonday := (int(now.Weekday()) + 6) % 7
	return time.Date(y, m, d+7-sinceMonday, 0, 0, 0, 0, r.loc)
}

// DraftIssue is the issue the open draft becomes when it is frozen at
// date: its title, slug, week, date, CUID and opening paragraph.
func (r *Runner) DraftIssue(ctx context.Context, date time.Time) (store.Issue, error) {
	st := r.env.Store
	cuid, err := st.DraftCUID(ctx, publisher.NewCUID)
	if err != nil {
		return store.Issue{}, err
	}
	intro, err := st.DraftIntro(ctx)
	if err != nil {
		return store.Issue{}, err
	}
	date = date.In(r.loc)
	shape := publisher.NewIssue(r.pub, date, "", nil)
	return store.Issue{Week: weekKey(date), Title: shape.Title, Slug: shape.Slug, CUID: cuid, Date: date, Intro: intro}, nil
}

// Preview is the document publishing snap would write, byte for byte.
func (r *Runner) Preview(snap store.Snapshot) []byte { return r.render(snap).Markdown(r.pub) }

// render is the issue of a snapshot: its stored title, slug, CUID, date
// and opening, and its included entries as edited.
func (r *Runner) render(snap store.Snapshot) *publisher.Issue {
	var articles []publisher.Article
	var models []string
	for _, e := range snap.Entries {
		if e.Submission.Excluded {
			continue
		}
		a := pipeline.Entry(e.Article, e.Effective())
		a.SubmittedBy = e.Submission.SubmittedBy
		articles = append(articles, a)
		if !slices.Contains(models, e.Summary.Model) {
			models = append(models, e.Summary.Model)
		}
	}
	is := snap.Issue
	issue := publisher.NewIssue(r.pub, is.Date.In(r.loc), strings.Join(models, ", "), articles)
	issue.Title, issue.Slug, issue.CUID, issue.Intro = is.Title, is.Slug, is.CUID, is.Intro
	return issue
}
