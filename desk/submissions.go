package desk

import (
	"context"
	"errors"
	"slices"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/store"
)

// Submit records a link a member submits, checked and normalised (see
// checkSubmission), and wakes the worker. A URL already queued for the
// next issue is that submission again (Existing); one that had failed is
// queued again (Requeued). A URL already published in an issue is
// refused, naming the issue (a Conflict, already_published), unless the
// request asks for it again on purpose (Again). Who submits and from
// where (by) are limited (see allowSubmission): what adds to the queue
// counts, a link already queued or one refused does not.
func (d *Desk) Submit(ctx context.Context, req api.SubmissionRequest, by Caller) (api.Submission, error) {
	n, verr := d.checkSubmission(req)
	if verr != nil {
		return api.Submission{}, verr
	}
	n.Again = req.Again
	if !req.Again {
		sub, is, ok, err := d.store.PublishedAs(ctx, n.URL)
		if err != nil {
			return api.Submission{}, internal(err)
		}
		if ok {
			return api.Submission{}, errAlreadyPublished(n.URL, sub, is, d.Location())
		}
	}
	undo, lerr := d.allowSubmission(by)
	if lerr != nil {
		return api.Submission{}, lerr
	}
	sub, result, err := d.store.Submit(ctx, n)
	if err != nil {
		undo()
		return api.Submission{}, internal(err)
	}
	v := toSubmission(sub, store.IssueState(""))
	switch result {
	case store.Existing:
		undo()
		v.Existing = true
		return v, nil
	case store.Requeued:
		v.Requeued = true
	}
	d.wake()
	return v, nil
}

// SubmissionPage is a page of the submissions q asks for, newest first,
// each saying whether deleting it would withdraw it, with how many there
// are in all and where the pages beside it start. A queue of any length
// costs one page.
func (d *Desk) SubmissionPage(ctx context.Context, q api.SubmissionQuery) (api.SubmissionPage, error) {
	f, verr := checkPage(q)
	if verr != nil {
		return api.SubmissionPage{}, verr
	}
	f.Oldest = f.After != 0 && f.Before == 0 // the page just above After
	subs, err := d.store.Submissions(ctx, f)
	if err != nil {
		return api.SubmissionPage{}, internal(err)
	}
	if f.Oldest {
		slices.Reverse(subs)
	}
	issues, err := d.issueStates(ctx)
	if err != nil {
		return api.SubmissionPage{}, internal(err)
	}
	page := api.SubmissionPage{Submissions: make([]api.Submission, 0, len(subs))}
	for _, s := range subs {
		page.Submissions = append(page.Submissions, toSubmission(s, issues[s.IssueID]))
	}
	if len(subs) > 0 {
		newest, oldest := subs[0].ID, subs[len(subs)-1].ID
		if more, err := d.store.Submissions(ctx, store.Filter{States: f.States, Search: f.Search, After: newest, Limit: 1}); err != nil {
			return api.SubmissionPage{}, internal(err)
		} else if len(more) > 0 {
			page.Newer = newest
		}
		if more, err := d.store.Submissions(ctx, store.Filter{States: f.States, Search: f.Search, Before: oldest, Limit: 1}); err != nil {
			return api.SubmissionPage{}, internal(err)
		} else if len(more) > 0 {
			page.Older = oldest
		}
	}
	if f.Search != "" { // counted by the search; else by the states' counts
		if page.Total, err = d.store.CountSubmissions(ctx, store.Filter{States: f.States, Search: f.Search}); err != nil {
			return api.SubmissionPage{}, internal(err)
		}
		return page, nil
	}
	counts, err := d.store.CountByState(ctx)
	if err != nil {
		return api.SubmissionPage{}, internal(err)
	}
	for st, n := range counts {
		if len(f.States) == 0 || slices.Contains(f.States, st) {
			page.Total += n
		}
	}
	return page, nil
}

