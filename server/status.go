package server

import (
	"net/http"
	"time"

	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
)

// statusJSON is GET /api/v1/status: what an operator asks first when
// nothing seems to happen.
type statusJSON struct {
	Version string `json:"version"`
	// Dependencies are paused or up; a paused one says since when, until
	// when, when it is probed next, and why.
	Dependencies []pipeline.DependencyStatus `json:"dependencies"`
	// Submissions counts submissions by state; Waiting counts those in
	// state new that wait for a dependency, by dependency.
	Submissions map[store.State]int `json:"submissions"`
	Waiting     map[string]int      `json:"waiting"`
	LastRun     *runJSON            `json:"last_run,omitempty"`
	NextRun     *time.Time          `json:"next_run,omitempty"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := statusJSON{Version: s.opts.Version, Dependencies: []pipeline.DependencyStatus{}}
	if s.opts.Pauses != nil {
		st.Dependencies = s.opts.Pauses.Status()
	}
	var err error
	if st.Submissions, err = s.opts.Store.CountByState(ctx); err != nil {
		s.internalError(w, r, err)
		return
	}
	if st.Waiting, err = s.opts.Store.CountWaiting(ctx); err != nil {
		s.internalError(w, r, err)
		return
	}
	runs, err := s.opts.Store.Runs(ctx, 1)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if len(runs) > 0 {
		j := toRunJSON(runs[0])
		j.Report = nil
		st.LastRun = &j
	}
	if s.opts.NextRun != nil {
		if next, err := s.opts.NextRun(); err == nil && !next.IsZero() {
			st.NextRun = &next
		}
	}
	writeJSON(w, http.StatusOK, st)
}
