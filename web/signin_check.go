package web

import (
	"errors"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/internal/limit"
	"github.com/godevcommunity/newsletter/web/form"
)

// signinCheck signs in with a token: server.token or an editor's, as the
// desk checks it (desk.Desk.SignIn), with the API's bearer tokens: wrong
// ones from one address are limited. A new session (a new id, whatever
// cookie came along) opens the page asked for. The token itself is never
// written back into the page.
func (h *Handler) signinCheck(w http.ResponseWriter, r *http.Request) {
	if h.open() {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	if !h.parseForm(w, r) {
		return
	}
	f := form.NewSigninForm(r)
	page := signinPage{Next: safeNext(f.Next)}
	from := limit.ClientAddr(r)
	name, err := h.opts.Desk.SignIn(f.Token, from)
	if e := desk.AsError(err); err != nil && e.Kind == desk.Limited {
		h.log.Warn("sign-in refused: too many failures", zap.String("remote", from))
		page.Error = e.Korean
		h.retryAfter(w, e)
		h.render(w, r, http.StatusTooManyRequests, "signin", "", page)
		return
	} else if err != nil {
		page.Error = e.Korean
		h.log.Warn("sign-in refused", zap.String("remote", r.RemoteAddr))
		h.render(w, r, http.StatusUnauthorized, "signin", "", page)
		return
	}
	if old := sessionOf(r); old != nil {
		h.sessions.delete(old.id)
	}
	se := h.sessions.create(name)
	h.setCookie(w, se)
	h.log.Info("signed in", zap.String("by", name))
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
}

// parseForm reads a posted form of at most maxFormBytes; it answers the
// request itself, false, when the form cannot be read.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.renderStatus(w, r, http.StatusRequestEntityTooLarge, "보낸 내용이 너무 큽니다.")
			return false
		}
		h.renderStatus(w, r, http.StatusBadRequest, "보낸 양식을 읽을 수 없습니다.")
		return false
	}
	return true
}

// maxFormBytes bounds a posted form: five fields of 5,000 Korean
// characters each, percent-encoded, fit.
const maxFormBytes = 1 << 20
