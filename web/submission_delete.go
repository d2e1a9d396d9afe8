package web

import (
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
)

// submissionDelete withdraws a submission still queued: in no issue, or in
// the one waiting for review. A refusal says why it stays.
func (h *Handler) submissionDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, "/desk/submissions")
	if _, err := h.opts.Desk.Delete(r.Context(), id, actor(r)); err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.redirect(w, r, back, done("%s 지웠습니다.", desk.Josa(fmt.Sprintf("제출 #%d", id), "을")))
}
