package listmonktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// call sends one request as a client of listmonk's API would and returns
// the status and the decoded body.
func call(t *testing.T, s *Server, method, path, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	return resp.StatusCode, out
}

func TestWireFormat(t *testing.T) {
	s := New(t, nil)
	token := "token " + User + ":" + Token
	for _, tc := range []struct {
		name, method, path, auth, body string
		status                         int
		check                          func(map[string]any) bool
	}{
		{"envelope and pagination", "GET", "/api/lists?page=1&per_page=all", token, "", 200, func(m map[string]any) bool {
			d, _ := m["data"].(map[string]any)
			r, _ := d["results"].([]any)
			return len(r) == 1 && d["total"] == float64(1) && d["page"] == float64(1)
		}},
		{"basic auth", "GET", "/api/campaigns", "Basic bmV3c2xldHRlcjpsbS10ZXN0LXRva2VuLThkMmY2YQ==", "", 200, func(m map[string]any) bool {
			return m["data"] != nil
		}},
		{"no credentials", "GET", "/api/campaigns", "", "", 403, func(m map[string]any) bool {
			return m["message"] == "Invalid API credentials" && m["data"] == nil
		}},
		{"create", "POST", "/api/campaigns", token,
			`{"name":"n","subject":"s","lists":[1],"type":"regular","content_type":"markdown","body":"b"}`, 200, func(m map[string]any) bool {
				d, _ := m["data"].(map[string]any)
				return d["id"] == float64(1) && d["status"] == "draft"
			}},
		{"invalid", "POST", "/api/campaigns", token, `{"name":"n","subject":"s","lists":[],"content_type":"markdown"}`, 400,
			func(m map[string]any) bool { return m["message"] == "Invalid lists" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(t, s, tc.method, tc.path, tc.auth, tc.body)
			if status != tc.status || !tc.check(body) {
				t.Errorf("%s %s = %d %v", tc.method, tc.path, status, body)
			}
		})
	}
	s.Deny(PermSend)
	if status, body := call(t, s, "PUT", "/api/campaigns/1/status", token, `{"status":"running"}`); status != 403 ||
		body["message"] != "Permission denied: "+PermSend {
		t.Errorf("without campaigns:send = %d %v", status, body)
	}
}
