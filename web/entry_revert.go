package web

import (
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryRevert puts an edited field back to the model's text.
func (h *Handler) entryRevert(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := fmt.Sprintf("%sentries/%d", Prefix, id)
	f := form.NewRevertForm(r)
	_, err := h.opts.Desk.Edit(r.Context(), id, api.Change{Fields: map[string]*string{f.Field: nil}}, actor(r))
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.redirect(w, r, back, done("%s 모델의 글로 되돌렸습니다.", desk.Josa(desk.InputLabel(f.Field), "을")))
}
