// Package api holds the types of the editors' and members' JSON API: what
// the desk returns, the server encodes and the command-line client
// decodes. It holds types only, and imports nothing of the service but
// the names of an entry's fields (package entry).
package api

import (
	"encoding/json"
	"time"

	"github.com/godevcommunity/newsletter/entry"
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
	// Failed and Pending are the submissions left out, with why. Pending
	// holds the oldest of those still on their way, at most a page (see
	// desk.PageSize); PendingTotal counts them all.
	Failed       []Submission `json:"failed"`
	Pending      []Submission `json:"pending"`
	PendingTotal int          `json:"pending_total"`
	// Usage is every Gemini request made for its articles.
	Usage Usage `json:"usage"`
	// NextDraft counts the articles already waiting for the issue after
	// this one, when this one is frozen.
	NextDraft int `json:"next_draft,omitempty"`
	// WeekTaken says this week's issue is out: the open draft is next
	// week's issue, its week, date, title and slug next week's (the date
	// the scheduled run that freezes it gives it), and it cannot be
	// approved now.
	WeekTaken bool `json:"week_taken,omitempty"`
	// Publishable says whether the upcoming issue can be published now;
	// when it cannot, Refusal is what publishing it would answer, and why.
	// Only the upcoming issue (GET /api/v1/issues/draft) carries them.
	Publishable bool       `json:"publishable"`
	Refusal     *ErrorBody `json:"refusal,omitempty"`
	Markdown    string     `json:"markdown"`
	Hashnode    *Post      `json:"hashnode,omitempty"`
	// Listmonk is its email campaign on listmonk, once there is one.
	Listmonk *Campaign `json:"listmonk,omitempty"`
	// Deliveries are what its publications owe the outlets, oldest first.
	Deliveries []Delivery `json:"deliveries,omitempty"`
	// ContentHash, ContentAt and UpdatedAt are a published issue's: the
	// hash of its markdown, when a publication last changed it, and when
	// the issue last changed at all.
	ContentHash string     `json:"content_hash,omitempty"`
	ContentAt   *time.Time `json:"content_at,omitempty"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty"`
}

// The fields of an entry an editor writes, by their JSON names: the names
// package entry defines.
const (
	FieldTitle          = string(entry.Title)
	FieldSummary        = string(entry.Summary)
	FieldIntroduction   = string(entry.Introduction)
	FieldRecommendation = string(entry.Recommendation)
	FieldCaution        = string(entry.Caution)
)

// Fields are the five fields of an entry, in the order they are shown.
var Fields = func() []string {
	out := make([]string, len(entry.Fields))
	for i, f := range entry.Fields {
		out[i] = string(f)
	}
	return out
}()

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
	// IssueID, IssueTitle and IssueState are the issue the entry is in;
	// absent for the open draft.
	IssueID    int64  `json:"issue_id,omitempty"`
	IssueTitle string `json:"issue_title,omitempty"`
	IssueState string `json:"issue_state,omitempty"`
	// Changed, for an entry of a published issue, are the kinds of the
	// editors' changes since the issue was last published (edited,
	// reverted, regenerated, restored, excluded, included, moved): it
	// needs publishing again.
	Changed []string `json:"changed_since_published,omitempty"`
}

// Field returns the text of field name ("title", "summary", ...), "" for
// a name that is not one of the five.
func (e Entry) Field(name string) string {
	switch name {
	case FieldTitle:
		return e.Title
	case FieldSummary:
		return e.Summary
	case FieldIntroduction:
		return e.Introduction
	case FieldRecommendation:
		return e.Recommendation
	case FieldCaution:
		return e.Caution
	}
	return ""
}

