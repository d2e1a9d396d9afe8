package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/store"
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
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		h.redirect(w, r, back, failed("%s", fe.Msg))
		return
	}
	_, err := h.opts.Desk.Edit(r.Context(), id, store.Change{Fields: map[entry.Field]*string{f.Field: nil}}, actor(r))
	if err != nil {
		h.deskFailure(w, r, err, back, target{entry: id})
		return
	}
	h.redirect(w, r, back, done("%s을(를) 모델의 글로 되돌렸습니다.", fieldLabel(string(f.Field))))
}
