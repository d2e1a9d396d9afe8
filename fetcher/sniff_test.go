package fetcher

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/retry"
)

var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	zstdBytes = []byte{0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x45, 0x00, 0x00}
	page      = []byte("<!doctype html><html><head><title>Go</title></head><body><p>unique 패키지</p></body></html>")
)

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFetchSniffsBodies: a body is checked against the text type it is
// read as, whatever the server declared. Undeclared gzip is decoded; other
// compressed or binary bytes are refused and never reach the extractor.
func TestFetchSniffsBodies(t *testing.T) {
	noise := make([]byte, 512<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	bodies := map[string]struct {
		body     []byte
		encoding string
	}{
		"/gzip-undeclared": {gzipped(t, page), ""},
		"/gzip-twice":      {gzipped(t, gzipped(t, page)), "gzip"},
		"/zstd":            {zstdBytes, ""},
		"/png":             {pngBytes, ""},
		"/noise":           {noise, ""},
		"/bomb":            {gzipped(t, bytes.Repeat([]byte("a"), 2<<20)), ""},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := bodies[r.URL.Path]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if b.encoding != "" {
			w.Header().Set("Content-Encoding", b.encoding)
		}
		_, _ = w.Write(b.body)
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxBodyBytes = 1 << 20
	f := newTestFetcher(t, cfg)

	for _, path := range []string{"/gzip-undeclared", "/gzip-twice"} {
		p, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !bytes.Equal(p.Body, page) || p.MediaType != "text/html" {
			t.Errorf("%s: got %s %q, want the decoded page", path, p.MediaType, p.Body)
		}
	}
	refused := []struct{ path, want string }{
		{"/zstd", "unsupported content type: zstd-compressed bytes, not text/html"},
		{"/png", "unsupported content type: binary content (image/png), not text/html"},
		{"/noise", "unsupported content type: binary content (unrecognised binary data), not text/html"},
		{"/bomb", "response body too large (limit 1 MiB)"},
	}
	for _, tt := range refused {
		_, err := f.Fetch(context.Background(), srv.URL+tt.path)
		if err == nil || !strings.HasSuffix(err.Error(), tt.want) || !retry.IsPermanent(err) {
			t.Errorf("%s: err = %v, want a permanent error ending %q", tt.path, err, tt.want)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"a.html":    page,
		"b.md":      []byte("# Title\n\nSome *markdown*.\n"),
		"c":         page,
		"page.html": gzipped(t, page),
		"a.png":     pngBytes,
		"fake.html": pngBytes,
		"notes.txt": append([]byte("text\x00with\x01control"), bytes.Repeat([]byte{0}, 16)...),
		"big.html":  bytes.Repeat([]byte("a"), 2<<10),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := testConfig()
	cfg.MaxBodyBytes = 1 << 10
	f := newTestFetcher(t, cfg)
	tests := []struct {
		name, mediaType, err string
	}{
		{name: "a.html", mediaType: "text/html"},
		{name: "b.md", mediaType: "text/markdown"},
		{name: "c", mediaType: "text/html"},
		{name: "page.html", mediaType: "text/html"},
		{name: "a.png", err: `unsupported content type "image/png"`},
		{name: "fake.html", err: "binary content (image/png), not text/html"},
		{name: "notes.txt", err: "binary content (unrecognised binary data), not text/plain"},
		{name: "big.html", err: "response body too large (limit 1 KiB)"},
		{name: "missing.html", err: "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			p, err := f.ReadFile(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), path) || !retry.IsPermanent(err) {
					t.Fatalf("err = %v, want a permanent error naming %s and saying %q", err, path, tt.err)
				}
				if tt.name != "missing.html" && !errors.Is(err, ErrUnsupportedType) && !errors.Is(err, ErrBodyTooLarge) {
					t.Errorf("err = %v, want ErrUnsupportedType or ErrBodyTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.MediaType != tt.mediaType || p.FinalURL != "file://"+filepath.ToSlash(path) {
				t.Errorf("got %s at %s", p.MediaType, p.FinalURL)
			}
		})
	}
}
