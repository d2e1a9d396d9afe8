package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// authenticate requires "Authorization: Bearer <server.token>" when a token
// is configured.
func (s *Server) authenticate(next http.Handler) http.Handler {
	token := s.opts.Server.Token
	if token == "" {
		return next
	}
	// Comparing digests keeps the comparison constant-time whatever the
	// length of the presented token.
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsletter"`)
			writeError(w, http.StatusUnauthorized, "missing bearer token: send Authorization: Bearer <server.token>")
			return
		}
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsletter", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "invalid bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}
