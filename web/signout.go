package web

import "net/http"

// signout ends the session and forgets its cookie.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if se := sessionOf(r); se != nil {
		h.sessions.delete(se.id)
	}
	h.clearCookie(w)
	if h.open() {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/desk/signin", http.StatusSeeOther)
}
