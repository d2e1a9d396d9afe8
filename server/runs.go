package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/godevcommunity/newsletter/store"
)

// runJSON is an issue run as the API shows it; Report is the pipeline's
// report, verbatim.
type runJSON struct {
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

func toRunJSON(r store.Run) runJSON {
	j := runJSON{ID: r.ID, Kind: string(r.Kind), State: string(r.State), ScheduledFor: r.ScheduledFor,
		StartedAt: r.StartedAt, IssueID: r.IssueID, Error: r.Error}
	if !r.FinishedAt.IsZero() {
		t := r.FinishedAt
		j.FinishedAt = &t
	}
	if len(r.Report) > 0 && string(r.Report) != "{}" && json.Valid(r.Report) {
		j.Report = r.Report
	}
	return j
}

// runningError is what a Runner returns when a run is already in progress.
type runningError interface {
	error
	RunningID() int64
}

func (s *Server) startRun(w http.ResponseWriter, r *http.Request) {
	if s.opts.Runner == nil {
		writeError(w, http.StatusServiceUnavailable, "this server does not run issues")
		return
	}
	id, err := s.opts.Runner.StartRun(r.Context())
	var busy runningError
	if errors.As(err, &busy) {
		if busy.RunningID() != 0 {
			w.Header().Set("Location", "/api/v1/runs/"+strconv.FormatInt(busy.RunningID(), 10))
		}
		logReason(w, busy.Error())
		writeJSON(w, http.StatusConflict, errorBody{Error: busy.Error(), RunID: busy.RunningID()})
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	run, err := s.opts.Store.Run(r.Context(), id)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/runs/"+strconv.FormatInt(id, 10))
	writeJSON(w, http.StatusAccepted, toRunJSON(run))
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	run, err := s.opts.Store.Run(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "run %d not found", id)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRunJSON(run))
}

func (s *Server) latestIssue(w http.ResponseWriter, r *http.Request) {
	is, err := s.opts.Store.LatestIssue(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no issue has been published yet")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Issue-Slug", is.Slug)
	w.Header().Set("Last-Modified", is.UpdatedAt.UTC().Format(http.TimeFormat))
	w.Header().Set("ETag", strconv.Quote(is.ContentHash))
	http.ServeContent(w, r, "", is.UpdatedAt, bytes.NewReader(is.Content))
}
