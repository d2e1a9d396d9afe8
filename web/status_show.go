package web

import (
	"net/http"
	"time"

	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
)

// statusPage is what an editor asks when nothing seems to happen.
type statusPage struct {
	Version      string
	Dependencies []pipeline.DependencyStatus
	Counts       map[store.State]int
	Waiting      map[string]int
	States       []store.State
	Runs         []store.Run
	NextRun      time.Time
	Mode         string
	PublishAfter time.Duration
}

// statusShow shows the dependencies (paused? until when? why?), the
// submissions by state, the last runs and the next, and the version.
func (h *Handler) statusShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := statusPage{Version: h.opts.Version, States: store.States, Mode: h.opts.Schedule.Mode, PublishAfter: h.opts.Schedule.PublishAfter}
	if h.opts.Pauses != nil {
		p.Dependencies = h.opts.Pauses.Status()
	}
	var err error
	if p.Counts, err = h.opts.Store.CountByState(ctx); err != nil {
		h.internalError(w, r, err)
		return
	}
	if p.Waiting, err = h.opts.Store.CountWaiting(ctx); err != nil {
		h.internalError(w, r, err)
		return
	}
	if p.Runs, err = h.opts.Store.Runs(ctx, 5); err != nil {
		h.internalError(w, r, err)
		return
	}
	if h.opts.NextRun != nil {
		if t, err := h.opts.NextRun(); err == nil {
			p.NextRun = t
		}
	}
	h.render(w, r, http.StatusOK, "status", "status", p)
}
