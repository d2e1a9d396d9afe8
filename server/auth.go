package server

import (
	"net"
	"net/http"
	"strings"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/internal/limit"
)

// authenticate requires "Authorization: Bearer <token>" when a token is
// configured: server.token, whose caller the history names "api", or an
// editor's token from server.editors, named by the editor. The desk checks
// it (desk.Desk.SignIn): wrong tokens from one address are limited as the
// web desk's sign-ins are, and with them (429 with Retry-After). Without any the
// API trusts the machine it listens on, so it refuses what a web browser
// there could be made to send for another site: cross-origin requests, and
// requests addressed to a host name that is not loopback (DNS rebinding).
func (s *Server) authenticate(next http.Handler) http.Handler {
	if !s.opts.Server.HasTokens() {
		return localOnly(next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsletter"`)
			writeError(w, http.StatusUnauthorized, "missing bearer token: send Authorization: Bearer <server.token>")
			return
		}
		name, err := s.opts.Desk.SignIn(got, limit.ClientAddr(r))
		if err != nil {
			if desk.AsError(err).Kind == desk.Unauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="newsletter", error="invalid_token"`)
			}
			s.deskError(w, r, err)
			return
		}
		setActor(r, name)
		next.ServeHTTP(w, r)
	})
}

// localOnly refuses browser requests made on behalf of another site.
func localOnly(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host // no port
		}
		if !isLoopbackHost(strings.Trim(host, "[]")) {
			writeError(w, http.StatusForbidden, "request addressed to %q: without server.token the API answers only requests to a loopback address", r.Host)
			return
		}
		if err := cop.Check(r); err != nil {
			writeError(w, http.StatusForbidden, "cross-origin request refused: without server.token the API answers only requests from this machine's own tools")
			return
		}
		setActor(r, "local")
		next.ServeHTTP(w, r)
	})
}

// requestInfo is what the handlers of a request learn about it for its log
// line; logRequests puts one in every request's context. It is filled in
// place, since a request copied with a new context would lose the route
// pattern the muxes set on it.
type requestInfo struct {
	actor string // who made the request: an editor, "api" or "local"
}

type requestInfoKey struct{}

// setActor names the caller of a request, for the history of what it
// changes.
func setActor(r *http.Request, name string) {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		info.actor = name
	}
}

// caller is who makes the request and where from, for the desk's limits.
func caller(r *http.Request) desk.Caller {
	return desk.Caller{Actor: actor(r), Addr: limit.ClientAddr(r)}
}

// actor returns the name of the request's caller: an editor's name, "api"
// for the server token, "local" without a token.
func actor(r *http.Request) string {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return info.actor
	}
	return ""
}
