package fetcher

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
)

const (
	korText = "고 언어 뉴스레터: 한국어 본문입니다."
	jpText  = "こんにちは、世界。日本語の記事です。"
)

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func htmlDoc(head string, body []byte) []byte {
	return append([]byte("<!doctype html><html><head>"+head+"<title>t</title></head><body><p>"), append(body, "</p></body></html>"...)...)
}

func TestToUTF8(t *testing.T) {
	longHead := "<script>" + strings.Repeat("var x = 1; ", 200) + "</script>" // pushes <meta> past 1 KiB
	eucKR := encode(t, korean.EUCKR, korText)
	sjis := encode(t, japanese.ShiftJIS, jpText)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		html        bool
		want        string
	}{
		{"EUC-KR via header", htmlDoc("", eucKR), "text/html; charset=EUC-KR", true, korText},
		{"EUC-KR via meta charset", htmlDoc(`<meta charset="euc-kr">`, eucKR), "text/html", true, korText},
		{"EUC-KR via http-equiv", htmlDoc(`<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">`, eucKR), "", true, korText},
		{"EUC-KR via meta after 1 KiB", htmlDoc(longHead+`<meta charset="euc-kr">`, eucKR), "text/html", true, korText},
		{"Shift_JIS via header", htmlDoc("", sjis), "text/html; charset=Shift_JIS", true, jpText},
		{"Shift_JIS via meta charset", htmlDoc(`<meta charset="shift_jis">`, sjis), "text/html", true, jpText},
		{"Shift_JIS via http-equiv", htmlDoc(`<meta http-equiv="content-type" content="text/html;charset=x-sjis">`, sjis), "", true, jpText},
		{"ISO-2022-JP declared, bytes all ASCII", htmlDoc(`<meta charset="iso-2022-jp">`, encode(t, japanese.ISO2022JP, jpText)), "text/html", true, jpText},
		{"UTF-8 undeclared after a long ASCII head", htmlDoc(longHead, []byte(korText)), "text/html", true, korText},
		{"UTF-8 under a stale meta", htmlDoc(`<meta charset="euc-kr">`, []byte(korText)), "text/html", true, korText},
		{"UTF-8 under a wrong header", htmlDoc("", []byte(korText)), "text/html; charset=iso-8859-1", true, korText},
		{"windows-1252 undeclared", htmlDoc("", encode(t, charmap.Windows1252, "café")), "text/html", true, "café"},
		{"UTF-8 BOM removed", append([]byte("\xEF\xBB\xBF"), korText...), "text/plain", false, korText},
		{"UTF-16LE BOM", append([]byte{0xFF, 0xFE}, encodeUTF16LE(korText)...), "text/plain", false, korText},
		{"plain text EUC-KR via header", eucKR, "text/plain; charset=euc-kr", false, korText},
		{"markdown UTF-8 undeclared", []byte("# " + korText), "text/markdown", false, "# " + korText},
		{"invalid UTF-8 replaced", []byte("ok \xff end"), "text/plain; charset=utf-8", false, "ok \uFFFD end"},
		{"plain text ignores meta-like text", []byte(`<meta charset="shift_jis"> plain ascii`), "text/plain", false, `<meta charset="shift_jis"> plain ascii`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toUTF8(tt.body, tt.contentType, tt.html)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tt.want) {
				t.Fatalf("toUTF8 = %q, want it to contain %q", got, tt.want)
			}
			if strings.HasPrefix(string(got), "\uFEFF") {
				t.Fatal("byte order mark kept")
			}
		})
	}
}

func encodeUTF16LE(s string) []byte {
	var b []byte
	for _, r := range s { // the test strings are in the BMP
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestCharsetParam(t *testing.T) {
	tests := map[string]string{
		"text/html; charset=euc-kr":       "euc-kr",
		`text/html; charset="Shift_JIS"`:  "Shift_JIS",
		"text/html;charset=utf-8 ;":       "utf-8",
		"text/html":                       "",
		"text/html; charset=euc-kr; junk": "euc-kr",
		"text/html; junk; charset='sjis'": "sjis",
		"text/html; junk":                 "",
	}
	for in, want := range tests {
		if got := charsetParam(in); got != want {
			t.Errorf("charsetParam(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFetchCharsets(t *testing.T) {
	eucKR, _ := korean.EUCKR.NewEncoder().Bytes([]byte(korText))
	sjis, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(jpText))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/euckr-header":
			w.Header().Set("Content-Type", "text/html; charset=euc-kr")
			w.Write(htmlDoc("", eucKR))
		case "/euckr-meta":
			w.Header().Set("Content-Type", "text/html")
			w.Write(htmlDoc(`<meta charset="EUC-KR">`, eucKR))
		case "/sjis-header":
			w.Header().Set("Content-Type", "text/html; charset=shift_jis")
			w.Write(htmlDoc("", sjis))
		case "/sjis-meta":
			w.Header().Set("Content-Type", "text/html")
			w.Write(htmlDoc(`<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`, sjis))
		case "/euckr-gzip":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBytes(t, htmlDoc(`<meta charset="euc-kr">`, eucKR)))
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig())
	for path, want := range map[string]string{
		"/euckr-header": korText, "/euckr-meta": korText, "/euckr-gzip": korText,
		"/sjis-header": jpText, "/sjis-meta": jpText,
	} {
		page, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("%s: body %q does not contain %q", path, page.Body, want)
		}
	}
}
