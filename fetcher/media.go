package fetcher

import (
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
)

// A converter turns a response body of one media type into the text handed
// to the extractor and names the media type of the result. contentType is
// the header as sent ("" when the type was sniffed). Supporting another
// format, PDF say, is one converter and one line in converters.
type converter func(body []byte, contentType string) (mediaType string, text []byte, err error)

// converters lists the media types Fetch accepts; every other type is
// refused with ErrUnsupportedType.
var converters = map[string]converter{
	"text/html":             convertHTML,
	"application/xhtml+xml": convertHTML,
	"text/plain":            convertText("text/plain"),
	"text/markdown":         convertText("text/markdown"),
	"text/x-markdown":       convertText("text/markdown"),
	"application/pdf":       convertPDF,
}

func convertHTML(body []byte, contentType string) (string, []byte, error) {
	text, err := toUTF8(body, contentType, true)
	return "text/html", text, err
}

// convertPDF passes a PDF through as bytes: the extractor reads its text.
func convertPDF(body []byte, _ string) (string, []byte, error) {
	return "application/pdf", body, nil
}

func convertText(mediaType string) converter {
	return func(body []byte, contentType string) (string, []byte, error) {
		text, err := toUTF8(body, contentType, false)
		return mediaType, text, err
	}
}

// declaredType returns the lower-cased media type of a Content-Type header
// value, without parameters; "" when absent.
func declaredType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// isGeneric reports whether a declared type says nothing about the content,
// so the body must be sniffed.
func isGeneric(mediaType string) bool {
	switch mediaType {
	case "", "application/octet-stream", "binary/octet-stream", "application/unknown", "unknown/unknown":
		return true
	}
	return false
}

// acceptable reports whether a declared type is worth downloading: either
// supported or to be sniffed.
func acceptable(mediaType string) bool {
	return isGeneric(mediaType) || converters[mediaType] != nil
}

// resolveType decides the media type of a body: the declared type, or a
// sniffed one (http.DetectContentType) when the header is missing or
// generic. Plain text at a .md or .markdown path is markdown, since servers
// rarely know that type.
func resolveType(declared string, body []byte, urlPath string) string {
	mt := declared
	if isGeneric(mt) {
		mt = declaredType(http.DetectContentType(body))
	}
	if mt == "text/plain" {
		switch strings.ToLower(path.Ext(urlPath)) {
		case ".md", ".markdown":
			mt = "text/markdown"
		}
	}
	return mt
}

func unsupported(mediaType string) error {
	if mediaType == "" {
		mediaType = "unknown"
	}
	return fmt.Errorf("%w %q", ErrUnsupportedType, mediaType)
}
