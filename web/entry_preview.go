package web

import (
	"errors"
	"fmt"
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
	if err := f.Validate(); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	e, err := h.opts.Desk.Entry(r.Context(), id)
	if errors.Is(err, desk.ErrNotFound) {
		http.Error(w, fmt.Sprintf("글 #%d을(를) 찾을 수 없습니다.", id), http.StatusNotFound)
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	values := entryFields(e)
	for name, v := range f.Fields {
		values[name] = v
	}
	body := string(h.previewHTML(e, values))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(body))
}
