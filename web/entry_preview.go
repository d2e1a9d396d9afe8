package web

import (
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryPreview answers the live preview's script: the entry of submission
// {id} with the posted fields, as publishing renders it (an HTML fragment
// from publisher.ArticleHTML: no raw HTML, only http(s) links). Nothing is
// saved.
func (h *Handler) entryPreview(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	f := form.NewEntryForm(r)
	body, err := h.opts.Desk.Preview(r.Context(), id, f.Fields)
	if err != nil {
		e := desk.AsError(err)
		if e.Kind == desk.Internal {
			h.internalError(w, r, err)
			return
		}
		http.Error(w, e.Korean, deskStatus(e.Kind))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(body))
}
