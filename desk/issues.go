package desk

import (
	"context"
	"encoding/json"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/store"
)

// Draft returns the upcoming issue: the oldest issue frozen for review, or
// else the open draft, dated today, or once this week's issue is out the
// date of next week's (see edition.Runner.DraftWeek); with whether it can
// be published now, and if not why (PublishRefusal).
func (d *Desk) Draft(ctx context.Context) (api.Issue, error) {
	v, err := d.draft(ctx)
	if err != nil {
		return api.Issue{}, d.refusal(ctx, err, target{})
	}
	v.Publishable = true
	if err := d.PublishRefusal(ctx, v, false); err != nil {
		body := AsError(err).Body()
		v.Publishable, v.Refusal = false, &body
	}
	return v, nil
}

func (d *Desk) draft(ctx context.Context) (api.Issue, error) {
	if is, ok, err := d.store.ReviewIssue(ctx); err != nil {
		return api.Issue{}, err
	} else if ok {
		return d.issue(ctx, is.ID)
	}
	date, taken, err := d.runner.DraftWeek(ctx)
	if err != nil {
		return api.Issue{}, err
	}
	shape, err := d.runner.DraftIssue(ctx, date)
	if err != nil {
		return api.Issue{}, err
	}
	entries, err := d.store.DraftEntries(ctx)
	if err != nil {
		return api.Issue{}, err
	}
	rejected, err := d.store.Rejected(ctx, 0)
	if err != nil {
		return api.Issue{}, err
	}
	usage, err := d.store.IssueUsage(ctx, 0)
	if err != nil {
		return api.Issue{}, err
	}
	v := d.view(shape, "draft", entries, rejected, usage)
	if err := d.addPending(ctx, &v); err != nil {
		return api.Issue{}, err
	}
	v.WeekTaken = taken
	return v, nil
}

// Issue returns issue id as editors see it.
func (d *Desk) Issue(ctx context.Context, id int64) (api.Issue, error) {
	v, err := d.issue(ctx, id)
	if err != nil {
		return api.Issue{}, d.refusal(ctx, err, onIssue(id))
	}
	return v, nil
}

func (d *Desk) issue(ctx context.Context, id int64) (api.Issue, error) {
	is, err := d.store.Issue(ctx, id)
	if err != nil {
		return api.Issue{}, err
	}
	entries, err := d.store.IssueEntries(ctx, id)
	if err != nil {
		return api.Issue{}, err
	}
	rejected, err := d.store.Rejected(ctx, id)
	if err != nil {
		return api.Issue{}, err
	}
	usage, err := d.store.IssueUsage(ctx, id)
	if err != nil {
		return api.Issue{}, err
	}
	v := d.view(is, string(is.State), entries, rejected, usage)
	if is.State == store.IssueReview {
		if err := d.addPending(ctx, &v); err != nil {
			return api.Issue{}, err
		}
		next, err := d.store.DraftEntries(ctx)
		if err != nil {
			return api.Issue{}, err
		}
		v.NextDraft = len(next)
	}
	if is.State != store.IssueReview {
		v.Markdown = string(is.Content) // what was published, byte for byte
	}
	changes, err := d.changesSince(ctx, is)
	if err != nil {
		return api.Issue{}, err
	}
	for i := range v.Entries {
		v.Entries[i].Changed = changes[v.Entries[i].SubmissionID]
	}
	ds, err := d.store.Deliveries(ctx, id)
	if err != nil {
		return api.Issue{}, err
	}
	for _, dl := range ds {
		v.Deliveries = append(v.Deliveries, toDelivery(dl))
	}
	if c, ok, err := d.store.Campaign(ctx, id); err != nil {
		return api.Issue{}, err
	} else if ok {
		v.Listmonk = toCampaign(c)
	}
	return v, nil
}

func toCampaign(c store.Campaign) *api.Campaign {
	v := &api.Campaign{CampaignID: c.CampaignID, Status: c.Status, Note: c.Note, Error: c.Error, TestedTo: c.TestedTo,
		TestError: c.TestError}
	if !c.SendAt.IsZero() {
		at := c.SendAt
		v.SendAt = &at
	}
	if !c.TestedAt.IsZero() {
		at := c.TestedAt
		v.TestedAt = &at
	}
	return v
}

