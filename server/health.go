package server

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"time"
)

// healthz answers while the process is up.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyTimeout bounds each readiness check.
const readyTimeout = 2 * time.Second

// readyz answers 200 when the database answers and every readiness check
// passes, 503 naming the failures otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	checks := map[string]func(context.Context) error{"database": s.opts.Desk.Ping}
	maps.Copy(checks, s.opts.Ready)
	status := map[string]string{}
	ok := true
	for _, name := range slices.Sorted(maps.Keys(checks)) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		err := checks[name](ctx)
		cancel()
		if err != nil {
			ok = false
			status[name] = err.Error()
			continue
		}
		status[name] = "ok"
	}
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{"ready": ok, "checks": status})
}
