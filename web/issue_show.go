package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/publisher"
)

// issuePage is one issue, rendered.
type issuePage struct {
	Issue desk.Issue
	HTML  template.HTML
}

// issueShow shows issue {id} rendered as its readers see it: what was
// published, byte for byte, or for an issue in review what publishing
// would write.
func (h *Handler) issueShow(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	is, err := h.opts.Desk.Issue(r.Context(), id)
	if errors.Is(err, desk.ErrNotFound) {
		h.renderStatus(w, r, http.StatusNotFound, fmt.Sprintf("%d호를 찾을 수 없습니다.", id))
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	body, _, err := publisher.IssueHTML([]byte(is.Markdown))
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "issue", "issues", issuePage{Issue: is, HTML: body})
}
