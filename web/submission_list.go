package web

import (
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// submissionsPage is the queue of submissions.
type submissionsPage struct {
	Submissions []store.Submission
	State       string // the filter, "" for all
	States      []store.State
	Counts      map[store.State]int
	// Form is the submission form as typed when it was refused.
	Form      submissionForm
	FormError string
}

type submissionForm struct{ URL, SubmittedBy, Note string }

// maxListed is how many submissions the page shows, newest first.
const maxListed = 300

// submissionList shows the submissions, newest first, optionally of one
// state, with their attempts, failure reasons, submitter and note.
func (h *Handler) submissionList(w http.ResponseWriter, r *http.Request) {
	h.submissionRender(w, r, http.StatusOK, submissionForm{}, "")
}

func (h *Handler) submissionRender(w http.ResponseWriter, r *http.Request, status int, typed submissionForm, formErr string) {
	p := submissionsPage{States: store.States, Form: typed, FormError: formErr}
	f := store.Filter{Limit: maxListed}
	if st := store.State(r.URL.Query().Get("state")); st.Valid() {
		f.States = []store.State{st}
		p.State = string(st)
	}
	var err error
	if p.Submissions, err = h.opts.Store.Submissions(r.Context(), f); err != nil {
		h.internalError(w, r, err)
		return
	}
	if p.Counts, err = h.opts.Store.CountByState(r.Context()); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.render(w, r, status, "submissions", "submissions", p)
}
