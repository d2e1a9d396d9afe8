package fetcher

import (
	"github.com/godevcommunity/newsletter/retry"

	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zlibBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}

func flateBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.DefaultCompression)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}

func TestReadBody(t *testing.T) {
	const limit = 1 << 10
	text := []byte(strings.Repeat("가나다 abc ", 30)) // under the limit
	big := bytes.Repeat([]byte("a"), limit+1)
	bomb := gzipBytes(t, make([]byte, 64*limit)) // ~100 bytes on the wire
	if len(bomb) >= limit {
		t.Fatalf("bomb is %d bytes compressed; it should be far under the limit", len(bomb))
	}
	tests := []struct {
		name          string
		encoding      string
		body          []byte
		contentLength int64
		want          []byte
		wantErr       error
		wantMsg       string
	}{
		{name: "identity", body: text, want: text},
		{name: "exactly the limit", body: big[:limit], want: big[:limit]},
		{name: "one byte over", body: big, wantErr: ErrBodyTooLarge, wantMsg: "response body too large (limit 1 KiB)"},
		{name: "declared length over", body: text, contentLength: limit + 1, wantErr: ErrBodyTooLarge},
		{name: "gzip", encoding: "gzip", body: gzipBytes(t, text), want: text},
		{name: "x-gzip", encoding: "X-Gzip", body: gzipBytes(t, text), want: text},
		{name: "gzip bomb", encoding: "gzip", body: bomb, wantErr: ErrBodyTooLarge},
		{name: "deflate (zlib)", encoding: "deflate", body: zlibBytes(t, text), want: text},
		{name: "deflate (raw)", encoding: "deflate", body: flateBytes(t, text), want: text},
		{name: "gzip twice", encoding: "gzip, gzip", body: gzipBytes(t, gzipBytes(t, text)), want: text},
		{name: "identity listed", encoding: "identity", body: text, want: text},
		{name: "empty gzip body", encoding: "gzip", body: nil, want: []byte{}},
		{name: "brotli", encoding: "br", body: text, wantErr: ErrUnsupportedType, wantMsg: `content encoding "br"`},
		{name: "corrupt gzip", encoding: "gzip", body: []byte("not gzip at all"), wantMsg: "invalid gzip content encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{
				Header:        http.Header{},
				Body:          io.NopCloser(bytes.NewReader(tt.body)),
				ContentLength: tt.contentLength,
			}
			if tt.encoding != "" {
				resp.Header.Set("Content-Encoding", tt.encoding)
			}
			got, err := readBody(resp, limit)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantMsg != "" && (err == nil || !strings.Contains(err.Error(), tt.wantMsg)) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantMsg)
			}
			if tt.wantErr == nil && tt.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, tt.want) {
					t.Fatalf("body = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestFetchBodyCap(t *testing.T) {
	const limit = 64 << 10
	bomb := gzipBytes(t, make([]byte, 16<<20)) // 16 MiB of zeros, ~16 KiB compressed
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		case "/big":
			w.Header().Set("Content-Length", fmt.Sprint(limit+1))
			w.Write(make([]byte, limit+1))
		case "/stream": // no Content-Length: chunked, endless until the client stops reading
			chunk := []byte(strings.Repeat("<p>text</p>", 1000))
			for r.Context().Err() == nil && written.Load() < 64<<20 {
				n, err := w.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxBodyBytes = limit
	f := newTestFetcher(t, cfg)
	for _, path := range []string{"/bomb", "/big", "/stream"} {
		_, err := f.Fetch(context.Background(), srv.URL+path)
		if !errors.Is(err, ErrBodyTooLarge) || !retry.IsPermanent(err) {
			t.Errorf("%s: %v, want ErrBodyTooLarge", path, err)
			continue
		}
		if want := "fetcher: " + srv.URL + path + ": response body too large (limit 64 KiB)"; err.Error() != want {
			t.Errorf("%s: error %q, want %q", path, err, want)
		}
	}
	if written.Load() >= 64<<20 {
		t.Errorf("the client read the whole endless stream (%d bytes)", written.Load())
	}
}
