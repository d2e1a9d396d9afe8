package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	reason string // the error message sent, for the log
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// setReason records the error message sent to the client.
func (w *statusWriter) setReason(msg string) { w.reason = msg }

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs every request with its status and duration, and counts
// it in the HTTP metrics. Probes and scrapes log at debug level.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, sw.status, elapsed)
		level := zapcore.InfoLevel
		switch {
		case sw.status >= 500:
			level = zapcore.ErrorLevel
		case r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics":
			level = zapcore.DebugLevel
		}
		if ce := s.log.Check(level, "request"); ce != nil {
			fields := []zap.Field{
				zap.String("method", r.Method),
				zap.String("path", r.URL.Path),
				zap.Int("status", sw.status),
				zap.Int64("bytes", sw.bytes),
				zap.Duration("duration", elapsed),
				zap.String("remote", r.RemoteAddr),
			}
			if info.actor != "" {
				fields = append(fields, zap.String("by", info.actor))
			}
			if sw.reason != "" {
				fields = append(fields, zap.String("error", sw.reason))
			}
			ce.Write(fields...)
		}
	})
}

// statusClass is the label for a status code: "2xx", "4xx" and so on.
func statusClass(code int) string { return strconv.Itoa(code/100) + "xx" }
