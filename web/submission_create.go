package web

import (
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/web/form"
)

// submissionCreate submits a link, checked as the API checks it; a refused
// one is shown again as typed with why.
func (h *Handler) submissionCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := form.NewSubmissionForm(r)
	n, err := f.Validate(h.opts.Fetcher)
	var fe *form.Error
	if errors.As(err, &fe) {
		h.submissionRender(w, r, http.StatusUnprocessableEntity, submissionForm{f.URL, f.SubmittedBy, f.Note}, fe.Msg)
		return
	}
	sub, result, err := h.opts.Store.Submit(r.Context(), n)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	back := "/desk/submissions"
	switch result {
	case store.Existing:
		h.redirect(w, r, back, done("이미 제출된 링크입니다: #%d (%s).", sub.ID, stateLabel(string(sub.State))))
		return
	case store.Requeued:
		h.wake()
		h.redirect(w, r, back, done("실패했던 링크를 다시 대기열에 넣었습니다: #%d.", sub.ID))
		return
	}
	h.wake()
	h.log.Info("submission received", zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL), zap.String("by", actor(r)))
	h.redirect(w, r, back, done("%s", fmt.Sprintf("제출했습니다: #%d.", sub.ID)))
}

func (h *Handler) wake() {
	if h.opts.Notify != nil {
		h.opts.Notify()
	}
}
