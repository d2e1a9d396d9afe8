package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// submissionRetry queues a failed submission again, its attempts reset.
func (h *Handler) submissionRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := backTo(r, "/desk/submissions")
	_, err := h.opts.Store.Requeue(r.Context(), id, actor(r))
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.redirect(w, r, back, failed("제출 #%d을(를) 찾을 수 없습니다.", id))
		return
	case errors.Is(err, store.ErrConflict):
		h.redirect(w, r, back, failed("%s", h.retryRefused(r.Context(), id)))
		return
	case err != nil:
		h.internalError(w, r, err)
		return
	}
	h.wake()
	h.redirect(w, r, back, done("제출 #%d을(를) 다시 대기열에 넣었습니다.", id))
}

// retryRefused says in Korean why submission id cannot be retried: only
// a failed one can.
func (h *Handler) retryRefused(ctx context.Context, id int64) string {
	sub, err := h.opts.Store.Submission(ctx, id)
	if err != nil {
		return fmt.Sprintf("제출 #%d은(는) 다시 시도할 수 없습니다. 실패한 제출만 다시 시도합니다.", id)
	}
	return fmt.Sprintf("제출 #%d은(는) %s 상태라 다시 시도할 수 없습니다. 실패한 제출만 다시 시도합니다.", id, stateLabel(string(sub.State)))
}
