package web

import (
	"errors"
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// submissionRetry queues a failed submission again, its attempts reset.
func (h *Handler) submissionRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, "/desk/submissions")
	_, err := h.opts.Store.Requeue(r.Context(), id, actor(r))
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.redirect(w, r, back, failed("제출 #%d을(를) 찾을 수 없습니다.", id))
		return
	case errors.Is(err, store.ErrConflict):
		h.redirect(w, r, back, failed("제출 #%d은(는) 다시 시도할 수 없습니다: %s", id, conflictReason(err)))
		return
	case err != nil:
		h.internalError(w, r, err)
		return
	}
	h.wake()
	h.redirect(w, r, back, done("제출 #%d을(를) 다시 대기열에 넣었습니다.", id))
}
