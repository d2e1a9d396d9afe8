package api

import "time"

// Candidate is an article a configured source offered, ranked for the
// editors (GET /api/v1/suggestions).
type Candidate struct {
	ID      int64  `json:"id"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Snippet string `json:"snippet,omitempty"`
	// Sources are the names of the sources that offered it.
	Sources    []string `json:"sources"`
	Points     int      `json:"points,omitempty"`
	Comments   int      `json:"comments,omitempty"`
	Discussion string   `json:"discussion,omitempty"`
	// PublishedAt is when the source says it was published (zero when it
	// does not); SeenAt when it was first offered.
	PublishedAt time.Time `json:"published_at,omitzero"`
	SeenAt      time.Time `json:"seen_at"`
	// Score ranks it (source weight × engagement × recency) and Reasons
	// say why, in Korean ("HN 312점 · 3개 출처").
	Score   float64 `json:"score"`
	Reasons string  `json:"reasons,omitempty"`
	// State is new, accepted, dismissed, duplicate or expired;
	// SubmissionID the submission an accepted one became.
	State        string `json:"state"`
	SubmissionID int64  `json:"submission_id,omitempty"`
}

// Since is when the candidate's story began: its publication, when the
// source says and says no later than it was first seen; else when it was
// first seen.
func (c Candidate) Since() time.Time {
	if c.PublishedAt.IsZero() || c.PublishedAt.After(c.SeenAt) {
		return c.SeenAt
	}
	return c.PublishedAt
}

// SourceStatus is what a configured source's polls have said.
type SourceStatus struct {
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	URL        string    `json:"url"`
	LastPollAt time.Time `json:"last_poll_at,omitzero"`
	LastOKAt   time.Time `json:"last_ok_at,omitzero"`
	NextPollAt time.Time `json:"next_poll_at,omitzero"`
	// Failures in a row, and the last one's reason.
	Failures  int    `json:"failures,omitempty"`
	LastError string `json:"last_error,omitempty"`
	// Candidates it offers now (new ones).
	Candidates int `json:"candidates"`
}

// Suggestions are the candidates offered now, the best first, with the
// sources (GET /api/v1/suggestions?source=NAME).
type Suggestions struct {
	// Candidates are the best ones, at most a page (100); Total counts
	// them all.
	Candidates []Candidate    `json:"candidates"`
	Total      int            `json:"total"`
	Sources    []SourceStatus `json:"sources"`
	// Source is the filter asked for, "" for every source.
	Source string `json:"source,omitempty"`
}

// DecisionRequest is the body of POST /api/v1/suggestions/accept and
// /dismiss: the candidates' ids.
type DecisionRequest struct {
	IDs []int64 `json:"ids"`
}

// Decisions say what became of each candidate of a DecisionRequest: those
// decided (an accepted one with its submission) and those refused, each
// with its reason.
type Decisions struct {
	Done    []Candidate `json:"done"`
	Refused []Refusal   `json:"refused,omitempty"`
}

// Refusal is one candidate a bulk decision could not decide, and why (as
// the error body of a single one).
type Refusal struct {
	ID int64 `json:"id"`
	ErrorBody
	// Korean is the reason as the desk shows it.
	Korean string `json:"korean,omitempty"`
}
