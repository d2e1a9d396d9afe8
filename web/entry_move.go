package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryMove moves an entry one place up or down, or to a position.
func (h *Handler) entryMove(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, fmt.Sprintf("%s#entry-%d", Prefix, id))
	f := form.NewMoveForm(r)
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		h.redirect(w, r, back, failed("%s", fe.Msg))
		return
	}
	cur, err := h.opts.Desk.Entry(r.Context(), id)
	if err != nil {
		h.deskFailure(w, r, err, back, target{entry: id})
		return
	}
	pos := f.Target(cur.Position)
	e, err := h.opts.Desk.Edit(r.Context(), id, store.Change{Position: &pos}, actor(r))
	if err != nil {
		h.deskFailure(w, r, err, back, target{entry: id})
		return
	}
	h.redirect(w, r, back, done("#%d을(를) %d번째로 옮겼습니다.", id, e.Position))
}
