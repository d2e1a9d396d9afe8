package fetcher

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/retry"
)

// zeroReader streams n bytes of a feed's filler without holding them.
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	for i := range p {
		p[i] = ' '
	}
	z.n -= int64(len(p))
	return len(p), nil
}

func TestFetchFeed(t *testing.T) {
	const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>`
	var sent int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.atom":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 07 Dec 2026 10:00:00 GMT")
			w.Header().Set("Content-Type", "application/atom+xml")
			_, _ = io.WriteString(w, atom)
		case "/huge.xml": // 100 MB, streamed without a length
			w.Header().Set("Content-Type", "application/rss+xml")
			_, _ = io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel>`)
			n, _ := io.Copy(w, &zeroReader{n: 100 << 20})
			sent += n
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxBodyBytes = 1 << 20
	f := newTestFetcher(t, cfg)
	ctx := context.Background()

	p, err := f.FetchFeed(ctx, srv.URL+"/feed.atom", Validators{})
	if err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	if string(p.Body) != atom || p.ETag != `"v1"` || p.LastModified == "" || p.NotModified {
		t.Errorf("first fetch = %+v", p)
	}
	p, err = f.FetchFeed(ctx, srv.URL+"/feed.atom", Validators{ETag: p.ETag, LastModified: p.LastModified})
	if err != nil || !p.NotModified || len(p.Body) != 0 {
		t.Errorf("conditional fetch = %+v, %v; want 304", p, err)
	}

	_, err = f.FetchFeed(ctx, srv.URL+"/huge.xml", Validators{})
	if !errors.Is(err, ErrBodyTooLarge) || !retry.IsPermanent(err) {
		t.Errorf("100 MB feed: %v, want a permanent ErrBodyTooLarge", err)
	}
	if !strings.Contains(err.Error(), "huge.xml") {
		t.Errorf("error %q does not name the feed", err)
	}

	_, err = f.FetchFeed(ctx, srv.URL+"/gone", Validators{})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Errorf("missing feed: %v, want 404", err)
	}
	_, err = f.FetchFeed(ctx, "http://private.test/feed", Validators{})
	if !errors.Is(err, ErrRefusedAddress) {
		t.Errorf("private feed: %v, want refused", err)
	}
}
