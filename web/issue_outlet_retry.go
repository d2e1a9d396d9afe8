package web

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
)

// issueOutletRetry sends a published issue to one outlet ({outlet}:
// hashnode or listmonk) again now, after a failure, and says how it went.
func (h *Handler) issueOutletRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	back := fmt.Sprintf("%sissues/%d", Prefix, id)
	var (
		is  api.Issue
		err error
		why string
	)
	switch outlet := r.PathValue("outlet"); outlet {
	case "hashnode":
		is, err = h.opts.Desk.PublishHashnode(r.Context(), id)
		if err == nil && is.Hashnode != nil {
			why = is.Hashnode.Error
		}
	case "listmonk":
		is, err = h.opts.Desk.PublishListmonk(r.Context(), id)
		if err == nil && is.Listmonk != nil {
			why = is.Listmonk.Error
		}
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.log.Info("outlet sent again", zap.Int64("issue_id", id), zap.String("outlet", r.PathValue("outlet")), zap.String("by", actor(r)))
	if why != "" {
		h.redirect(w, r, back, failed("다시 보내지 못했습니다: %s", why))
		return
	}
	h.redirect(w, r, back, done("%s에 다시 보냈습니다.", r.PathValue("outlet")))
}
