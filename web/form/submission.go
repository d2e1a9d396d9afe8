package form

import (
	"net/http"

	"github.com/godevcommunity/newsletter/api"
)

// SubmissionForm submits a link, as POST /api/v1/submissions does.
type SubmissionForm struct {
	URL         string
	SubmittedBy string
	Note        string
	// Again: the editor includes a link already published once more.
	Again bool
}

// NewSubmissionForm reads the submission form of r.
func NewSubmissionForm(r *http.Request) *SubmissionForm {
	return &SubmissionForm{URL: value(r, "url", true), SubmittedBy: value(r, "submitted_by", true), Note: value(r, "note", true),
		Again: r.PostFormValue("again") == "1"}
}

// Request is the submission the form asks for; the desk checks it.
func (f *SubmissionForm) Request() api.SubmissionRequest {
	return api.SubmissionRequest{URL: f.URL, SubmittedBy: f.SubmittedBy, Note: f.Note, Again: f.Again}
}
