package desk

import (
	"context"
	"encoding/json"
	"time"

	"github.com/godevcommunity/newsletter/store"
)

// Issue is an issue as editors see it: the upcoming one (the open draft,
// or the issue frozen for review) or any other, with its entries, what
// failed or waits, what Gemini cost for its articles, and the exact
// markdown publishing writes.
type Issue struct {
	// ID is 0 for the open draft, which is not an issue yet.
	ID int64 `json:"id,omitempty"`
	// State is draft, review, publishing or published.
	State string    `json:"state"`
	Week  string    `json:"week"`
	Title string    `json:"title"`
	Slug  string    `json:"slug"`
	CUID  string    `json:"cuid"`
	Date  time.Time `json:"date"`
	// PublishAt is when an issue in review publishes on its own; absent
	// when it waits for an editor.
	PublishAt   *time.Time `json:"publish_at,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	ApprovedBy  string     `json:"approved_by,omitempty"`
	Location    string     `json:"location,omitempty"`
	KeptCopy    string     `json:"kept_copy,omitempty"`
	Intro       string     `json:"intro"`
	Entries     []Entry    `json:"entries"`
	// Failed and Pending are the submissions left out, with why.
	Failed  []Submission `json:"failed"`
	Pending []Submission `json:"pending"`
	// Usage is every Gemini request made for its articles.
	Usage Usage `json:"usage"`
	// NextDraft counts the articles already waiting for the issue after
	// this one, when this one is frozen.
	NextDraft int `json:"next_draft,omitempty"`
	// WeekTaken says the open draft cannot be approved now: this week's
	// issue is out, and the draft goes out with next week's.
	WeekTaken bool   `json:"week_taken,omitempty"`
	Markdown  string `json:"markdown"`
	Hashnode  *Post  `json:"hashnode,omitempty"`
}

// Entry is one article of an issue.
type Entry struct {
	SubmissionID   int64    `json:"submission_id"`
	URL            string   `json:"url"`
	SourceTitle    string   `json:"source_title"`
	Title          string   `json:"title"`
	Summary        string   `json:"summary"`
	Introduction   string   `json:"introduction"`
	Recommendation string   `json:"recommendation"`
	Caution        string   `json:"caution"`
	Edited         []string `json:"edited"`
	Excluded       bool     `json:"excluded"`
	Position       int      `json:"position"`
	State          string   `json:"state"`
	SubmittedBy    string   `json:"submitted_by,omitempty"`
	Note           string   `json:"note,omitempty"`
	Model          string   `json:"model"`
	// ModelText holds the model's own text of the edited fields, so that
	// an editor sees what they replaced.
	ModelText map[string]string `json:"model_text,omitempty"`
}

// Submission is a submission left out of an issue, with why.
type Submission struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	Reason      string     `json:"reason,omitempty"`
	WaitingFor  string     `json:"waiting_for,omitempty"`
	NextAttempt *time.Time `json:"next_attempt_at,omitempty"`
	DuplicateOf int64      `json:"duplicate_of,omitempty"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	Note        string     `json:"note,omitempty"`
}

// Usage totals Gemini requests and their estimated cost.
type Usage struct {
	Requests     int     `json:"requests"`
	PromptTokens int     `json:"prompt_tokens"`
	OutputTokens int     `json:"output_tokens"`
	CostUSD      float64 `json:"cost_usd"`
}

