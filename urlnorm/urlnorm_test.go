package urlnorm

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://go.dev/blog/unique", "https://go.dev/blog/unique"},
		{"  HTTPS://Go.Dev/Blog/Unique  ", "https://go.dev/Blog/Unique"},
		{"https://go.dev", "https://go.dev/"},
		{"https://go.dev:443/x", "https://go.dev/x"},
		{"http://go.dev:80/x", "http://go.dev/x"},
		{"http://go.dev:443/x", "http://go.dev:443/x"},
		{"https://go.dev:8443/x", "https://go.dev:8443/x"},
		{"https://go.dev/x#section-2", "https://go.dev/x"},
		{"https://go.dev/x?", "https://go.dev/x"},
		{"https://example.com./x", "https://example.com/x"},
		{"https://a.example/p?utm_source=akshay&utm_medium=x&UTM_Campaign=y", "https://a.example/p"},
		{"https://a.example/p?id=3&fbclid=abc&gclid=def&page=2", "https://a.example/p?id=3&page=2"},
		{"https://a.example/p?mc_cid=1&mc_eid=2&q=go+lang&z=%2F", "https://a.example/p?q=go+lang&z=%2F"},
		{"https://cloud.google.com/blog/x/?ref=dailydev&hl=en", "https://cloud.google.com/blog/x/?hl=en"},
		{"https://github.com/o/r/compare?ref=main", "https://github.com/o/r/compare?ref=main"},
		{"https://git.sovbit.dev/Enki/sovran-scripts?ref=v1", "https://git.sovbit.dev/Enki/sovran-scripts?ref=v1"},
		{"https://a.example/p?b=2&a=1", "https://a.example/p?b=2&a=1"},
		{"https://Bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"},
		{"https://한국.example/", "https://xn--3e0b707e.example/"},
		{"http://2130706433/", "http://127.0.0.1/"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://017700000001:8080/", "http://127.0.0.1:8080/"},
		{"http://[0:0:0:0:0:0:0:1]:80/", "http://[::1]/"},
		{"http://[::FFFF:7F00:1]/", "http://[::ffff:127.0.0.1]/"},
		{"http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/"},
		{"https://a.example/a%20b/c", "https://a.example/a%20b/c"},
		// Typed without a scheme, as into a browser: https.
		{"go.dev/blog/unique", "https://go.dev/blog/unique"},
		{"Go.Dev", "https://go.dev/"},
		{"go.dev:8443/x?utm_source=y", "https://go.dev:8443/x"},
		{"127.0.0.1/admin", "https://127.0.0.1/admin"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err != nil {
			t.Errorf("Normalize(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again, err := Normalize(got); again != got || err != nil {
			t.Errorf("Normalize(%q) = %q, %v; a normalised URL must normalise to itself", got, again, err)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"", "empty"},
		{"blog/post", "missing scheme"},
		{"localhost/x", "missing scheme"},
		{"mailto:a@go.dev", `unsupported scheme "mailto"`},
		{"ftp://go.dev/x", `unsupported scheme "ftp"`},
		{"javascript:alert(1)", `unsupported scheme "javascript"`},
		{"file:///etc/passwd", `unsupported scheme "file"`},
		{"http:go.dev", "missing //"},
		{"http:///path", "missing host"},
		{"https://user:pass@go.dev/", "credentials"},
		{"https://go.dev:99999/", "invalid port"},
		{"https://go.dev:0/", "invalid port"},
		{"http://[fe80::1%25eth0]/", "zone"},
		{"http://1.2.3.4.5/", "more than four parts"},
		{"http://256.1.1.1/", "above 255"},
		{"http://example.09/", "bad number"},
		{"http://exa$mple.com/", "invalid character"},
		{"http://a..b/", "invalid host name"},
		{"http://example.com../", "invalid host name"},
		{"http://localhost../", "invalid host name"},
		{"https://go.dev/" + strings.Repeat("a", maxURLLength), "longer than"},
	}
	for _, tt := range tests {
		_, err := Normalize(tt.in)
		if err == nil {
			t.Errorf("Normalize(%q) succeeded; want error", tt.in)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(msg, "invalid URL ") || !strings.Contains(msg, tt.reason) {
			t.Errorf("Normalize(%q) error %q; want ErrInvalid mentioning %q", tt.in, msg, tt.reason)
		}
		if strings.Contains(msg, "\n") || len(msg) > 400 {
			t.Errorf("Normalize(%q) error is not one short line: %q", tt.in, msg)
		}
		if len(tt.in) < 100 && !strings.Contains(msg, `"`+tt.in+`"`) {
			t.Errorf("Normalize(%q) error %q does not quote the input", tt.in, msg)
		}
	}
}
