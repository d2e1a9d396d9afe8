package web

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryRegenerate asks Gemini again for an entry, with the editor's
// optional instruction, under the same guardrails; edited fields keep the
// edit. A refusal (an answer the guardrails refuse, Gemini paused or
// busy, an instruction too long) shows the article editor again with the
// reason in Korean by the form, what the attempt cost, and the
// instruction as typed; the entry stays.
func (h *Handler) entryRegenerate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, fmt.Sprintf("%s#entry-%d", Prefix, id))
	f := form.NewRegenerateForm(r)
	e, err := h.opts.Desk.Regenerate(r.Context(), id, f.Instruction, actor(r))
	if de := desk.AsError(err); err != nil {
		switch de.Kind {
		case desk.Invalid, desk.Unprocessable, desk.Unavailable, desk.Busy:
			h.log.Info("regeneration refused", append(zapRequest(r), zap.Error(err))...)
			if wantsParts(r) {
				h.draftPartsWith(w, r, deskStatus(de.Kind), id, flash{Error: true, Text: de.Korean}, func(c *entryCard) {
					c.Instruction, c.Open = f.Instruction, true
				})
				return
			}
			h.entryRender(w, r, deskStatus(de.Kind), id, &entryInput{regen: &regenInput{instruction: f.Instruction, refusal: de}})
		default:
			h.draftFailure(w, r, err, back, id)
		}
		return
	}
	h.log.Info("entry regenerated", zap.Int64("submission_id", id), zap.String("by", actor(r)), zap.String("instruction", f.Instruction))
	msg := fmt.Sprintf("%s 다시 생성했습니다: %s", desk.Josa(fmt.Sprintf("#%d", id), "을"), e.Title)
	if len(e.Edited) > 0 {
		msg += ". 편집한 칸은 편집한 글 그대로입니다"
	}
	h.draftAnswer(w, r, back, id, done("%s.", msg))
}
