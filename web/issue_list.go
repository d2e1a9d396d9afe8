package web

import (
	"net/http"

	"github.com/godevcommunity/newsletter/api"
)

// issueList shows every issue, the latest first.
func (h *Handler) issueList(w http.ResponseWriter, r *http.Request) {
	issues, err := h.opts.Desk.Issues(r.Context())
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "issues", "issues", struct{ Issues []api.Issue }{issues})
}
