package web

import (
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// submissionCreate submits a link, checked by the desk as for the API; a
// refused one is shown again as typed with why.
func (h *Handler) submissionCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := form.NewSubmissionForm(r)
	sub, err := h.opts.Desk.Submit(r.Context(), f.Request())
	if err != nil {
		switch e := desk.AsError(err); {
		case e.Kind == desk.Invalid:
			h.submissionRender(w, r, http.StatusUnprocessableEntity, submissionForm{URL: f.URL, SubmittedBy: f.SubmittedBy, Note: f.Note}, e.Korean)
			return
		case e.Code == "already_published":
			h.log.Info("submission of a link already published", zap.String("url", f.URL), zap.Int64("issue_id", e.IssueID), zap.String("by", actor(r)))
			h.submissionRender(w, r, http.StatusConflict, submissionForm{URL: f.URL, SubmittedBy: f.SubmittedBy, Note: f.Note, PublishedIn: e.IssueID}, e.Korean)
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
