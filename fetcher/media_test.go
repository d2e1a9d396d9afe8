package fetcher

import (
	"github.com/godevcommunity/newsletter/retry"

	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestResolveType(t *testing.T) {
	tests := []struct {
		name, declared, body, path, want string
	}{
		{"declared html", "text/html", "<p>x", "/", "text/html"},
		{"declared xhtml", "application/xhtml+xml", "<p>x", "/", "application/xhtml+xml"},
		{"declared pdf", "application/pdf", "%PDF-1.7", "/a.pdf", "application/pdf"},
		{"sniffed html", "", "<!DOCTYPE html><html><p>x", "/", "text/html"},
		{"sniffed pdf", "", "%PDF-1.7\n...", "/", "application/pdf"},
		{"sniffed png", "application/octet-stream", "\x89PNG\r\n\x1a\n\x00\x00", "/", "image/png"},
		{"sniffed zip", "", "PK\x03\x04\x14\x00", "/", "application/zip"},
		{"sniffed text", "", "just words", "/notes", "text/plain"},
		{"text at .md path", "text/plain", "# Title", "/README.md", "text/markdown"},
		{"octet-stream at .markdown path", "application/octet-stream", "# Title", "/doc.MARKDOWN", "text/markdown"},
		{"binary at .md path stays binary", "", "\x00\x01\x02\x03", "/x.md", "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := resolveType(tt.declared, []byte(tt.body), tt.path); got != tt.want {
			t.Errorf("%s: resolveType = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDeclaredType(t *testing.T) {
	tests := map[string]string{
		"text/html; charset=UTF-8": "text/html",
		"TEXT/HTML":                "text/html",
		"text/html; charset":       "text/html",
		"":                         "",
		" application/pdf ":        "application/pdf",
	}
	for in, want := range tests {
		if got := declaredType(in); got != want {
			t.Errorf("declaredType(%q) = %q, want %q", in, got, want)
		}
	}
}

// pdfBody starts like a real PDF: a header, then a comment of bytes above
// 127 that marks the file as binary.
var pdfBody = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + strings.Repeat("1 0 obj\n<< >>\nendobj\n", 1000)

func TestFetchContentTypes(t *testing.T) {
	var served atomic.Int64 // body bytes written, to see refusals happen before the download
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		write := func(ct, body string) {
			if ct == "" {
				w.Header()["Content-Type"] = nil // no header at all, not even a sniffed one
			} else {
				w.Header().Set("Content-Type", ct)
			}
			n, _ := fmt.Fprint(w, body)
			served.Add(int64(n))
		}
		switch r.URL.Path {
		case "/page.html":
			write("text/html", "<p>html</p>")
		case "/page.xhtml":
			write("application/xhtml+xml; charset=utf-8", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>`)
		case "/notes.txt":
			write("text/plain; charset=utf-8", "plain words")
		case "/doc.md", "/raw/README.md":
			write("text/plain", "# Title\n")
		case "/served-md":
			write("text/markdown; charset=utf-8", "# Markdown")
		case "/download.md":
			write("application/octet-stream", "# Downloaded markdown")
		case "/no-header":
			write("", "<!DOCTYPE html><html><body><p>sniffed</p></body></html>")
		case "/paper.pdf":
			write("application/pdf; charset=iso-8859-1", pdfBody)
		case "/sniffed.pdf":
			write("", pdfBody)
		case "/image":
			write("image/png", "\x89PNG\r\n\x1a\n")
		case "/video":
			write("video/mp4", "....")
		case "/audio":
			write("audio/mpeg", "ID3")
		case "/archive":
			write("", "PK\x03\x04\x14\x00\x00\x00")
		case "/json":
			write("application/json", "{}")
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig())

	ok := map[string]string{
		"/page.html":     "text/html",
		"/page.xhtml":    "text/html",
		"/notes.txt":     "text/plain",
		"/doc.md":        "text/markdown",
		"/raw/README.md": "text/markdown",
		"/served-md":     "text/markdown",
		"/download.md":   "text/markdown",
		"/no-header":     "text/html",
		"/paper.pdf":     "application/pdf",
		"/sniffed.pdf":   "application/pdf",
	}
	for path, want := range ok {
		page, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if page.MediaType != want {
			t.Errorf("%s: MediaType %q, want %q", path, page.MediaType, want)
		}
		// A PDF reaches the extractor as it was served, binary bytes
		// and all, whatever charset its header names.
		if want == "application/pdf" && string(page.Body) != pdfBody {
			t.Errorf("%s: body altered: %q", path, page.Body[:min(len(page.Body), 40)])
		}
	}

	refused := map[string]string{
		"/image":   "image/png",
		"/video":   "video/mp4",
		"/audio":   "audio/mpeg",
		"/archive": "application/zip",
		"/json":    "application/json",
	}
	for path, mt := range refused {
		_, err := f.Fetch(context.Background(), srv.URL+path)
		if !errors.Is(err, ErrUnsupportedType) || !retry.IsPermanent(err) {
			t.Errorf("%s: %v, want ErrUnsupportedType", path, err)
			continue
		}
		want := fmt.Sprintf("fetcher: %s%s: unsupported content type %q", srv.URL, path, mt)
		if err.Error() != want {
			t.Errorf("%s: error %q, want %q", path, err, want)
		}
	}
}
