package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// deadlineRecorder records the write deadline a handler sets.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadline time.Time
}

func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error { d.deadline = t; return nil }

// TestSlowWriteDeadline: the answers that wait for Gemini or publishing
// get slowWriteTimeout to be written; the others keep writeTimeout.
func TestSlowWriteDeadline(t *testing.T) {
	ok := func(w http.ResponseWriter, r *http.Request) {}
	tests := []struct {
		name   string
		h      http.Handler
		method string
		lifted bool
	}{
		{"an API action", slow(ok), http.MethodPost, true},
		{"a web form", slowPosts(http.HandlerFunc(ok)), http.MethodPost, true},
		{"a web page", slowPosts(http.HandlerFunc(ok)), http.MethodGet, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
			before := time.Now()
			tt.h.ServeHTTP(w, httptest.NewRequest(tt.method, "/", nil))
			if lifted := !w.deadline.IsZero(); lifted != tt.lifted {
				t.Fatalf("deadline set = %v, want %v", lifted, tt.lifted)
			}
			if tt.lifted && w.deadline.Before(before.Add(slowWriteTimeout)) {
				t.Errorf("deadline %v is sooner than %v from the request", w.deadline, slowWriteTimeout)
			}
		})
	}
}
