// Package desk is the editor's desk: the upcoming issue as a draft that
// editors read, correct and approve. It shows the draft (or the issue
// frozen for review) exactly as publishing would write it, with each
// entry's state, edits and history; it applies editors' edits, exclusions
// and moves as data, asks Gemini again for an entry under the same
// guardrails, and publishes on approval. Its types are the JSON of the
// editors' API.
package desk

import (
	"context"
	"fmt"
	"slices"

	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
)

// Desk serves editors. It is safe for concurrent use.
type Desk struct {
	store  *store.Store
	proc   *pipeline.Processor
	runner *edition.Runner
}

// New returns a Desk over the pipeline's store, processor and runner.
func New(st *store.Store, proc *pipeline.Processor, runner *edition.Runner) *Desk {
	return &Desk{store: st, proc: proc, runner: runner}
}

// Errors callers test for with errors.Is.
var (
	// ErrNotFound: no such submission or issue.
	ErrNotFound = store.ErrNotFound
	// ErrConflict: the change does not fit the entry's state.
	ErrConflict = store.ErrConflict
	// ErrStateChanged: the submission changed meanwhile (deleted, queued
	// again, published) while Gemini was asked.
	ErrStateChanged = store.ErrStateChanged
	// ErrNothingToPublish: the draft is empty and nothing waits for review.
	ErrNothingToPublish = edition.ErrNothingToPublish
	// ErrWeekTaken: this week's issue is out; the draft waits for next
	// week's.
	ErrWeekTaken = edition.ErrWeekTaken
)

// EditError lists what is wrong with an edit; nothing was changed.
type EditError struct {
	Violations []Violation
}

// Violation is one rule an edit broke.
type Violation struct {
	Field  string `json:"field"`
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

func (e *EditError) Error() string {
	msg := "the edit breaks the rules of an entry:"
	for i, v := range e.Violations {
		if i > 0 {
			msg += ";"
		}
		msg += fmt.Sprintf(" %s: %s", v.Field, v.Detail)
	}
	return msg
}

// Edit applies an editor's change to the entry of submission id. Edited
// text must keep to the rules model text keeps to (no headings, HTML or
// links; title, summary and introduction not empty): otherwise an
// *EditError names each problem and nothing changes.
func (d *Desk) Edit(ctx context.Context, id int64, c store.Change, editor string) (Entry, error) {
	if len(c.Fields) > 0 {
		cur, err := d.store.Entry(ctx, id)
		if err != nil {
			return Entry{}, err
		}
		after := cur.Effective()
		for f, v := range c.Fields {
			if v != nil {
				after.Set(f, *v)
			} else {
				after.Set(f, cur.Summary.Get(f))
			}
		}
		if err := checkEdit(after, c.Fields); err != nil {
			return Entry{}, err
		}
	}
	e, err := d.store.Change(ctx, id, c, editor)
	if err != nil {
		return Entry{}, err
	}
	return d.entryView(ctx, e)
}

// checkEdit reports the problems (entry.Check) of the changed fields in s.
func checkEdit(s store.Summary, changed map[entry.Field]*string) error {
	var out []Violation
	for f := range changed {
		out = append(out, violations(entry.Check(f, s.Get(f), entry.Editor))...)
	}
	if len(out) > 0 {
		slices.SortStableFunc(out, func(a, b Violation) int {
			return slices.Index(entry.Fields, entry.Field(a.Field)) - slices.Index(entry.Fields, entry.Field(b.Field))
		})
		return &EditError{Violations: out}
	}
	return nil
}

// violations are ps as the desk reports them.
func violations(ps []entry.Problem) []Violation {
	var out []Violation
	for _, p := range ps {
		out = append(out, Violation{Field: string(p.Field), Rule: p.Rule, Detail: p.Detail})
	}
	return out
}

// Regenerate asks Gemini again for the entry of submission id, with an
// editor's instruction ("더 짧게", "" for none), under the same guardrails.
// The model's text is replaced; fields an editor edited keep the edit
// (revert them to take the new text). The history records it. While
// Gemini is paused the error is an outage (see package retry).
func (d *Desk) Regenerate(ctx context.Context, id int64, instruction, editor string) (Entry, error) {
	e, err := d.store.Entry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	if e.Submission.State != store.StateSummarized && e.Submission.State != store.StatePublished {
		return Entry{}, fmt.Errorf("%w: submission %d is %s", ErrConflict, id, e.Submission.State)
	}
	res, err := d.proc.Regenerate(ctx, id, e.Article, instruction)
	if err != nil {
		return Entry{}, err
	}
	if err := d.store.Resummarized(ctx, pipeline.SummaryOf(id, e.Article, res), instruction, editor); err != nil {
		return Entry{}, err
	}
	if e, err = d.store.Entry(ctx, id); err != nil {
		return Entry{}, err
	}
	return d.entryView(ctx, e)
}

// SetIntro sets the opening paragraph of the upcoming issue (the one in
// review, else the open draft); it is checked as entry.Opening, under the
// same markup rules as edits.
func (d *Desk) SetIntro(ctx context.Context, text string) error {
	if vs := violations(entry.Check(entry.Opening, text, entry.Editor)); len(vs) > 0 {
		return &EditError{Violations: vs}
	}
	is, ok, err := d.store.ReviewIssue(ctx)
	if err != nil {
		return err
	}
	if ok {
		return d.store.SetIntro(ctx, is.ID, text)
	}
	return d.store.SetIntro(ctx, 0, text)
}

// Approve publishes the upcoming issue now, by editor (see
// edition.Runner.Approve): *edition.BusyError while a run is busy,
// ErrNothingToPublish when there is nothing.
func (d *Desk) Approve(ctx context.Context, editor string) (Issue, error) {
	is, err := d.runner.Approve(ctx, editor)
	if err != nil {
		return Issue{}, err
	}
	return d.Issue(ctx, is.ID)
}

// Republish publishes issue id again after corrections, by editor.
func (d *Desk) Republish(ctx context.Context, id int64, editor string) (Issue, error) {
	is, err := d.store.Issue(ctx, id)
	if err != nil {
		return Issue{}, err
	}
	if is.State == store.IssueReview {
		return Issue{}, fmt.Errorf("%w: issue %d waits for review; approve it instead", ErrConflict, id)
	}
	if _, err := d.runner.Republish(ctx, id, editor); err != nil {
		return Issue{}, err
	}
	return d.Issue(ctx, id)
}

// PublishHashnode publishes a published issue to Hashnode again, after a
// failure; the issue's Hashnode part says how it went.
func (d *Desk) PublishHashnode(ctx context.Context, id int64) (Issue, error) {
	if _, err := d.runner.PublishHashnode(ctx, id); err != nil {
		return Issue{}, err
	}
	return d.Issue(ctx, id)
}
