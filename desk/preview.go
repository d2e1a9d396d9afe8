package desk

import (
	"context"
	"html/template"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// Preview renders the entry of submission id as publishing would, with
// the fields given in place of its own (an editor's text not saved yet);
// nothing is saved. Texts are checked as an edit's are, but not against
// the markup rules: the preview shows what the publisher makes of them.
func (d *Desk) Preview(ctx context.Context, id int64, fields map[string]string) (template.HTML, error) {
	for name, v := range fields {
		if verr := checkText(name, v, MaxField); verr != nil {
			return "", verr
		}
	}
	e, err := d.Entry(ctx, id)
	if err != nil {
		return "", err
	}
	return d.EntryHTML(e, fields), nil
}

// EntryHTML renders entry e as publishing would, with the fields given
// in place of its own; publisher.credit_submitter decides whether the
// submitter is credited.
func (d *Desk) EntryHTML(e api.Entry, fields map[string]string) template.HTML {
	text := func(name string) string {
		if v, ok := fields[name]; ok {
			return v
		}
		return e.Field(name)
	}
	var s store.Summary
	for _, f := range entry.Fields {
		s.Set(f, text(string(f)))
	}
	a := pipeline.Entry(store.Article{CanonicalURL: e.URL, Title: e.SourceTitle}, s)
	if d.opts.Publisher.CreditSubmitter {
		a.SubmittedBy = e.SubmittedBy
	}
	return publisher.ArticleHTML(a)
}

// PublishRefusal says why issue is can not be published now, the same
// refusal publishing it would meet; nil when it can be. again is
// publishing a published issue again (Republish), else approving the
// upcoming issue (Approve).
func (d *Desk) PublishRefusal(ctx context.Context, is api.Issue, again bool) error {
	switch {
	case again && is.State == string(store.IssueReview):
		return d.conflict(ctx, store.ErrConflict, onIssue(is.ID))
	case again:
		return nil
	case len(is.Entries) == 0: // in the order approving checks
		return errNothingToPublish(edition.ErrNothingToPublish)
	case is.WeekTaken:
		return errWeekTaken(edition.ErrWeekTaken)
	}
	return nil
}

// Version is the program's version.
func (d *Desk) Version() string { return d.opts.Version }

// Plan says when the upcoming issue is published, as schedule.mode and
// schedule.publish_after decide: in review mode the scheduled run
// freezes it, and an editor approves it or it goes out on its own
// publish_after later; in auto mode the run publishes it.
type Plan struct {
	// Auto is when it publishes on its own; zero when it waits for an
	// editor.
	Auto time.Time
	// Freeze is when the scheduled run closes the open draft; zero for
	// an issue already in review.
	Freeze time.Time
	// Review: an editor approves it (or Auto passes).
	Review bool
}

// PlanOf is the plan of issue is, the upcoming one: the open draft of
// next week (WeekTaken) waits for next week's run, not the next one.
func (d *Desk) PlanOf(is api.Issue) Plan {
	if is.State == string(store.IssueReview) {
		p := Plan{Review: true}
		if is.PublishAt != nil {
			p.Auto = *is.PublishAt
		}
		return p
	}
	next := d.NextRun()
	if is.WeekTaken {
		next = is.Date // the first run of next week freezes it, and dates it so
	}
	if d.opts.Schedule.Mode == config.ModeAuto {
		return Plan{Freeze: next, Auto: next}
	}
	p := Plan{Review: true, Freeze: next}
	if !next.IsZero() && d.opts.Schedule.PublishAfter > 0 {
		p.Auto = next.Add(d.opts.Schedule.PublishAfter)
	}
	return p
}
