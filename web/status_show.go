package web

import (
	"net/http"

	"github.com/godevcommunity/newsletter/api"
)

// statusPage is what an editor asks when nothing seems to happen.
type statusPage struct {
	api.Status
	States []string
	Runs   []api.Run
}

// statusShow shows the status the API gives (the dependencies, paused?
// until when? why?; the submissions by state; the next run, the mode and
// the version) with the last runs.
func (h *Handler) statusShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.opts.Desk.Status(ctx)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	p := statusPage{Status: st, States: api.States}
	if p.Runs, err = h.opts.Desk.Runs(ctx, 5); err != nil {
		h.deskPage(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "status", "status", p)
}
