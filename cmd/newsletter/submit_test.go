package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSubmitCommand(t *testing.T) {
	var got struct {
		URL, SubmittedBy, Note, Auth string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/base/api/v1/submissions" {
			http.Error(w, `{"error":"wrong endpoint"}`, http.StatusNotFound)
			return
		}
		got.Auth = r.Header.Get("Authorization")
		var body map[string]string
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &body)
		got.URL, got.SubmittedBy, got.Note = body["url"], body["submitted_by"], body["note"]
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.Contains(got.URL, "10.0.0.1"):
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"url: http://10.0.0.1/: refused address 10.0.0.1 (private network)","code":"url_refused","field":"url"}`)
		case got.Auth != "Bearer t0ken":
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid bearer token"}`)
		case strings.Contains(got.URL, "again"):
			io.WriteString(w, `{"id":7,"url":"https://example.com/again","state":"duplicate","duplicate_of":3}`)
		case strings.Contains(got.URL, "html"):
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, `<html>bad gateway</html>`)
		default:
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"id":8,"url":"https://example.com/new","state":"new"}`)
		}
	}))
	defer srv.Close()
	env := map[string]string{"NEWSLETTER_SERVER_URL": srv.URL + "/base", "NEWSLETTER_SERVER_TOKEN": "t0ken"}

	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"created", env, []string{"https://example.com/new", "--note", "좋은 글", "--by", "kim"}, 0, "submitted #8 https://example.com/new\n", ""},
		{"already there", env, []string{"https://example.com/again"}, 0, "already submitted as #7 https://example.com/again (duplicate of #3)", ""},
		{"json", env, []string{"--json", "https://example.com/new"}, 0, `"id": 8`, ""},
		{"refused", env, []string{"http://10.0.0.1/"}, 1, "", "submit: url: http://10.0.0.1/: refused address 10.0.0.1 (private network) (url_refused, 400 Bad Request); " +
			"the server fetches loopback and private addresses only when its fetcher.allow_private_networks is set or its fetcher.allowed_networks lists the network"},
		{"bad token", map[string]string{"NEWSLETTER_SERVER_URL": srv.URL + "/base", "NEWSLETTER_SERVER_TOKEN": "nope"},
			[]string{"https://example.com/new"}, 1, "", "invalid bearer token (401 Unauthorized); set NEWSLETTER_SERVER_TOKEN"},
		{"token by flag", map[string]string{"NEWSLETTER_SERVER_URL": srv.URL + "/base"},
			[]string{"https://example.com/new", "--token", "t0ken"}, 0, "submitted #8 https://example.com/new\n", ""},
		{"server and token by flag", nil,
			[]string{"--server", srv.URL + "/base", "--token=t0ken", "https://example.com/new"}, 0, "submitted #8", ""},
		{"not JSON", env, []string{"https://example.com/html"}, 1, "", "answered 502 Bad Gateway"},
		{"unreachable", map[string]string{"NEWSLETTER_SERVER_URL": "http://127.0.0.1:1"}, []string{"https://example.com/new"}, 1, "", "cannot reach the server at http://127.0.0.1:1 (is \"newsletter serve\" running?"},
		{"no URL", env, nil, 2, "", "submit takes one URL"},
		{"two URLs", env, []string{"https://a.example", "https://b.example"}, 2, "", "submit takes one URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runApp(t, tt.env, append([]string{"submit"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantStdout) || !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("code %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
	// The last request carried every field and the token.
	runApp(t, env, "submit", "https://example.com/new", "--note", "좋은 글", "--by", "kim")
	if got.URL != "https://example.com/new" || got.Note != "좋은 글" || got.SubmittedBy != "kim" || got.Auth != "Bearer t0ken" {
		t.Errorf("request = %+v", got)
	}
}

// Every command that talks to the server takes --server, and --token when
// it calls the API; their help names those commands.
func TestClientCommandsTakeServerAndToken(t *testing.T) {
	for _, cmd := range []string{"submit", "submissions", "retry", "delete", "draft", "edit", "intro", "regenerate", "publish", "status", "healthcheck"} {
		t.Run(cmd, func(t *testing.T) {
			code, out, errs := runApp(t, nil, cmd, "-h")
			if code != 0 {
				t.Fatalf("%s -h: code %d, %s", cmd, code, errs)
			}
			wants := []string{"--server URL\n      base URL of the running server, for submit, submissions,", "intro, regenerate, publish, status and healthcheck"}
			if cmd != "healthcheck" { // /healthz needs no token
				wants = append(wants, "--token TOKEN\n      bearer TOKEN of the server's API, for submit,")
			}
			for _, want := range wants {
				if !strings.Contains(out, want) {
					t.Errorf("%s -h lacks %q:\n%s", cmd, want, out)
				}
			}
		})
	}
}
