package web

import (
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// submissionsPage is the queue of submissions.
type submissionsPage struct {
	Submissions []submissionView
	State       string // the filter, "" for all
	States      []store.State
	Counts      map[store.State]int
	// Form is the submission form as typed when it was refused.
	Form      submissionForm
	FormError string
}

type submissionForm struct{ URL, SubmittedBy, Note string }

// submissionView is a submission on the page.
type submissionView struct {
	store.Submission
	// Deletable: store.DeleteSubmission would withdraw it.
	Deletable bool
}

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
	subs, err := h.opts.Store.Submissions(r.Context(), f)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	issues, err := h.opts.Store.Issues(r.Context())
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	states := make(map[int64]store.IssueState, len(issues))
	for _, is := range issues {
		states[is.ID] = is.State
	}
	for _, sub := range subs {
		p.Submissions = append(p.Submissions, submissionView{Submission: sub, Deletable: sub.Deletable(states[sub.IssueID])})
	}
	if p.Counts, err = h.opts.Store.CountByState(r.Context()); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.render(w, r, status, "submissions", "submissions", p)
}