// Submission is a submitted link and where it is on its way.
type Submission struct {
	ID            int64      `json:"id"`
	URL           string     `json:"url"`
	CanonicalURL  string     `json:"canonical_url"`
	SubmittedBy   string     `json:"submitted_by"`
	Note          string     `json:"note"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	WaitingFor    string     `json:"waiting_for,omitempty"`
	DuplicateOf   int64      `json:"duplicate_of,omitempty"`
	IssueID       int64      `json:"issue_id,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	// Requeued is set on the answer to a submission of a URL that had
	// failed: it is queued again.
	Requeued bool `json:"requeued,omitempty"`
	// Existing is set on the answer to a submission of a URL already
	// submitted: nothing was added.
	Existing bool `json:"existing,omitempty"`
	// Deletable says that deleting it would withdraw it: it is queued, in
	// no issue or in the one waiting for review.
	Deletable bool `json:"deletable"`
}

// SubmissionQuery asks for a page of submissions, as GET
// /api/v1/submissions and the desk's submissions page take it: the states
// (comma-separated, "" for all), how many ("" for the default), and the
// page: below the id Before, or above the id After ("" for the newest).
type SubmissionQuery struct {
	State, Limit, Before, After string
	// Search keeps the submissions whose address, submitter or note
	// holds it.
	Search string
}

