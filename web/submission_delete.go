package web

import (
	"errors"
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// submissionDelete withdraws a submission that is not in a published issue.
func (h *Handler) submissionDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, "/desk/submissions")
	_, err := h.opts.Store.DeleteSubmission(r.Context(), id, actor(r))
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.redirect(w, r, back, failed("제출 #%d을(를) 찾을 수 없습니다.", id))
		return
	case errors.Is(err, store.ErrConflict):
		h.redirect(w, r, back, failed("제출 #%d은(는) 발행된 호에 있어 지울 수 없습니다.", id))
		return
	case err != nil:
		h.internalError(w, r, err)
		return
	}
	h.redirect(w, r, back, done("제출 #%d을(를) 지웠습니다.", id))
}
