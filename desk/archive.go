package desk

import (
	"context"
	"errors"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/store"
)

// PublishedIssues lists at most limit published issues (0: all), the
// latest first, as readers of the archive see them: their markdown as
// published, without entries.
func (d *Desk) PublishedIssues(ctx context.Context, limit int) ([]api.Issue, error) {
	all, err := d.store.PublishedIssues(ctx, limit)
	if err != nil {
		return nil, internal(err)
	}
	out := make([]api.Issue, 0, len(all))
	for _, is := range all {
		out = append(out, d.publishedView(is))
	}
	return out, nil
}

// PublishedIssue returns the published issue with slug, as readers see it.
func (d *Desk) PublishedIssue(ctx context.Context, slug string) (api.Issue, error) {
	is, ok, err := d.store.PublishedIssue(ctx, slug)
	if err != nil {
		return api.Issue{}, internal(err)
	}
	if !ok {
		return api.Issue{}, errNoPublishedIssue(slug)
	}
	return d.publishedView(is), nil
}

// LatestIssue returns the most recently dated published issue.
func (d *Desk) LatestIssue(ctx context.Context) (api.Issue, error) {
	is, err := d.store.LatestIssue(ctx)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return api.Issue{}, errNoIssueYet(err)
		}
		return api.Issue{}, internal(err)
	}
	return d.publishedView(is), nil
}

// LastPublished returns when an issue was last published; ok is false
// when none has been.
func (d *Desk) LastPublished(ctx context.Context) (at time.Time, ok bool, err error) {
	return d.store.LastPublished(ctx)
}

// Ping checks that the database answers.
func (d *Desk) Ping(ctx context.Context) error { return d.store.Ping(ctx) }

func (d *Desk) publishedView(is store.Issue) api.Issue {
	v := api.Issue{ID: is.ID, State: string(is.State), Week: is.Week, Title: is.Title, Slug: is.Slug, CUID: is.CUID,
		Date: is.Date.In(d.Location()), Location: is.Location, ApprovedBy: is.ApprovedBy, Intro: is.Intro,
		Entries: []api.Entry{}, Failed: []api.Submission{}, Pending: []api.Submission{},
		Markdown: string(is.Content), ContentHash: is.ContentHash}
	setTimes(&v, is)
	if !is.ContentAt.IsZero() {
		t := is.ContentAt
		v.ContentAt = &t
	}
	if !is.UpdatedAt.IsZero() {
		t := is.UpdatedAt
		v.UpdatedAt = &t
	}
	return v
}