// SubmissionPage is a page of submissions, newest first.
type SubmissionPage struct {
	Submissions []Submission `json:"submissions"`
	// Total counts the submissions of the states asked for.
	Total int `json:"total"`
	// Older, when not 0, asks for the next page of older ones (as
	// before=Older); Newer for the page of newer ones (as after=Newer).
	Older int64 `json:"older,omitempty"`
	Newer int64 `json:"newer,omitempty"`
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

// Delivery is one thing a publication owes an outlet (the Hashnode post,
// a chat's message) and where it is: pending (NextAttemptAt says when it
// is tried), sending, done or failed (an editor may send it again).
type Delivery struct {
	ID            int64      `json:"id"`
	Outlet        string     `json:"outlet"`
	Kind          string     `json:"kind"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	DoneAt        *time.Time `json:"done_at,omitempty"`
}

// Event is one line of an entry's history.
type Event struct {
	At     time.Time       `json:"at"`
	Kind   string          `json:"kind"`
	Detail string          `json:"detail,omitempty"`
	Edit   json.RawMessage `json:"edit,omitempty"` // for edits: {"field", "from", "to"}
	Actor  string          `json:"actor,omitempty"`
}

// Version is one text a field of an entry has had: the model's (of the
// first summary or of a regeneration) or an editor's.
type Version struct {
	ID     int64  `json:"id"`
	Field  string `json:"field"`
	Text   string `json:"text"`
	Source string `json:"source"` // "model" or "edit"
	Actor  string `json:"actor,omitempty"`
	// Instruction is the instruction of the regeneration that wrote it.
	Instruction string    `json:"instruction,omitempty"`
	At          time.Time `json:"at"`
	// Current says the field holds this text now.
	Current bool `json:"current"`
}

// Article is the extracted text of a submission, for checking a claim
// against the source.
type Article struct {
	SubmissionID int64  `json:"submission_id"`
	URL          string `json:"url"`
	Title        string `json:"title"`
	SiteName     string `json:"site_name"`
	Author       string `json:"author,omitempty"`
	Text         string `json:"text"`
	WordCount    int    `json:"word_count"`
}

// Run is an issue run; Report is the pipeline's report, verbatim.
type Run struct {
	ID           int64           `json:"id"`
	Kind         string          `json:"kind"`
	State        string          `json:"state"`
	ScheduledFor time.Time       `json:"scheduled_for"`
	StartedAt    time.Time       `json:"started_at"`
	FinishedAt   *time.Time      `json:"finished_at,omitempty"`
	IssueID      int64           `json:"issue_id,omitempty"`
	Error        string          `json:"error,omitempty"`
	Report       json.RawMessage `json:"report,omitempty"`
}

// Dependency is a dependency every article needs, up or paused; a paused
// one says since when, until when, when it is probed next, and why.
type Dependency struct {
	Dependency string    `json:"dependency"`
	Up         bool      `json:"up"`
	Since      time.Time `json:"since,omitzero"`
	Until      time.Time `json:"until,omitzero"`
	NextProbe  time.Time `json:"next_probe,omitzero"`
	Reason     string    `json:"reason,omitempty"`
}

// Status is what an operator asks first when nothing seems to happen.
type Status struct {
	Version      string       `json:"version"`
	Dependencies []Dependency `json:"dependencies"`
	// Submissions counts submissions by state; Waiting counts those in
	// state new that wait for a dependency, by dependency.
	Submissions map[string]int `json:"submissions"`
	Waiting     map[string]int `json:"waiting"`
	LastRun     *Run           `json:"last_run,omitempty"`
	NextRun     *time.Time     `json:"next_run,omitempty"`
	// Mode is schedule.mode (review or auto); PublishAfter, in review
	// mode, how long an issue in review waits for an editor before it
	// publishes on its own (0: it waits).
	Mode         string        `json:"mode"`
	PublishAfter time.Duration `json:"publish_after_ns,omitempty"`
	// Sources are the configured sources of suggestions and their polls.
	Sources []SourceStatus `json:"sources,omitempty"`
	// Outlets are the outbox's deliveries by outlet (hashnode, listmonk,
	// chat), each with its latest.
	Outlets []OutletStatus `json:"outlets,omitempty"`
}

// OutletStatus is how an outlet is doing: its deliveries by state and the
// latest one's state and reason.
type OutletStatus struct {
	Outlet      string         `json:"outlet"`
	Counts      map[string]int `json:"counts"`
	LatestState string         `json:"latest_state"`
	LatestKind  string         `json:"latest_kind"`
	LatestError string         `json:"latest_error,omitempty"`
}

// States are the states of a submission, in the order of its journey.
var States = []string{"new", "processing", "summarized", "failed", "duplicate", "published", "deleted"}

// Outlets are where publishing sends an issue besides the desk's own
// Issues page.
type Outlets struct {
	// Dir is publisher.dir, where the issue's markdown file is written.
	Dir string `json:"dir"`
	// Hashnode is the mode of the Hashnode publication ("draft" or
	// "publish"), "" when none is configured.
	Hashnode string `json:"hashnode,omitempty"`
	// Chats counts the chat webhooks told of a publication.
	Chats int `json:"chats"`
	// HashnodeNewsletter: the first publication emails the Hashnode
	// publication's newsletter subscribers.
	HashnodeNewsletter bool `json:"hashnode_newsletter,omitempty"`
	// Listmonk is the mode of the listmonk campaigns ("draft", "schedule"
	// or "send"), "" when none is configured; Lists are its lists with
	// their subscriber counts as listmonk tells them (ListsError says why
	// it did not).
	Listmonk   string        `json:"listmonk,omitempty"`
	Lists      []MailingList `json:"lists,omitempty"`
	ListsError string        `json:"lists_error,omitempty"`
	// TestRecipients are the editors' addresses a test send goes to.
	TestRecipients []string `json:"test_recipients,omitempty"`
}

// MailingList is a listmonk list an issue's campaign goes to.
type MailingList struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Subscribers int    `json:"subscribers"`
}

// Campaign is an issue's email campaign on listmonk as last known.
type Campaign struct {
	CampaignID int        `json:"campaign_id,omitempty"`
	Status     string     `json:"status,omitempty"` // listmonk's: draft, scheduled, running, finished, …
	SendAt     *time.Time `json:"send_at,omitempty"`
	// Note says what a correction did not do: it came after the campaign
	// was sent.
	Note string `json:"note,omitempty"`
	// Error is why the publication's last attempt failed.
	Error    string     `json:"error,omitempty"`
	TestedAt *time.Time `json:"tested_at,omitempty"` // the last test send that went
	TestedTo string     `json:"tested_to,omitempty"`
	// TestError is why the last test send failed, apart from Error: a
	// test never sets or clears the publication's outcome.
	TestError string `json:"test_error,omitempty"`
}

// TestSend is how a test send of an issue went, one result per outlet.
type TestSend struct {
	IssueID int64        `json:"issue_id"`
	Results []TestResult `json:"results"`
}

// TestResult is a test send to one outlet: "done", or "failed" (or
// "pending": tried again later) with the reason.
type TestResult struct {
	Outlet string   `json:"outlet"`
	State  string   `json:"state"`
	Error  string   `json:"error,omitempty"`
	Link   string   `json:"link,omitempty"` // the Hashnode draft to look at
	To     []string `json:"to,omitempty"`   // the addresses the listmonk test went to
}

// ErrorBody is every error answer of the API.
type ErrorBody struct {
	// Error is one line in English naming the input and the reason.
	Error string `json:"error"`
	// Code says what went wrong for a program: "url_refused",
	// "too_long", "not_found", "busy", "regeneration_refused", ...
	Code string `json:"code,omitempty"`
	// Field names the input at fault ("url", "note", "summary"), when one is.
	Field string `json:"field,omitempty"`
	// Violations are the rules an edit broke, one per field and rule.
	Violations []Violation `json:"violations,omitempty"`
	// RunID names the run in progress on a 409 "busy".
	RunID int64 `json:"run_id,omitempty"`
	// Usage is what a refused regeneration cost: the Gemini requests the
	// attempt made.
	Usage *Usage `json:"usage,omitempty"`
	// IssueID names the issue a link was already published in, on a 409
	// "already_published".
	IssueID int64 `json:"issue_id,omitempty"`
}

// Violation is one rule an edit, or a regenerated answer, broke.
type Violation struct {
	Field  string `json:"field"`
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

// SubmissionRequest is the body of POST /api/v1/submissions.
type SubmissionRequest struct {
	URL         string `json:"url"`
	SubmittedBy string `json:"submitted_by"`
	Note        string `json:"note"`
	// Again includes a link already published in an earlier issue once
	// more, on purpose; without it such a link is refused
	// (already_published), naming the issue.
	Again bool `json:"again,omitempty"`
}

// IntroRequest is the body of PATCH /api/v1/issues/draft.
type IntroRequest struct {
	Intro *string `json:"intro"`
}

// RegenerateRequest is the body of POST /api/v1/submissions/{id}/regenerate.
type RegenerateRequest struct {
	Instruction string `json:"instruction"`
}

// RepublishRequest is the optional body of POST /api/v1/issues/{id}/publish
// (a published issue again, after corrections).
type RepublishRequest struct {
	// Announce tells the chats that the issue was corrected; without it
	// a correction is not announced.
	Announce bool `json:"announce"`
}

// Change is the body of PATCH /api/v1/submissions/{id}/summary: any of
// the five fields (a text edits it, nil reverts it to the model's text),
// excluded and position. On the wire it is one flat object:
// {"summary": "...", "caution": null, "excluded": true, "position": 2}.
type Change struct {
	Fields   map[string]*string
	Excluded *bool
	Position *int
}

// MarshalJSON writes the change as one flat object.
func (c Change) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for f, v := range c.Fields {
		m[f] = v
	}
	if c.Excluded != nil {
		m["excluded"] = *c.Excluded
	}
	if c.Position != nil {
		m["position"] = *c.Position
	}
	return json.Marshal(m)
}

// Bulk actions: one action on several submissions at once.
const (
	BulkExclude = "exclude" // leave each entry out of its issue
	BulkInclude = "include" // take each entry back in
	BulkRetry   = "retry"   // queue each failed submission again
	BulkDelete  = "delete"  // withdraw each queued submission
)

// BulkActions are the actions POST /api/v1/submissions/bulk takes.
var BulkActions = []string{BulkExclude, BulkInclude, BulkRetry, BulkDelete}

// BulkRequest is the body of POST /api/v1/submissions/bulk.
type BulkRequest struct {
	Action string  `json:"action"`
	IDs    []int64 `json:"ids"`
}

// BulkResult is the answer to a bulk action: each submission's outcome,
// in the order asked (a repeated id once), done or refused with why.
type BulkResult struct {
	Action  string     `json:"action"`
	Done    int        `json:"done"`
	Refused int        `json:"refused"`
	Items   []BulkItem `json:"items"`
}

// BulkItem is one submission's outcome; Error says why it was refused.
type BulkItem struct {
	ID    int64      `json:"id"`
	OK    bool       `json:"ok"`
	Error *ErrorBody `json:"error,omitempty"`
}
