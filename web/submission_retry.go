package web

import (
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
)

// submissionRetry queues a failed submission again, its attempts reset.
func (h *Handler) submissionRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, "/desk/submissions")
	if _, err := h.opts.Desk.Retry(r.Context(), id, actor(r)); err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.redirect(w, r, back, done("%s 다시 대기열에 넣었습니다.", desk.Josa(fmt.Sprintf("제출 #%d", id), "을")))
}
