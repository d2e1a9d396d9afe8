package web

import (
	"net/http"
	"net/url"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/internal/limit"
	"github.com/godevcommunity/newsletter/web/form"
)

// suggestionAccept makes the candidates picked submissions, credited to
// the editor and their sources, through the same checks as a link
// submitted by hand; those refused are named with the reason.
func (h *Handler) suggestionAccept(w http.ResponseWriter, r *http.Request) {
	h.decideSuggestions(w, r, "제출로 받았습니다. 곧 가져와 요약합니다", func(ids []int64) (api.Decisions, error) {
		return h.opts.Desk.Accept(r.Context(), ids, desk.Caller{Actor: actor(r), Addr: limit.ClientAddr(r)})
	})
}

// decideSuggestions reads the candidates picked, applies decide to them
// and goes back to the 후보 page the form was on, saying what was done
// and why each refused one was.
func (h *Handler) decideSuggestions(w http.ResponseWriter, r *http.Request, what string, decide func([]int64) (api.Decisions, error)) {
	if !h.parseForm(w, r) {
		return
	}
	f, ferr := form.NewSuggestionForm(r)
	back := suggestionsBack(f)
	if ferr != nil {
		h.redirect(w, r, back, failed("%s", ferr.Msg))
		return
	}
	d, err := decide(f.IDs)
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.redirect(w, r, back, decided(d, what))
}

// suggestionsBack is the 후보 page the form was on, its filter kept.
func suggestionsBack(f *form.SuggestionForm) string {
	if f == nil || f.Source == "" {
		return "/desk/suggestions"
	}
	return "/desk/suggestions?source=" + url.QueryEscape(f.Source)
}