// changesSince are the kinds of the editors' changes of each entry of a
// published issue since its last publication, by submission; none for
// an issue not published.
func (d *Desk) changesSince(ctx context.Context, is store.Issue) (map[int64][]string, error) {
	if !is.Published() || is.State != store.IssuePublished {
		return nil, nil
	}
	byKind, err := d.store.ChangesSince(ctx, is.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]string, len(byKind))
	for id, kinds := range byKind {
		for _, k := range kinds {
			out[id] = append(out[id], string(k))
		}
	}
	return out, nil
}

func toDelivery(dl store.Delivery) api.Delivery {
	v := api.Delivery{ID: dl.ID, Outlet: dl.Outlet, Kind: dl.Kind, State: string(dl.State), Attempts: dl.Attempts,
		LastError: dl.LastError}
	if dl.State == store.DeliveryPending {
		t := dl.NextAttemptAt
		v.NextAttemptAt = &t
	}
	if !dl.DoneAt.IsZero() {
		t := dl.DoneAt
		v.DoneAt = &t
	}
	return v
}

// Issues lists every issue, the latest first, without entries.
func (d *Desk) Issues(ctx context.Context) ([]api.Issue, error) {
	all, err := d.store.Issues(ctx)
	if err != nil {
		return nil, internal(err)
	}
	out := make([]api.Issue, 0, len(all))
	for _, is := range all {
		v := api.Issue{ID: is.ID, State: string(is.State), Week: is.Week, Title: is.Title, Slug: is.Slug,
			CUID: is.CUID, Date: is.Date.In(d.Location()), Location: is.Location, ApprovedBy: is.ApprovedBy,
			Entries: []api.Entry{}, Failed: []api.Submission{}, Pending: []api.Submission{}}
		setTimes(&v, is)
		out = append(out, v)
	}
	return out, nil
}

// History returns the history of a submission, oldest first.
func (d *Desk) History(ctx context.Context, id int64) ([]api.Event, error) {
	if _, err := d.store.Submission(ctx, id); err != nil {
		return nil, d.refusal(ctx, err, onSubmission(id))
	}
	events, err := d.store.Events(ctx, id)
	if err != nil {
		return nil, internal(err)
	}
	out := make([]api.Event, 0, len(events))
	for _, e := range events {
		ev := api.Event{At: e.At, Kind: string(e.Kind), Actor: e.Actor}
		if (e.Kind == store.EventEdited || e.Kind == store.EventReverted) && json.Valid([]byte(e.Detail)) {
			ev.Edit = json.RawMessage(e.Detail)
		} else {
			ev.Detail = e.Detail
		}
		out = append(out, ev)
	}
	return out, nil
}

// Entry returns the entry of submission id.
func (d *Desk) Entry(ctx context.Context, id int64) (api.Entry, error) {
	e, err := d.store.Entry(ctx, id)
	if err != nil {
		return api.Entry{}, d.refusal(ctx, err, onEntry(id))
	}
	v, err := d.entryView(ctx, e)
	if err != nil {
		return api.Entry{}, internal(err)
	}
	return v, nil
}

// Article returns the extracted text of submission id, for checking a
// claim against the source.
func (d *Desk) Article(ctx context.Context, id int64) (api.Article, error) {
	a, ok, err := d.store.Article(ctx, id)
	if err != nil {
		return api.Article{}, internal(err)
	}
	if !ok {
		return api.Article{}, errNoArticle(id)
	}
	return api.Article{SubmissionID: id, URL: a.CanonicalURL, Title: a.Title, SiteName: a.SiteName, Author: a.Author,
		Text: a.Text, WordCount: a.WordCount}, nil
}

