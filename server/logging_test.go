package server

import (
	"net/http"
	"testing"

	"github.com/godevcommunity/newsletter/api"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// A rejected request is logged with the reason the client was given.
func TestRequestLogNamesRejection(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	ts := newTestServer(t, func(o *Options) { o.Log = zap.New(core) })
	status, body, _ := ts.do(t, http.MethodPost, "/api/v1/submissions", `{"url": "ftp://example.com/x"}`)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d: %s", status, body)
	}
	want := decode[api.ErrorBody](t, body).Error
	entries := logs.FilterMessage("request").FilterField(zap.Int("status", http.StatusBadRequest)).All()
	if len(entries) != 1 {
		t.Fatalf("%d request log entries with status 400, want 1", len(entries))
	}
	if got := entries[0].ContextMap()["error"]; got != want || want == "" {
		t.Errorf("logged error %q, want the message sent: %q", got, want)
	}
}
