package web

import (
	"fmt"
	"net/http"
	"strings"

	"go.uber.org/zap"
)

// issueTestSend sends issue {id} as publishing it now would to the editors
// before the real send (listmonk's campaign test to
// publisher.test_recipients, Hashnode's draft) and says how each went,
// with the draft's link, on the confirmation page it came from.
func (h *Handler) issueTestSend(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := Prefix + "draft/publish"
	if r.PostFormValue("again") == "1" {
		back = fmt.Sprintf("%sissues/%d/publish", Prefix, id)
	}
	res, err := h.opts.Desk.TestSend(r.Context(), id)
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	var sent, refused []string
	for _, t := range res.Results {
		switch {
		case t.State != "done":
			refused = append(refused, fmt.Sprintf("%s: %s", t.Outlet, t.Error))
		case t.Outlet == "listmonk":
			sent = append(sent, "listmonk 시험 메일을 "+strings.Join(t.To, ", ")+"에 보냈습니다")
		default:
			sent = append(sent, "Hashnode 초안: "+t.Link)
		}
	}
	h.log.Info("issue test send", zap.Int64("issue_id", id), zap.String("by", actor(r)), zap.Int("refused", len(refused)))
	if len(refused) > 0 {
		h.redirect(w, r, back, failed("시험 발송 실패 — %s", strings.Join(append(refused, sent...), " · ")))
		return
	}
	h.redirect(w, r, back, done("%s. 확인한 뒤 발행하세요.", strings.Join(sent, " · ")))
}
