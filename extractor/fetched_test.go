package extractor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/korean"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
)

// TestExtractFetchedLegacyCharset runs a legacy-encoded page through the
// fetcher and the extractor together: the fetcher decodes the body to
// UTF-8 and leaves its <meta charset> in place, so the extractor must not
// decode it a second time.
func TestExtractFetchedLegacyCharset(t *testing.T) {
	const (
		title = "고 언어 소식"
		para  = "반복자는 함수 하나로 정의되며, 호출하는 쪽의 루프 본문이 콜백이 됩니다. 예제를 통해 자세히 알아보겠습니다."
	)
	page := `<html><head><meta charset="euc-kr"><title>` + title + `</title></head><body><article><h1>` + title +
		`</h1><p>` + para + `</p><p>` + para + `</p></article></body></html>`
	body, err := korean.EUCKR.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/header":
			w.Header().Set("Content-Type", "text/html; charset=EUC-KR")
		default:
			w.Header().Set("Content-Type", "text/html")
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	cfg := config.Default().Fetcher
	cfg.AllowedNetworks = []string{"127.0.0.1/32"} // the test server; its URL is an IP literal, so nothing is resolved
	f, err := fetcher.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.CloseIdleConnections()

	for _, path := range []string{"/meta", "/header"} {
		p, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		a, err := extractor.Extract(p.Body, p.FinalURL, p.MediaType)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if a.Title != title || !strings.Contains(a.Text, para) {
			t.Errorf("%s: title %q, text %q; want %q and %q", path, a.Title, a.Text, title, para)
		}
	}
}
