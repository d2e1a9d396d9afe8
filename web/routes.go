package web

import "net/http"

// routes lists every page and action of the desk. Pages are GET; every
// change is a POST from a form, answered with a redirect (303) to the
// page to read next, or with the form again when the input is wrong. The
// landing page's script posts its forms itself and gets the page's parts
// back instead (partsHeader), to replace in place.
func (h *Handler) routes() http.Handler {
	mux := http.NewServeMux()
	// Open to anyone who reaches the server.
	mux.HandleFunc("GET /{$}", h.rootRedirect)
	mux.HandleFunc("GET /desk", h.rootRedirect)
	mux.Handle("GET /desk/static/{file}", http.HandlerFunc(h.staticServe))
	mux.Handle("GET /desk/signin", h.public(h.signinShow))
	mux.Handle("POST /desk/signin", h.public(h.signinCheck))

	// Signed in.
	mux.Handle("POST /desk/signout", h.private(h.signout))
	mux.Handle("GET /desk/{$}", h.private(h.draftShow))
	mux.Handle("POST /desk/draft/intro", h.private(h.introUpdate))
	mux.Handle("POST /desk/draft/bulk", h.private(h.bulkAction))
	mux.Handle("GET /desk/draft/publish", h.private(h.draftPublishShow))
	mux.Handle("POST /desk/draft/publish", h.private(h.draftPublish))
	mux.Handle("GET /desk/entries/{id}", h.private(h.entryEdit))
	mux.Handle("POST /desk/entries/{id}", h.private(h.entryUpdate))
	mux.Handle("POST /desk/entries/{id}/preview", h.private(h.entryPreview))
	mux.Handle("POST /desk/entries/{id}/revert", h.private(h.entryRevert))
	mux.Handle("POST /desk/entries/{id}/exclude", h.private(h.entryExclude))
	mux.Handle("POST /desk/entries/{id}/move", h.private(h.entryMove))
	mux.Handle("POST /desk/entries/{id}/regenerate", h.private(h.entryRegenerate))
	mux.Handle("POST /desk/entries/{id}/versions/{version}/restore", h.private(h.entryRestore))
	mux.Handle("GET /desk/submissions", h.private(h.submissionList))
	mux.Handle("POST /desk/submissions", h.private(h.submissionCreate))
	mux.Handle("POST /desk/submissions/bulk", h.private(h.bulkAction))
	mux.Handle("POST /desk/submissions/{id}/retry", h.private(h.submissionRetry))
	mux.Handle("POST /desk/submissions/{id}/delete", h.private(h.submissionDelete))
	mux.Handle("GET /desk/issues", h.private(h.issueList))
	mux.Handle("GET /desk/issues/{id}", h.private(h.issueShow))
	mux.Handle("GET /desk/issues/{id}/markdown", h.private(h.issueMarkdown))
	mux.Handle("GET /desk/draft/markdown", h.private(h.draftMarkdown))
	mux.Handle("GET /desk/issues/{id}/publish", h.private(h.issuePublishShow))
	mux.Handle("POST /desk/issues/{id}/publish", h.private(h.issuePublish))
	mux.Handle("POST /desk/issues/{id}/test", h.private(h.issueTestSend))
	mux.Handle("POST /desk/issues/{id}/outlets/{outlet}/retry", h.private(h.issueOutletRetry))
	mux.Handle("GET /desk/status", h.private(h.statusShow))
	mux.Handle("GET /desk/suggestions", h.private(h.suggestionList))
	mux.Handle("POST /desk/suggestions/accept", h.private(h.suggestionAccept))
	mux.Handle("POST /desk/suggestions/dismiss", h.private(h.suggestionDismiss))

	mux.Handle("/", h.public(h.notFound))
	return mux
}

// rootRedirect sends "/" and "/desk" to the landing page. (With
// server.public_archive on, the server answers "/" itself: to the archive.)
func (h *Handler) rootRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}
