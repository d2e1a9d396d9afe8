package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// submissionDelete withdraws a submission still queued: in no issue, or in
// the one waiting for review.
func (h *Handler) submissionDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, "/desk/submissions")
	_, err := h.opts.Store.DeleteSubmission(r.Context(), id, actor(r))
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.redirect(w, r, back, failed("제출 #%d을(를) 찾을 수 없습니다.", id))
		return
	case errors.Is(err, store.ErrConflict):
		h.redirect(w, r, back, failed("%s", h.deleteRefused(r.Context(), id)))
		return
	case err != nil:
		h.internalError(w, r, err)
		return
	}
	h.redirect(w, r, back, done("제출 #%d을(를) 지웠습니다.", id))
}

// deleteRefused says in Korean why submission id cannot be deleted: it
// is part of an issue published or being published, as an article, as
// one left out, or as one that failed or was a duplicate.
func (h *Handler) deleteRefused(ctx context.Context, id int64) string {
	sub, err := h.opts.Store.Submission(ctx, id)
	if err != nil || sub.IssueID == 0 {
		return fmt.Sprintf("제출 #%d은(는) 지금 지울 수 없습니다. 페이지를 새로 고쳐 다시 보세요.", id)
	}
	issue := fmt.Sprintf("발행된 %d호", sub.IssueID)
	if is, err := h.opts.Store.Issue(ctx, sub.IssueID); err == nil && is.State == store.IssuePublishing {
		issue = fmt.Sprintf("발행 중인 %d호", sub.IssueID)
	}
	switch sub.State {
	case store.StatePublished:
		return fmt.Sprintf("제출 #%d은(는) %s에 실려 지울 수 없습니다.", id, issue)
	case store.StateSummarized:
		return fmt.Sprintf("제출 #%d은(는) %s에서 뺀 글로 남아 지울 수 없습니다.", id, issue)
	case store.StateFailed:
		return fmt.Sprintf("제출 #%d은(는) %s에 실패한 글로 남아 지울 수 없습니다.", id, issue)
	case store.StateDuplicate:
		return fmt.Sprintf("제출 #%d은(는) %s에 중복된 글로 남아 지울 수 없습니다.", id, issue)
	}
	return fmt.Sprintf("제출 #%d은(는) 지금 %s 상태라 지울 수 없습니다.", id, stateLabel(string(sub.State)))
}