// Post is an issue's post on Hashnode.
type Post struct {
	PostID  string `json:"post_id,omitempty"`
	DraftID string `json:"draft_id,omitempty"`
	URL     string `json:"url,omitempty"`
	Pending bool   `json:"pending,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Event is one line of an entry's history.
type Event struct {
	At     time.Time       `json:"at"`
	Kind   string          `json:"kind"`
	Detail string          `json:"detail,omitempty"`
	Edit   json.RawMessage `json:"edit,omitempty"` // for edits: {"field", "from", "to"}
	Actor  string          `json:"actor,omitempty"`
}

// Draft returns the upcoming issue: the oldest issue frozen for review, or
// else the open draft, dated today (see edition.Runner.DraftDate).
func (d *Desk) Draft(ctx context.Context) (Issue, error) {
	if is, ok, err := d.store.ReviewIssue(ctx); err != nil {
		return Issue{}, err
	} else if ok {
		return d.Issue(ctx, is.ID)
	}
	shape, err := d.runner.DraftIssue(ctx, d.runner.DraftDate())
	if err != nil {
		return Issue{}, err
	}
	entries, err := d.store.DraftEntries(ctx)
	if err != nil {
		return Issue{}, err
	}
	rejected, err := d.store.Rejected(ctx, 0)
	if err != nil {
		return Issue{}, err
	}
	usage, err := d.store.IssueUsage(ctx, 0)
	if err != nil {
		return Issue{}, err
	}
	v := d.view(shape, "draft", entries, rejected, usage)
	if err := d.addPending(ctx, &v); err != nil {
		return Issue{}, err
	}
	_, taken, err := d.store.IssueForWeek(ctx, shape.Week)
	if err != nil {
		return Issue{}, err
	}
	v.WeekTaken = taken
	return v, nil
}

// Issue returns issue id as editors see it.
func (d *Desk) Issue(ctx context.Context, id int64) (Issue, error) {
	is, err := d.store.Issue(ctx, id)
	if err != nil {
		return Issue{}, err
	}
	entries, err := d.store.IssueEntries(ctx, id)
	if err != nil {
		return Issue{}, err
	}
	rejected, err := d.store.Rejected(ctx, id)
	if err != nil {
		return Issue{}, err
	}
	usage, err := d.store.IssueUsage(ctx, id)
	if err != nil {
		return Issue{}, err
	}
	v := d.view(is, string(is.State), entries, rejected, usage)
	if is.State == store.IssueReview {
		if err := d.addPending(ctx, &v); err != nil {
			return Issue{}, err
		}
		next, err := d.store.DraftEntries(ctx)
		if err != nil {
			return Issue{}, err
		}
		v.NextDraft = len(next)
	}
	if is.State != store.IssueReview {
		v.Markdown = string(is.Content) // what was published, byte for byte
	}
	return v, nil
}

// Issues lists every issue, the latest first, without entries.
func (d *Desk) Issues(ctx context.Context) ([]Issue, error) {
	all, err := d.store.Issues(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Issue, 0, len(all))
	for _, is := range all {
		v := Issue{ID: is.ID, State: string(is.State), Week: is.Week, Title: is.Title, Slug: is.Slug,
			CUID: is.CUID, Date: is.Date.In(d.runner.Location()), Location: is.Location, ApprovedBy: is.ApprovedBy,
			Entries: []Entry{}, Failed: []Submission{}, Pending: []Submission{}}
		setTimes(&v, is)
		out = append(out, v)
	}
	return out, nil
}

// History returns the history of a submission, oldest first.
func (d *Desk) History(ctx context.Context, id int64) ([]Event, error) {
	if _, err := d.store.Submission(ctx, id); err != nil {
		return nil, err
	}
	events, err := d.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(events))
	for _, e := range events {
		ev := Event{At: e.At, Kind: string(e.Kind), Actor: e.Actor}
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
func (d *Desk) Entry(ctx context.Context, id int64) (Entry, error) {
	e, err := d.store.Entry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	return d.entryView(ctx, e)
}

// Article returns the extracted text of submission id, for checking a
// claim against the source.
func (d *Desk) Article(ctx context.Context, id int64) (store.Article, error) {
	a, ok, err := d.store.Article(ctx, id)
	if err != nil {
		return store.Article{}, err
	}
	if !ok {
		return store.Article{}, ErrNotFound
	}
	return a, nil
}

func (d *Desk) view(is store.Issue, state string, entries []store.Entry, rejected []store.Submission, u store.Usage) Issue {
	v := Issue{ID: is.ID, State: state, Week: is.Week, Title: is.Title, Slug: is.Slug, CUID: is.CUID,
		Date: is.Date.In(d.runner.Location()), Location: is.Location, KeptCopy: is.KeptCopy, ApprovedBy: is.ApprovedBy, Intro: is.Intro,
		Entries: make([]Entry, 0, len(entries)), Failed: []Submission{}, Pending: []Submission{},
		Usage:    Usage{Requests: u.Requests, PromptTokens: u.PromptTokens, OutputTokens: u.OutputTokens, CostUSD: u.CostUSD},
		Markdown: string(d.runner.Preview(store.Snapshot{Issue: is, Entries: entries}))}
	setTimes(&v, is)
	for i, e := range entries {
		ev := toEntry(e)
		ev.Position = i + 1
		v.Entries = append(v.Entries, ev)
	}
	for _, s := range rejected {
		v.Failed = append(v.Failed, toSubmission(s))
	}
	if h := is.Hashnode; h.PostID != "" || h.DraftID != "" || h.Error != "" || !h.PendingSince.IsZero() {
		v.Hashnode = &Post{PostID: h.PostID, DraftID: h.DraftID, URL: h.URL, Pending: !h.PendingSince.IsZero(), Error: h.Error}
	}
	return v
}

func setTimes(v *Issue, is store.Issue) {
	if !is.PublishAt.IsZero() && is.State == store.IssueReview {
		t := is.PublishAt
		v.PublishAt = &t
	}
	if !is.PublishedAt.IsZero() {
		t := is.PublishedAt
		v.PublishedAt = &t
	}
}

// addPending lists the submissions still on their way to the next issue.
func (d *Desk) addPending(ctx context.Context, v *Issue) error {
	pending, err := d.store.Submissions(ctx, store.Filter{States: []store.State{store.StateNew, store.StateProcessing}})
	if err != nil {
		return err
	}
	for i := len(pending) - 1; i >= 0; i-- {
		v.Pending = append(v.Pending, toSubmission(pending[i]))
	}
	return nil
}

func (d *Desk) entryView(ctx context.Context, e store.Entry) (Entry, error) {
	v := toEntry(e)
	if e.Submission.IssueID == 0 {
		entries, err := d.store.DraftEntries(ctx)
		if err != nil {
			return Entry{}, err
		}
		v.Position = positionOf(entries, e.Submission.ID)
	} else {
		entries, err := d.store.IssueEntries(ctx, e.Submission.IssueID)
		if err != nil {
			return Entry{}, err
		}
		v.Position = positionOf(entries, e.Submission.ID)
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

func toEntry(e store.Entry) Entry {
	eff := e.Effective()
	v := Entry{SubmissionID: e.Submission.ID, URL: e.Article.CanonicalURL, SourceTitle: e.Article.Title,
		Title: eff.TitleKo, Summary: eff.Summary, Introduction: eff.Introduction,
		Recommendation: eff.Recommendation, Caution: eff.Caution, Edited: []string{},
		Excluded: e.Submission.Excluded, State: string(e.Submission.State),
		SubmittedBy: e.Submission.SubmittedBy, Note: e.Submission.Note, Model: e.Summary.Model}
	for _, f := range e.Edited() {
		v.Edited = append(v.Edited, string(f))
		if v.ModelText == nil {
			v.ModelText = map[string]string{}
		}
		v.ModelText[string(f)] = e.Summary.Get(f)
	}
	return v
}

func toSubmission(s store.Submission) Submission {
	v := Submission{ID: s.ID, URL: s.URL, State: string(s.State), Attempts: s.Attempts, Reason: s.LastError,
		WaitingFor: s.WaitingFor, DuplicateOf: s.DuplicateOf, SubmittedBy: s.SubmittedBy, Note: s.Note}
	if !s.NextAttemptAt.IsZero() {
		t := s.NextAttemptAt
		v.NextAttempt = &t
	}
	return v
}
