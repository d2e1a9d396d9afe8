package web

import (
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/internal/limit"
	"github.com/godevcommunity/newsletter/web/form"
)

// submissionCreate submits a link, checked and limited by the desk as
// for the API; a refused one is shown again as typed with why.
func (h *Handler) submissionCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := form.NewSubmissionForm(r)
	sub, err := h.opts.Desk.Submit(r.Context(), f.Request(), desk.Caller{Actor: actor(r), Addr: limit.ClientAddr(r)})
	if err != nil {
		if e := desk.AsError(err); e.Kind != desk.Internal {
			h.retryAfter(w, e)
			typed := submissionForm{URL: f.URL, SubmittedBy: f.SubmittedBy, Note: f.Note}
			if e.Code == "already_published" {
				h.log.Info("submission of a link already published", zap.String("url", f.URL), zap.Int64("issue_id", e.IssueID), zap.String("by", actor(r)))
				typed.PublishedIn = e.IssueID
			}
			h.submissionRender(w, r, deskStatus(e.Kind), typed, e.Korean)
			return
		}
		h.internalError(w, r, err)
		return
	}
	back := "/desk/submissions"
	switch {
	case sub.Existing:
		h.redirect(w, r, back, done("이미 제출된 링크입니다: #%d (%s).", sub.ID, desk.StateLabel(sub.State)))
	case sub.Requeued:
		h.redirect(w, r, back, done("실패했던 링크를 다시 대기열에 넣었습니다: #%d.", sub.ID))
	case f.Again:
		h.log.Info("a published link submitted again on purpose", zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL), zap.String("by", actor(r)))
		h.redirect(w, r, back, done("이미 실린 링크를 다시 싣도록 제출했습니다: #%d.", sub.ID))
	default:
		h.log.Info("submission received", zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL), zap.String("by", actor(r)))
		h.redirect(w, r, back, done("제출했습니다: #%d.", sub.ID))
	}
}
