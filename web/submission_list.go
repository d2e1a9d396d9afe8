package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
)

// submissionsPage is the queue of submissions, a page at a time.
type submissionsPage struct {
	Page   api.SubmissionPage
	State  string // the filter, "" for all
	Search string // the search, "" for none
	States []string
	Counts map[string]int
	// Form is the submission form as typed when it was refused.
	Form      submissionForm
	FormError string
}

type submissionForm struct {
	URL, SubmittedBy, Note string
	// PublishedIn is the issue the link was already published in, when
	// that refused it: the form offers to include it again.
	PublishedIn int64
}

// submissionList shows the submissions, newest first, optionally of one
// state, a page (desk.PageSize) at a time with links to the newer and
// older pages, with their attempts, failure reasons, submitter and note,
// and a delete button on those deleting would withdraw.
func (h *Handler) submissionList(w http.ResponseWriter, r *http.Request) {
	h.submissionRender(w, r, http.StatusOK, submissionForm{}, "")
}

func (h *Handler) submissionRender(w http.ResponseWriter, r *http.Request, status int, typed submissionForm, formErr string) {
	p := submissionsPage{States: api.States, Form: typed, FormError: formErr}
	if st := r.URL.Query().Get("state"); slices.Contains(api.States, st) {
		p.State = st
	}
	q := r.URL.Query()
	p.Search = q.Get("q")
	var err error
	if p.Page, err = h.opts.Desk.SubmissionPage(r.Context(), api.SubmissionQuery{State: p.State, Limit: strconv.Itoa(desk.PageSize),
		Before: q.Get("before"), After: q.Get("after"), Search: p.Search}); err != nil {
		h.deskPage(w, r, err)
		return
	}
	if p.Counts, err = h.opts.Desk.CountByState(r.Context()); err != nil {
		h.deskPage(w, r, err)
		return
	}
	h.render(w, r, status, "submissions", "submissions", p)
}
