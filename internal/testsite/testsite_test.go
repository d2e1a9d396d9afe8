package testsite

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestSite(t *testing.T) {
	s := New(t)
	s.Add("/post", "Go & SQLite")
	s.Set("/amp", Page{Title: "Go & SQLite", Canonical: "/post"})
	s.Set("/raw", Page{Body: "<p>raw</p>"})
	s.Set("/down", Page{Status: http.StatusServiceUnavailable})
	s.Set("/gone", Page{Title: "Gone", Status: http.StatusNotFound})
	tests := []struct {
		path       string
		wantStatus int
		wantBody   []string
	}{
		{"/post", http.StatusOK, []string{"<title>Go &amp; SQLite</title>\n<meta", "<h1>Go &amp; SQLite</h1>"}},
		{"/amp", http.StatusOK, []string{`<link rel="canonical" href="` + s.URL + `/post">`}},
		{"/raw", http.StatusOK, []string{"<p>raw</p>"}},
		{"/down", http.StatusServiceUnavailable, nil},
		{"/gone", http.StatusNotFound, nil},
		{"/missing", http.StatusNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := get(t, s.URL+tt.path)
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			for _, want := range tt.wantBody {
				if !strings.Contains(body, want) {
					t.Errorf("body %q lacks %q", body, want)
				}
			}
			if n := s.Hits(tt.path); n != 1 {
				t.Errorf("hits %d, want 1", n)
			}
		})
	}
}

func TestSiteBlocks(t *testing.T) {
	s := New(t)
	p := Page{Title: "Slow", Block: make(chan struct{}), Entered: make(chan struct{})}
	u := s.Set("/slow", p)
	done := make(chan int)
	go func() {
		resp, err := http.Get(u)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-p.Entered
	close(p.Block)
	if status := <-done; status != http.StatusOK {
		t.Errorf("status %d after release, want 200", status)
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
