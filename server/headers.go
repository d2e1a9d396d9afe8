package server

import "net/http"

// frameDeny is the content security policy of every answer that sets no
// policy of its own: no page of another site may frame it.
const frameDeny = "frame-ancestors 'none'"

// secureHeaders sets on every answer the headers no page of the server
// should go without: it cannot be framed by another site (clickjacking
// the archive) and its type is not sniffed (a feed or the metrics read
// as HTML). A handler that sets its own Content-Security-Policy (the
// archive's pages, the desk's) replaces the one set here and says
// frame-ancestors itself.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", frameDeny)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
