package web

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"
)

// issuePublish publishes issue {id} again after corrections: the same
// file, slug and cuid; the chats hear of it only when the editor ticked
// the confirmation's box.
func (h *Handler) issuePublish(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := fmt.Sprintf("%sissues/%d", Prefix, id)
	announce := r.PostFormValue("announce") == "1"
	is, err := h.opts.Desk.Republish(r.Context(), id, actor(r), announce)
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.log.Info("issue published again", zap.Int64("issue_id", id), zap.String("by", actor(r)), zap.Bool("announced", announce))
	msg := fmt.Sprintf("다시 발행했습니다: %s", is.Location)
	if announce {
		msg += ". 채팅에 수정 알림을 보냅니다"
	}
	if is.KeptCopy != "" {
		msg += fmt.Sprintf(". 손으로 고친 파일은 %s에 남겨 두었습니다", is.KeptCopy)
	}
	h.redirect(w, r, back, done("%s.", msg))
}
