package fetcher

import "testing"

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
