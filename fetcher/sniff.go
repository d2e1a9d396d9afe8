package fetcher

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// magic numbers of compressed formats a server may send without saying so.
var compressed = []struct {
	name  string
	magic []byte
}{
	{"gzip", []byte{0x1f, 0x8b}},
	{"zstd", []byte{0x28, 0xb5, 0x2f, 0xfd}},
	{"xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}},
	{"bzip2", []byte("BZh")},
	{"zip", []byte("PK\x03\x04")},
	{"7z", []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}},
}

// sniffBody checks the bytes of a body against the text type it is about
// to be read as. Some servers gzip a page and forget Content-Encoding (or
// compress it twice): such a body is decoded (within limit). Any other compressed or binary
// body is refused whatever type was declared, so it never reaches the
// extractor, the model or an issue. mediaType is the type the body will be
// read as; only text types are checked.
func sniffBody(body []byte, mediaType string, limit int64) ([]byte, error) {
	if !isText(mediaType) {
		return body, nil
	}
	for _, c := range compressed {
		if !bytes.HasPrefix(body, c.magic) {
			continue
		}
		if c.name != "gzip" {
			return nil, fmt.Errorf("%w: %s-compressed bytes, not %s", ErrUnsupportedType, c.name, mediaType)
		}
		decoded, err := gunzip(body, limit)
		if err != nil {
			return nil, err
		}
		return sniffBody(decoded, mediaType, limit)
	}
	if kind := binaryKind(body); kind != "" {
		return nil, fmt.Errorf("%w: binary content (%s), not %s", ErrUnsupportedType, kind, mediaType)
	}
	return body, nil
}

// isText reports whether bodies of mediaType are read as text.
func isText(mediaType string) bool {
	return strings.HasPrefix(mediaType, "text/") || mediaType == "application/xhtml+xml"
}

// gunzip decodes a gzip body whose server did not declare it, capped at
// limit decoded bytes.
func gunzip(body []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, &reasonError{msg: "undeclared gzip body: " + err.Error(), err: fmt.Errorf("%w: %v", ErrUnsupportedType, err)}
	}
	out, err := io.ReadAll(&capReader{r: zr, left: limit, limit: limit})
	if errors.Is(err, ErrBodyTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, &reasonError{msg: "undeclared gzip body: " + err.Error(), err: fmt.Errorf("%w: %v", ErrUnsupportedType, err)}
	}
	return out, nil
}

// binaryKind names what a body is when its first bytes are not text (an
// image, audio, video, a font, a PDF, or bytes no text contains), or ""
// for text.
func binaryKind(body []byte) string {
	sniffed := declaredType(http.DetectContentType(body))
	switch {
	case strings.HasPrefix(sniffed, "text/"):
		return ""
	case sniffed == "application/octet-stream":
		return "unrecognised binary data"
	}
	return sniffed
}