func (d *Desk) view(is store.Issue, state string, entries []store.Entry, rejected []store.Submission, u store.Usage) api.Issue {
	v := api.Issue{ID: is.ID, State: state, Week: is.Week, Title: is.Title, Slug: is.Slug, CUID: is.CUID,
		Date: is.Date.In(d.Location()), Location: is.Location, KeptCopy: is.KeptCopy, ApprovedBy: is.ApprovedBy, Intro: is.Intro,
		Entries: make([]api.Entry, 0, len(entries)), Failed: []api.Submission{}, Pending: []api.Submission{},
		Usage:    api.Usage{Requests: u.Requests, PromptTokens: u.PromptTokens, OutputTokens: u.OutputTokens, CostUSD: u.CostUSD},
		Markdown: string(d.runner.Preview(store.Snapshot{Issue: is, Entries: entries}))}
	setTimes(&v, is)
	for i, e := range entries {
		ev := toEntry(e)
		ev.Position = i + 1
		v.Entries = append(v.Entries, ev)
	}
	for _, s := range rejected {
		v.Failed = append(v.Failed, toSubmission(s, is.State))
	}
	if h := is.Hashnode; h.PostID != "" || h.DraftID != "" || h.Error != "" || !h.PendingSince.IsZero() {
		v.Hashnode = &api.Post{PostID: h.PostID, DraftID: h.DraftID, URL: h.URL, Pending: !h.PendingSince.IsZero(), Error: h.Error}
	}
	return v
}

func setTimes(v *api.Issue, is store.Issue) {
	if !is.PublishAt.IsZero() && is.State == store.IssueReview {
		t := is.PublishAt
		v.PublishAt = &t
	}
	if !is.PublishedAt.IsZero() {
		t := is.PublishedAt
		v.PublishedAt = &t
	}
}

// addPending lists the submissions still on their way to the next issue:
// the oldest PageSize of them, first in line, and how many there are, so
// that a flooded queue costs the draft one page.
func (d *Desk) addPending(ctx context.Context, v *api.Issue) error {
	states := []store.State{store.StateNew, store.StateProcessing}
	pending, err := d.store.Submissions(ctx, store.Filter{States: states, Oldest: true, Limit: PageSize})
	if err != nil {
		return err
	}
	for _, s := range pending {
		v.Pending = append(v.Pending, toSubmission(s, ""))
	}
	counts, err := d.store.CountByState(ctx)
	if err != nil {
		return err
	}
	for _, st := range states {
		v.PendingTotal += counts[st]
	}
	return nil
}

func (d *Desk) entryView(ctx context.Context, e store.Entry) (api.Entry, error) {
	v := toEntry(e)
	var entries []store.Entry
	var err error
	if e.Submission.IssueID == 0 {
		entries, err = d.store.DraftEntries(ctx)
	} else {
		entries, err = d.store.IssueEntries(ctx, e.Submission.IssueID)
	}
	if err != nil {
		return api.Entry{}, err
	}
	v.Position = positionOf(entries, e.Submission.ID)
	if e.Submission.IssueID != 0 {
		is, err := d.store.Issue(ctx, e.Submission.IssueID)
		if err != nil {
			return api.Entry{}, err
		}
		v.IssueTitle, v.IssueState = is.Title, string(is.State)
		changes, err := d.changesSince(ctx, is)
		if err != nil {
			return api.Entry{}, err
		}
		v.Changed = changes[e.Submission.ID]
	}
	return v, nil
}

func positionOf(entries []store.Entry, id int64) int {
	for i, e := range entries {
		if e.Submission.ID == id {
			return i + 1
		}
	}
	return 0
}

func toEntry(e store.Entry) api.Entry {
	eff := e.Effective()
	v := api.Entry{SubmissionID: e.Submission.ID, URL: e.Article.CanonicalURL, SourceTitle: e.Article.Title,
		Title: eff.TitleKo, Summary: eff.Summary, Introduction: eff.Introduction,
		Recommendation: eff.Recommendation, Caution: eff.Caution, Edited: []string{},
		Excluded: e.Submission.Excluded, State: string(e.Submission.State),
		SubmittedBy: e.Submission.SubmittedBy, Note: e.Submission.Note, Model: e.Summary.Model, IssueID: e.Submission.IssueID}
	for _, f := range e.Edited() {
		v.Edited = append(v.Edited, string(f))
		if v.ModelText == nil {
			v.ModelText = map[string]string{}
		}
		v.ModelText[string(f)] = e.Summary.Get(f)
	}
	return v
}
