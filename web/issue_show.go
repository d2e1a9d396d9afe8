package web

import (
	"html/template"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/publisher"
)

// issuePage is one issue, rendered.
type issuePage struct {
	Issue api.Issue
	HTML  template.HTML
	// Changed counts the entries changed since the issue was published.
	Changed int
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
	p := issuePage{Issue: is, HTML: body}
	for _, e := range is.Entries {
		if len(e.Changed) > 0 {
			p.Changed++
		}
	}
	h.render(w, r, http.StatusOK, "issue", "issues", p)
}

// pathIssue reads the issue {id} of the path; false when it has answered
// instead: 404 for an id that is not one or an issue that does not exist,
// 500 for a failure.
func (h *Handler) pathIssue(w http.ResponseWriter, r *http.Request) (api.Issue, bool) {
	id, ok := h.pathID(w, r)
	if !ok {
		return api.Issue{}, false
	}
	is, err := h.opts.Desk.Issue(r.Context(), id)
	if err != nil {
		h.deskPage(w, r, err)
		return api.Issue{}, false
	}
	return is, true
}
