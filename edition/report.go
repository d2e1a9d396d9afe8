package edition

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Report is what an issue run did; it is stored with the run as JSON and
// shown by the API and `newsletter run`.
type Report struct {
	RunID        int64     `json:"run_id"`
	Kind         string    `json:"kind"`
	State        string    `json:"state"`
	ScheduledFor time.Time `json:"scheduled_for"`
	StartedAt    time.Time `json:"started_at"`
	FinishedAt   time.Time `json:"finished_at"`
	// Issue is the issue published or updated; nil when nothing was.
	Issue *IssueReport `json:"issue,omitempty"`
	// Note says why nothing was published, e.g. an empty week.
	Note string `json:"note,omitempty"`
	// Articles are the articles in the issue, in issue order.
	Articles []ArticleReport `json:"articles"`
	// Failed are submissions that failed for good; never in the issue.
	Failed []RejectedReport `json:"failed"`
	// Duplicates repeat an earlier submission; never in the issue twice.
	Duplicates []RejectedReport `json:"duplicates"`
	// Pending were not summarised in time: waiting for a retry, or still
	// being processed at the run deadline. They stay for the next run.
	Pending []RejectedReport `json:"pending"`
	// Returned counts the articles a stop cut short: they went back to
	// the queue unfinished, are not counted as processed, and wait in
	// Pending for the next run.
	Returned int `json:"returned,omitempty"`
	// Usage is what the articles processed during this run used.
	Usage UsageReport `json:"usage"`
	// IssueUsage is every Gemini request made for the issue's articles,
	// by the worker during the week, runs, corrections, regenerations and
	// failures alike: what the issue cost.
	IssueUsage UsageReport `json:"issue_usage"`
	Error      string      `json:"error,omitempty"`
}

// IssueReport names the issue a run froze or published.
type IssueReport struct {
	ID    int64  `json:"id"`
	Week  string `json:"week"`
	Title string `json:"title"`
	Slug  string `json:"slug"`
	// State is review (frozen, waiting for an editor) or published.
	State    string `json:"state"`
	Location string `json:"location,omitempty"`
	// KeptCopy is where a copy of the file changed by hand was kept.
	KeptCopy string `json:"kept_copy,omitempty"`
	// PublishAt is when an issue in review publishes on its own.
	PublishAt time.Time `json:"publish_at,omitzero"`
	// Updated is true when the run rewrote an issue published before.
	Updated bool `json:"updated"`
}

// ArticleReport is one article of the issue.
type ArticleReport struct {
	SubmissionID int64  `json:"submission_id"`
	URL          string `json:"url"`
	Title        string `json:"title"`
}

// RejectedReport is a submission left out of the issue, and why.
type RejectedReport struct {
	SubmissionID int64  `json:"submission_id"`
	URL          string `json:"url"`
	State        string `json:"state"`
	Error        string `json:"error,omitempty"`
	Attempts     int    `json:"attempts"`
	DuplicateOf  int64  `json:"duplicate_of,omitempty"`
}

// UsageReport totals Gemini usage and its estimated cost.
type UsageReport struct {
	Articles     int     `json:"articles"` // processed during the run
	Requests     int     `json:"requests"`
	PromptTokens int     `json:"prompt_tokens"`
	OutputTokens int     `json:"output_tokens"`
	CostUSD      float64 `json:"cost_usd"`
}

// reportPending lists the submissions still waiting (for a retry, a
// dependency, or the run's deadline): they stay for the next issue.
func (r *Runner) reportPending(ctx context.Context, rep *Report) error {
	pending, err := r.env.Store.Submissions(ctx, store.Filter{States: []store.State{store.StateNew, store.StateProcessing}})
	if err != nil {
		return err
	}
	for _, s := range slices.Backward(pending) {
		rep.Pending = append(rep.Pending, rejected(s))
	}
	return nil
}

// reportRejected lists the failed and duplicate submissions of issue
// issueID (0: those in no issue).
func (r *Runner) reportRejected(ctx context.Context, rep *Report, issueID int64) error {
	rejects, err := r.env.Store.Rejected(ctx, issueID)
	if err != nil {
		return err
	}
	for _, s := range rejects {
		if s.State == store.StateDuplicate {
			rep.Duplicates = append(rep.Duplicates, rejected(s))
		} else {
			rep.Failed = append(rep.Failed, rejected(s))
		}
	}
	return nil
}

