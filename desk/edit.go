package desk

import (
	"context"
	"errors"
	"fmt"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Edit applies an editor's change to the entry of submission id: field
// texts (nil reverts one to the model's text), excluded, position. Edited
// text must keep to the rules model text keeps to (no headings, HTML or
// links; title, summary and introduction not empty): otherwise the
// *Error lists each violation and nothing changes.
func (d *Desk) Edit(ctx context.Context, id int64, c api.Change, editor string) (api.Entry, error) {
	sc, verr := checkChange(c)
	if verr != nil {
		return api.Entry{}, verr
	}
	if len(sc.Fields) > 0 {
		cur, err := d.store.Entry(ctx, id)
		if err != nil {
			return api.Entry{}, d.refusal(ctx, err, onEntry(id))
		}
		after := cur.Effective()
		for f, v := range sc.Fields {
			if v != nil {
				after.Set(f, *v)
			} else {
				after.Set(f, cur.Summary.Get(f))
			}
		}
		if verr := checkEdit(after, sc.Fields); verr != nil {
			return api.Entry{}, verr
		}
	}
	e, err := d.store.Change(ctx, id, sc, editor)
	if err != nil {
		return api.Entry{}, d.refusal(ctx, err, onEntry(id))
	}
	v, err := d.entryView(ctx, e)
	if err != nil {
		return api.Entry{}, internal(err)
	}
	return v, nil
}

// Regenerate asks Gemini again for the entry of submission id, with an
// editor's instruction ("더 짧게", "" for none), under the same guardrails.
// The model's text is replaced; fields an editor edited keep the edit
// (revert them to take the new text). The history records it. An answer
// the guardrails refuse, or Gemini blocks, leaves the entry as it was and
// is an Unprocessable *Error with the reason and what the attempt cost;
// while Gemini is paused it is Unavailable.
func (d *Desk) Regenerate(ctx context.Context, id int64, instruction, editor string) (api.Entry, error) {
	if verr := checkInstruction(instruction); verr != nil {
		return api.Entry{}, verr
	}
	e, err := d.store.Entry(ctx, id)
	if err != nil {
		return api.Entry{}, d.refusal(ctx, err, onEntry(id))
	}
	if e.Submission.State != store.StateSummarized && e.Submission.State != store.StatePublished {
		return api.Entry{}, d.refusal(ctx, fmt.Errorf("%w: submission %d is %s", store.ErrConflict, id, e.Submission.State), onEntry(id))
	}
	res, err := d.proc.Regenerate(ctx, id, e.Article, instruction)
	if err != nil {
		if refusedAnswer(err) {
			var u *api.Usage
			if res != nil {
				u = &api.Usage{Requests: res.Usage.Requests, PromptTokens: res.Usage.PromptTokens,
					OutputTokens: res.Usage.OutputTokens, CostUSD: res.Usage.CostUSD}
			}
			return api.Entry{}, errRegeneration(id, err, u)
		}
		return api.Entry{}, d.refusal(ctx, err, onEntry(id))
	}
	if err := d.store.Resummarized(ctx, pipeline.SummaryOf(id, e.Article, res), instruction, editor); err != nil {
		return api.Entry{}, d.refusal(ctx, err, onEntry(id))
	}
	return d.Entry(ctx, id)
}

// SetIntro sets the opening paragraph of the upcoming issue (the one in
// review, else the open draft); it passes the same markup rules as edits.
func (d *Desk) SetIntro(ctx context.Context, text string) error {
	if verr := checkIntro(text); verr != nil {
		return verr
	}
	is, ok, err := d.store.ReviewIssue(ctx)
	if err != nil {
		return internal(err)
	}
	var id int64
	if ok {
		id = is.ID
	}
	if err := d.store.SetIntro(ctx, id, text); err != nil {
		return d.refusal(ctx, err, target{})
	}
	return nil
}

// Approve publishes the upcoming issue now, by editor (see
// edition.Runner.Approve): Busy while a run is busy, a Conflict when
// there is nothing to publish or this week's issue is out.
func (d *Desk) Approve(ctx context.Context, editor string) (api.Issue, error) {
	is, err := d.runner.Approve(ctx, editor)
	if err != nil {
		return api.Issue{}, d.refusal(ctx, err, target{})
	}
	return d.Issue(ctx, is.ID)
}

// Republish publishes issue id again after corrections, by editor. An
// issue waiting for review is approved instead. The chats are told that
// it was corrected only when announce is set.
func (d *Desk) Republish(ctx context.Context, id int64, editor string, announce bool) (api.Issue, error) {
	is, err := d.store.Issue(ctx, id)
	if err != nil {
		return api.Issue{}, d.refusal(ctx, err, onIssue(id))
	}
	if is.State == store.IssueReview {
		return api.Issue{}, d.refusal(ctx, fmt.Errorf("%w: issue %d waits for review; approve it instead", store.ErrConflict, id), onIssue(id))
	}
	if _, err := d.runner.Republish(ctx, id, editor, announce); err != nil {
		return api.Issue{}, d.refusal(ctx, err, onIssue(id))
	}
	return d.Issue(ctx, id)
}

// PublishHashnode publishes a published issue to Hashnode again, after a
// failure; the issue's Hashnode part says how it went.
func (d *Desk) PublishHashnode(ctx context.Context, id int64) (api.Issue, error) {
	if _, err := d.runner.PublishHashnode(ctx, id); err != nil {
		return api.Issue{}, d.refusal(ctx, err, onIssue(id))
	}
	return d.Issue(ctx, id)
}

// PublishListmonk sends a published issue's listmonk campaign again, after
// a failure; the issue's listmonk part says how it went.
func (d *Desk) PublishListmonk(ctx context.Context, id int64) (api.Issue, error) {
	if _, err := d.runner.PublishListmonk(ctx, id); err != nil {
		return api.Issue{}, d.refusal(ctx, err, onIssue(id))
	}
	return d.Issue(ctx, id)
}

// TestSend sends issue id as it would be published now to the editors
// (listmonk's campaign test to publisher.test_recipients; Hashnode's
// draft, whose link it returns) before the real send. Id 0 is the upcoming
// issue, which must be in review: the open draft is no issue yet.
func (d *Desk) TestSend(ctx context.Context, id int64) (api.TestSend, error) {
	if id == 0 {
		is, ok, err := d.store.ReviewIssue(ctx)
		if err != nil {
			return api.TestSend{}, d.refusal(ctx, err, target{})
		}
		if !ok {
			return api.TestSend{}, errNoIssueToTest()
		}
		id = is.ID
	}
	res, err := d.runner.TestSend(ctx, id)
	if err != nil {
		return api.TestSend{}, d.refusal(ctx, err, onIssue(id))
	}
	out := api.TestSend{IssueID: id}
	for _, r := range res {
		out.Results = append(out.Results, api.TestResult{Outlet: r.Outlet, State: string(r.Delivery.State),
			Error: r.Delivery.LastError, Link: r.Link, To: r.To})
	}
	return out, nil
}

// refusedAnswer reports whether err is Gemini's answer refused for good:
// by the guardrails after the corrective retry, blocked by Gemini, or
// another failure that asking again the same way cannot mend.
func refusedAnswer(err error) bool {
	var ge *summarizer.GuardrailError
	return errors.As(err, &ge) || errors.Is(err, summarizer.ErrBlocked) || !retry.IsOutage(err) && retry.IsPermanent(err)
}
