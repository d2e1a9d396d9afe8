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
	is, ok := h.pathIssue(w, r)
	if !ok {
		return
	}
	body, _, err := publisher.IssueHTML([]byte(is.Markdown))
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "issue", "issues", issuePage{Issue: is, HTML: body})
}

// pathIssue reads the issue {id} of the path; false when it has answered
// instead: 404 for an id that is not one or an issue that does not exist,
// 500 for a failure.
func (h *Handler) pathIssue(w http.ResponseWriter, r *http.Request) (desk.Issue, bool) {
	id, ok := h.pathID(w, r)
	if !ok {
		return desk.Issue{}, false
	}
	is, err := h.opts.Desk.Issue(r.Context(), id)
	if errors.Is(err, desk.ErrNotFound) {
		h.renderStatus(w, r, http.StatusNotFound, fmt.Sprintf("%d호를 찾을 수 없습니다.", id))
		return desk.Issue{}, false
	}
	if err != nil {
		h.internalError(w, r, err)
		return desk.Issue{}, false
	}
	return is, true
}