// CountByState counts the submissions in each state; every state is there.
func (d *Desk) CountByState(ctx context.Context) (map[string]int, error) {
	counts, err := d.store.CountByState(ctx)
	if err != nil {
		return nil, internal(err)
	}
	out := make(map[string]int, len(counts))
	for st, n := range counts {
		out[string(st)] = n
	}
	return out, nil
}

// Submission returns submission id.
func (d *Desk) Submission(ctx context.Context, id int64) (api.Submission, error) {
	sub, err := d.store.Submission(ctx, id)
	if err != nil {
		return api.Submission{}, d.refusal(ctx, err, onSubmission(id))
	}
	var issue store.IssueState
	if sub.IssueID != 0 {
		is, err := d.store.Issue(ctx, sub.IssueID)
		if err != nil {
			return api.Submission{}, internal(err)
		}
		issue = is.State
	}
	return toSubmission(sub, issue), nil
}

// Retry queues a failed submission again with its attempts reset, and
// wakes the worker; its earlier reason stays in its history. Only a
// failed one can be.
func (d *Desk) Retry(ctx context.Context, id int64, actor string) (api.Submission, error) {
	sub, err := d.store.Requeue(ctx, id, actor)
	switch {
	case errors.Is(err, store.ErrConflict):
		var st store.State
		if cur, serr := d.store.Submission(ctx, id); serr == nil {
			st = cur.State
		}
		return api.Submission{}, errRetryRefused(id, st, err)
	case err != nil:
		return api.Submission{}, d.refusal(ctx, err, onSubmission(id))
	}
	d.wake()
	return toSubmission(sub, ""), nil
}

// Delete withdraws a submission still queued: in no issue, or in the one
// waiting for review (see store.Submission.Deletable). One that an issue
// published or being published holds stays, and the refusal says which
// issue and as what.
func (d *Desk) Delete(ctx context.Context, id int64, actor string) (api.Submission, error) {
	sub, err := d.store.DeleteSubmission(ctx, id, actor)
	switch {
	case errors.Is(err, store.ErrConflict):
		return api.Submission{}, d.deleteRefused(ctx, id, err)
	case err != nil:
		return api.Submission{}, d.refusal(ctx, err, onSubmission(id))
	}
	return toSubmission(sub, ""), nil
}

// deleteRefused says why submission id cannot be deleted, reading it
// and its issue again.
func (d *Desk) deleteRefused(ctx context.Context, id int64, cause error) *Error {
	sub, err := d.store.Submission(ctx, id)
	if err != nil {
		return errDeleteRefused(store.Submission{ID: id}, "", cause)
	}
	var issue store.IssueState
	if sub.IssueID != 0 {
		if is, err := d.store.Issue(ctx, sub.IssueID); err == nil {
			issue = is.State
		}
	}
	return errDeleteRefused(sub, issue, cause)
}

// issueStates maps every issue to its state.
func (d *Desk) issueStates(ctx context.Context) (map[int64]store.IssueState, error) {
	issues, err := d.store.Issues(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]store.IssueState, len(issues))
	for _, is := range issues {
		out[is.ID] = is.State
	}
	return out, nil
}

// toSubmission is s as the API shows it; issue is the state of its issue
// (if any), which decides whether it can be deleted.
func toSubmission(s store.Submission, issue store.IssueState) api.Submission {
	v := api.Submission{ID: s.ID, URL: s.URL, CanonicalURL: s.CanonicalURL, SubmittedBy: s.SubmittedBy, Note: s.Note,
		State: string(s.State), Attempts: s.Attempts, LastError: s.LastError, WaitingFor: s.WaitingFor,
		DuplicateOf: s.DuplicateOf, IssueID: s.IssueID, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		Deletable: s.Deletable(issue)}
	if !s.NextAttemptAt.IsZero() {
		t := s.NextAttemptAt
		v.NextAttemptAt = &t
	}
	return v
}
