package server

import (
	"github.com/godevcommunity/newsletter/urlnorm"

	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
)

// submissionRequest is the body of POST /api/v1/submissions.
type submissionRequest struct {
	URL         string `json:"url"`
	SubmittedBy string `json:"submitted_by"`
	Note        string `json:"note"`
}

// Limits on the free-text fields of a submission, in characters.
const (
	maxSubmittedBy = 100
	maxNote        = 1000
)

// submissionJSON is a submission as the API shows it.
type submissionJSON struct {
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
}

func toSubmissionJSON(s store.Submission) submissionJSON {
	j := submissionJSON{
		ID: s.ID, URL: s.URL, CanonicalURL: s.CanonicalURL, SubmittedBy: s.SubmittedBy, Note: s.Note,
		State: string(s.State), Attempts: s.Attempts, LastError: s.LastError, WaitingFor: s.WaitingFor, DuplicateOf: s.DuplicateOf,
		IssueID: s.IssueID, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
	}
	if !s.NextAttemptAt.IsZero() {
		t := s.NextAttemptAt
		j.NextAttemptAt = &t
	}
	return j
}

func (s *Server) createSubmission(w http.ResponseWriter, r *http.Request) {
	var req submissionRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	n, err := s.validateSubmission(req)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	sub, result, err := s.opts.Store.Submit(r.Context(), n)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	log := s.log.With(zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL))
	w.Header().Set("Location", "/api/v1/submissions/"+strconv.FormatInt(sub.ID, 10))
	switch result {
	case store.Requeued:
		if s.opts.Notify != nil {
			s.opts.Notify()
		}
		log.Info("submission had failed; queued again", zap.String("submitted_by", n.SubmittedBy))
		j := toSubmissionJSON(sub)
		j.Requeued = true
		writeJSON(w, http.StatusOK, j)
		return
	case store.Existing:
		log.Info("submission repeats a queued one", zap.String("state", string(sub.State)))
		writeJSON(w, http.StatusOK, toSubmissionJSON(sub))
		return
	}
	log.Info("submission received", zap.String("submitted_by", sub.SubmittedBy))
	if s.opts.Notify != nil {
		s.opts.Notify()
	}
	writeJSON(w, http.StatusCreated, toSubmissionJSON(sub))
}

// validateSubmission checks a request and normalises its URL. Refused URLs
// (bad syntax, not http(s), private or loopback literal addresses) are
// rejected here without any traffic to them.
func (s *Server) validateSubmission(req submissionRequest) (store.NewSubmission, error) {
	raw := strings.TrimSpace(req.URL)
	if raw == "" {
		return store.NewSubmission{}, badRequest(`field "url" is required`)
	}
	if err := fetcher.CheckURL(raw, s.opts.Fetcher); err != nil {
		return store.NewSubmission{}, badRequest("url: %s", strings.TrimPrefix(err.Error(), "fetcher: "))
	}
	u, err := urlnorm.Normalize(raw)
	if err != nil {
		return store.NewSubmission{}, badRequest("url: %s", strings.TrimPrefix(err.Error(), "fetcher: "))
	}
	by, note := strings.TrimSpace(req.SubmittedBy), strings.TrimSpace(req.Note)
	for _, f := range []struct {
		name, value string
		max         int
	}{{"submitted_by", by, maxSubmittedBy}, {"note", note, maxNote}} {
		if !utf8.ValidString(f.value) {
			return store.NewSubmission{}, badRequest("field %q is not valid UTF-8", f.name)
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return store.NewSubmission{}, badRequest("field %q is %d characters long; the limit is %d", f.name, n, f.max)
		}
	}
	return store.NewSubmission{URL: u, SubmittedBy: by, Note: note}, nil
}

// Limits on GET /api/v1/submissions.
const (
	defaultListLimit = 100
	maxListLimit     = 1000
)

func (s *Server) listSubmissions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.Filter{Limit: defaultListLimit}
	if v := q.Get("state"); v != "" {
		for st := range strings.SplitSeq(v, ",") {
			st := store.State(strings.TrimSpace(st))
			if !st.Valid() {
				writeError(w, http.StatusBadRequest, "unknown state %q; want one of %s", st, stateNames())
				return
			}
			f.States = append(f.States, st)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListLimit {
			writeError(w, http.StatusBadRequest, "limit must be a number from 1 to %d, not %q", maxListLimit, v)
			return
		}
		f.Limit = n
	}
	subs, err := s.opts.Store.Submissions(r.Context(), f)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := struct {
		Submissions []submissionJSON `json:"submissions"`
	}{Submissions: make([]submissionJSON, 0, len(subs))}
	for _, sub := range subs {
		out.Submissions = append(out.Submissions, toSubmissionJSON(sub))
	}
	writeJSON(w, http.StatusOK, out)
}

func stateNames() string {
	names := make([]string, len(store.States))
	for i, st := range store.States {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

func (s *Server) getSubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sub, err := s.opts.Store.Submission(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "submission %d not found", id)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSubmissionJSON(sub))
}

func (s *Server) deleteSubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sub, err := s.opts.Store.DeleteSubmission(r.Context(), id, actor(r))
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "submission %d not found", id)
		return
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "submission %d cannot be deleted: it is in a published issue", id)
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	s.log.Info("submission deleted", zap.Int64("submission_id", id))
	writeJSON(w, http.StatusOK, toSubmissionJSON(sub))
}

// retrySubmission queues a failed submission again with its attempts
// reset; its earlier reason stays in its history.
func (s *Server) retrySubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sub, err := s.opts.Store.Requeue(r.Context(), id, actor(r))
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "submission %d not found", id)
		return
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "submission %d cannot be retried: %s", id, conflictReason(err))
		return
	case err != nil:
		s.internalError(w, r, err)
		return
	}
	if s.opts.Notify != nil {
		s.opts.Notify()
	}
	s.log.Info("submission queued again", zap.Int64("submission_id", id), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, toSubmissionJSON(sub))
}

// conflictReason is the part of a store conflict after "conflict: ".
func conflictReason(err error) string {
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, store.ErrConflict.Error()+": "); ok {
		return after
	}
	return msg
}

// pathID parses the {id} path value, answering 400 when it is not a
// positive integer.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, "id must be a positive integer, not %q", v)
		return 0, false
	}
	return id, true
}

// internalError logs err and answers 500 without details.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	writeError(w, http.StatusInternalServerError, "internal error; see the server log")
}
