package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
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
		h.draftAnswer(w, r, back, id, failed("%s", fe.Msg))
		return
	}
	cur, err := h.opts.Desk.Entry(r.Context(), id)
	if err != nil {
		h.draftFailure(w, r, err, back, id)
		return
	}
	pos := f.Target(cur.Position)
	e, err := h.opts.Desk.Edit(r.Context(), id, api.Change{Position: &pos}, actor(r))
	if err != nil {
		h.draftFailure(w, r, err, back, id)
		return
	}
	h.draftAnswer(w, r, back, id, done("%s %d번째로 옮겼습니다.", desk.Josa(fmt.Sprintf("#%d", id), "을"), e.Position))
}
