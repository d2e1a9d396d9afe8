package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Session cookies.
const (
	cookieName = "desk_session"
	// sessionIdle ends a session nobody used for this long; sessionMax
	// ends any session this long after sign-in.
	sessionIdle = 12 * time.Hour
	sessionMax  = 7 * 24 * time.Hour
	// maxSessions bounds the memory sessions take; the oldest goes first.
	maxSessions = 1000
)

// open reports whether no token is configured: nobody signs in, and the
// server lets only this machine in.
func (h *Handler) open() bool { return !h.opts.Server.HasTokens() }

// secureCookies reports whether the desk is reached over https, from
// server.url: the session cookie is then Secure.
func secureCookies(serverURL string) bool {
	u, err := url.Parse(serverURL)
	return err == nil && u.Scheme == "https"
}

// session is a signed-in browser. Its id is the cookie's value.
type session struct {
	id      string
	actor   string
	started time.Time
	seen    time.Time
	flashes []flash
}

// flash is a message shown once, on the next page.
type flash struct {
	Error bool
	Text  string
}

// sessions are kept in memory: a restart signs everybody out.
type sessions struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*session
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: map[string]*session{}}
}

// create starts a session for actor with a new random id.
func (s *sessions) create(actor string) *session {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	now := s.now()
	se := &session{id: base64.RawURLEncoding.EncodeToString(b), actor: actor, started: now, seen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, old := range s.m {
		if s.expired(old, now) {
			delete(s.m, id)
		}
	}
	for len(s.m) >= maxSessions {
		var oldest *session
		for _, old := range s.m {
			if oldest == nil || old.seen.Before(oldest.seen) {
				oldest = old
			}
		}
		delete(s.m, oldest.id)
	}
	s.m[se.id] = se
	return se
}

func (s *sessions) expired(se *session, now time.Time) bool {
	return now.Sub(se.seen) > sessionIdle || now.Sub(se.started) > sessionMax
}

// get returns the live session with id, marking it used.
func (s *sessions) get(id string) (*session, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.m[id]
	if !ok {
		return nil, false
	}
	if s.expired(se, now) {
		delete(s.m, id)
		return nil, false
	}
	se.seen = now
	return se, true
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}

// addFlash keeps a message for the session's next page.
func (s *sessions) addFlash(se *session, f flash) {
	s.mu.Lock()
	se.flashes = append(se.flashes, f)
	s.mu.Unlock()
}

// takeFlashes returns and forgets the session's messages.
func (s *sessions) takeFlashes(se *session) []flash {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := se.flashes
	se.flashes = nil
	return f
}

// setCookie sends the session's cookie: HttpOnly, SameSite=Lax, for the
// desk's paths only. Lax, so that a link to the desk in a chat message
// opens it signed in; forms posted from elsewhere are refused by protect,
// whatever cookie comes along.
func (h *Handler) setCookie(w http.ResponseWriter, se *session) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: se.id, Path: Prefix, MaxAge: int(sessionMax / time.Second),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix, MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

type sessionKey struct{}

// sessionOf returns the request's session, nil on public pages without one.
func sessionOf(r *http.Request) *session {
	se, _ := r.Context().Value(sessionKey{}).(*session)
	return se
}

// actor names who makes the request's changes, for the history.
func actor(r *http.Request) string {
	if se := sessionOf(r); se != nil {
		return se.actor
	}
	return ""
}

// cookieSession returns the session the request's cookie names.
func (h *Handler) cookieSession(r *http.Request) (*session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil, false
	}
	return h.sessions.get(c.Value)
}

// public wraps a page anyone may open: the sign-in page.
func (h *Handler) public(next http.HandlerFunc) http.Handler {
	return h.protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if se, ok := h.cookieSession(r); ok {
			r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, se))
		}
		next(w, r)
	}))
}

// private wraps a page that needs a session: without one the browser is
// sent to sign in. Without any token configured every request from this
// machine (the server lets in no other) has a session as "local".
func (h *Handler) private(next http.HandlerFunc) http.Handler {
	return h.protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		se, ok := h.cookieSession(r)
		if !ok && h.open() {
			se, ok = h.sessions.create("local"), true
			h.setCookie(w, se)
		}
		if !ok {
			target := "/desk/signin"
			if r.Method == http.MethodGet && r.URL.Path != Prefix {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, se)))
	}))
}

// protect refuses cross-origin requests that change something (forms
// posted from another site) and sets the headers every page has: a
// content security policy allowing nothing but the desk's own stylesheet,
// script and forms, no framing, no caching, and a referrer only to the
// desk itself: with no-referrer some browsers send "Origin: null" with
// the desk's own forms, which a cross-origin check may refuse.
func (h *Handler) protect(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.log.Warn("cross-origin request refused", zapRequest(r)...)
		h.renderStatus(w, r, http.StatusForbidden, "다른 사이트에서 보낸 요청이라 거절했습니다. 편집 데스크 페이지에서 다시 시도하세요.")
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	}))
}

// safeNext returns where to go after signing in: a desk path from the
// sign-in form, never another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, Prefix) ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix
	}
	return u.RequestURI()
}
