package web

import (
	"net/http"
)

// signinPage is the sign-in form.
type signinPage struct {
	Next  string
	Error string
}

// signinShow shows the sign-in form; without any token configured there is
// nothing to sign in with, and the landing page opens.
func (h *Handler) signinShow(w http.ResponseWriter, r *http.Request) {
	if h.open() || sessionOf(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "signin", "", signinPage{Next: safeNext(r.URL.Query().Get("next"))})
}
