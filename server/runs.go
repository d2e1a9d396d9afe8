package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/api"
)

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
		writeJSON(w, http.StatusConflict, api.ErrorBody{Error: busy.Error(), Code: "busy", RunID: busy.RunningID()})
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	run, err := s.opts.Desk.Run(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/runs/"+strconv.FormatInt(id, 10))
	writeJSON(w, http.StatusAccepted, run)
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	run, err := s.opts.Desk.Run(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, run)
}

func (s *Server) latestIssue(w http.ResponseWriter, r *http.Request) {
	is, err := s.opts.Desk.LatestIssue(r.Context())
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Issue-Slug", is.Slug)
	var modified time.Time
	if is.UpdatedAt != nil {
		modified = *is.UpdatedAt
	}
	w.Header().Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	w.Header().Set("ETag", strconv.Quote(is.ContentHash))
	http.ServeContent(w, r, "", modified, strings.NewReader(is.Markdown))
}
