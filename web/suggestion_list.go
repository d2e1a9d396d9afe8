package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/godevcommunity/newsletter/api"
)

// suggestionsPage is the candidates the sources offer now.
type suggestionsPage struct {
	api.Suggestions
	Now time.Time
}

// suggestionList shows the candidates, best first, with their sources,
// snippet, age and reasons, each with 받기 (accept) and 넘기기 (dismiss),
// checkboxes for both at once, and a filter by source; a failing source
// says so with its reason.
func (h *Handler) suggestionList(w http.ResponseWriter, r *http.Request) {
	s, err := h.opts.Desk.Suggestions(r.Context(), r.URL.Query().Get("source"))
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "suggestions", "suggestions", suggestionsPage{Suggestions: s, Now: h.opts.Now()})
}

// ago is how long ago a candidate's story began (api.Candidate.Since),
// in Korean: "3시간 전", "2일 전".
func ago(c api.Candidate, now time.Time) string {
	d := now.Sub(c.Since())
	switch {
	case d < time.Hour:
		return "방금"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d시간 전", int(d.Hours()))
	}
	return fmt.Sprintf("%d일 전", int(d.Hours()/24))
}