// reportIssue fills the report's issue, its articles and its usage.
func (r *Runner) reportIssue(ctx context.Context, rep *Report, is store.Issue, updated bool, log *zap.Logger) {
	rep.Issue = &IssueReport{ID: is.ID, Week: is.Week, Title: is.Title, Slug: is.Slug, State: string(is.State),
		Location: is.Location, KeptCopy: is.KeptCopy, PublishAt: is.PublishAt, Updated: updated}
	entries, err := r.env.Store.IssueEntries(ctx, is.ID)
	if err != nil {
		log.Error("listing the issue's articles failed", zap.Error(err))
	}
	for _, e := range entries {
		if !e.Submission.Excluded {
			rep.Articles = append(rep.Articles, ArticleReport{SubmissionID: e.Submission.ID,
				URL: e.Article.CanonicalURL, Title: e.Effective().TitleKo})
		}
	}
	if u, err := r.env.Store.IssueUsage(ctx, is.ID); err == nil {
		rep.IssueUsage = UsageReport{Requests: u.Requests, PromptTokens: u.PromptTokens, OutputTokens: u.OutputTokens, CostUSD: u.CostUSD}
	} else {
		log.Error("totalling the issue's Gemini usage failed", zap.Error(err))
	}
}

func rejected(s store.Submission) RejectedReport {
	return RejectedReport{SubmissionID: s.ID, URL: s.URL, State: string(s.State), Error: s.LastError,
		Attempts: s.Attempts, DuplicateOf: s.DuplicateOf}
}

// WriteText writes the report for a terminal, its times in their own
// location (In the schedule's first, to print them as the desk does).
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "run %d (%s): %s in %s\n", r.RunID, r.Kind, r.State,
		r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond))
	switch {
	case r.State == string(store.RunInterrupted):
		b.WriteString("interrupted by a stop: ")
		if r.Issue == nil {
			b.WriteString("nothing published; ")
		}
		fmt.Fprintf(&b, "%s back in the queue for the next run", plural(len(r.Pending), "article"))
		if r.Returned > 0 {
			fmt.Fprintf(&b, " (%d of them cut short)", r.Returned)
		}
		b.WriteString("\n")
	case r.Error != "":
		fmt.Fprintf(&b, "error: %s\n", r.Error)
	}
	if r.Issue != nil {
		switch {
		case r.Issue.State == string(store.IssueReview) && r.Issue.PublishAt.IsZero():
			fmt.Fprintf(&b, "issue ready for review: %q (%s); it waits for an editor\n", r.Issue.Title, r.Issue.Week)
		case r.Issue.State == string(store.IssueReview):
			fmt.Fprintf(&b, "issue ready for review: %q (%s); it publishes on its own at %s\n", r.Issue.Title, r.Issue.Week,
				r.Issue.PublishAt.Format("2006-01-02 15:04 MST"))
		case r.Issue.Updated:
			fmt.Fprintf(&b, "issue updated: %q (%s) → %s\n", r.Issue.Title, r.Issue.Week, r.Issue.Location)
		default:
			fmt.Fprintf(&b, "issue published: %q (%s) → %s\n", r.Issue.Title, r.Issue.Week, r.Issue.Location)
		}
		if r.Issue.KeptCopy != "" {
			fmt.Fprintf(&b, "the file had been changed by hand: that copy is kept at %s\n", r.Issue.KeptCopy)
		}
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "note: %s\n", r.Note)
	}
	section := func(title string, n int) {
		if n > 0 {
			fmt.Fprintf(&b, "%s (%d):\n", title, n)
		}
	}
	section("articles", len(r.Articles))
	for _, a := range r.Articles {
		fmt.Fprintf(&b, "  #%d %s\n      %s\n", a.SubmissionID, a.Title, a.URL)
	}
	for _, g := range []struct {
		title string
		list  []RejectedReport
	}{{"failed", r.Failed}, {"duplicates", r.Duplicates}, {"pending", r.Pending}} {
		section(g.title, len(g.list))
		for _, s := range g.list {
			fmt.Fprintf(&b, "  #%d %s\n", s.SubmissionID, s.URL)
			switch {
			case s.DuplicateOf != 0:
				fmt.Fprintf(&b, "      duplicate of #%d\n", s.DuplicateOf)
			case s.Error != "":
				fmt.Fprintf(&b, "      %s (attempts: %d)\n", s.Error, s.Attempts)
			}
		}
	}
	u := r.Usage
	fmt.Fprintf(&b, "gemini: %s processed, %s, %d prompt + %d output tokens, about $%.4f\n",
		plural(u.Articles, "article"), plural(u.Requests, "request"), u.PromptTokens, u.OutputTokens, u.CostUSD)
	if r.Issue != nil {
		iu := r.IssueUsage
		fmt.Fprintf(&b, "the issue's articles, all week: %s, %d prompt + %d output tokens, about $%.4f\n",
			plural(iu.Requests, "request"), iu.PromptTokens, iu.OutputTokens, iu.CostUSD)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (u *UsageReport) add(v summarizer.Usage) {
	u.Requests += v.Requests
	u.PromptTokens += v.PromptTokens
	u.OutputTokens += v.OutputTokens
	u.CostUSD += v.CostUSD
}

// plural is "1 article" or "3 articles".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
