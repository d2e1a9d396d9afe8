package web

import (
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/web/form"
)

// entryRegenerate asks Gemini again for an entry, with the editor's
// optional instruction, under the same guardrails; edited fields keep the
// edit.
func (h *Handler) entryRegenerate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, fmt.Sprintf("%s#entry-%d", Prefix, id))
	f := form.NewRegenerateForm(r)
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		h.redirect(w, r, back, failed("%s", fe.Msg))
		return
	}
	e, err := h.opts.Desk.Regenerate(r.Context(), id, f.Instruction, actor(r))
	if err != nil {
		h.deskFailure(w, r, err, back, target{entry: id})
		return
	}
	h.log.Info("entry regenerated", zap.Int64("submission_id", id), zap.String("by", actor(r)), zap.String("instruction", f.Instruction))
	msg := fmt.Sprintf("#%d을(를) 다시 생성했습니다: %s", id, e.Title)
	if len(e.Edited) > 0 {
		msg += ". 편집한 칸은 편집한 글 그대로입니다"
	}
	h.redirect(w, r, back, done("%s.", msg))
}
