package web

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"
)

// draftPublish publishes the upcoming issue now, approved by the editor,
// and opens it on the Issues page.
func (h *Handler) draftPublish(w http.ResponseWriter, r *http.Request) {
	is, err := h.opts.Desk.Approve(r.Context(), actor(r))
	if err != nil {
		h.deskFailure(w, r, err, Prefix)
		return
	}
	h.log.Info("issue approved and published", zap.Int64("issue_id", is.ID), zap.String("by", actor(r)))
	msg := fmt.Sprintf("발행했습니다: %s (글 %d개)", is.Title, len(is.Entries))
	if is.KeptCopy != "" {
		msg += fmt.Sprintf(". 손으로 고친 파일은 %s에 남겨 두었습니다", is.KeptCopy)
	}
	h.redirect(w, r, fmt.Sprintf("%sissues/%d", Prefix, is.ID), done("%s.", msg))
}

// deskFailure answers a desk operation on what that failed: back to the
// page the editor came from with why, or 500 for the server's own errors.
func (h *Handler) deskFailure(w http.ResponseWriter, r *http.Request, err error, back string) {
	f, known := deskFlash(err)
	if !known {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("desk action refused", append(zapRequest(r), zap.Error(err))...)
	h.redirect(w, r, back, f)
}
