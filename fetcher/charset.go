package fetcher

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// metaScanLimit bounds the search for a <meta> charset declaration. The
// HTML standard's prescan stops at 1 KiB, but real pages often declare the
// charset after a long run of scripts and styles.
const metaScanLimit = 64 << 10

// toUTF8 converts a text body to UTF-8. contentType is the Content-Type
// header as the server sent it ("" if the type was sniffed); isHTML makes
// <meta charset> and http-equiv declarations count.
//
// Evidence, strongest first: a byte order mark; a body that is valid UTF-8
// and not pure ASCII (legacy encodings practically never produce one, while
// servers and templates often declare a stale charset); the header's
// charset; the <meta> declaration; otherwise windows-1252, as browsers do.
func toUTF8(body []byte, contentType string, isHTML bool) ([]byte, error) {
	enc, name := detectEncoding(body, contentType, isHTML)
	var out []byte
	switch {
	case name == "utf-8" && utf8.Valid(body):
		out = body // nothing to convert: no copy of a body that may be 10 MiB
	case name == "utf-8":
		out = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	default:
		var err error
		if out, err = enc.NewDecoder().Bytes(body); err != nil {
			return nil, &reasonError{msg: fmt.Sprintf("cannot decode body as %s: %v", name, err), err: err}
		}
	}
	return bytes.TrimPrefix(out, []byte("\uFEFF")), nil
}

// detectEncoding returns the encoding of body and its WHATWG name; the
// encoding is nil for UTF-8.
func detectEncoding(body []byte, contentType string, isHTML bool) (encoding.Encoding, string) {
	probe := body
	if !isHTML && len(probe) > 4 {
		probe = probe[:4] // plain text has no <meta>: only the BOM and header count
	}
	enc, name, certain := charset.DetermineEncoding(probe, contentType)
	if certain && hasBOM(body) {
		return enc, name
	}
	if !isASCIIBytes(body) && utf8.Valid(body) {
		return nil, "utf-8"
	}
	if !certain && isHTML {
		if e, n := scanMeta(body); e != nil {
			return e, n
		}
	}
	if name == "utf-8" {
		return nil, name
	}
	return enc, name
}

func hasBOM(b []byte) bool {
	for _, bom := range [][]byte{{0xEF, 0xBB, 0xBF}, {0xFE, 0xFF}, {0xFF, 0xFE}} {
		if bytes.HasPrefix(b, bom) {
			return true
		}
	}
	return false
}

// scanMeta finds a charset declared by <meta charset> or
// <meta http-equiv="Content-Type" content="...; charset=..."> in the head.
func scanMeta(body []byte) (encoding.Encoding, string) {
	if len(body) > metaScanLimit {
		body = body[:metaScanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			switch string(tag) {
			case "body":
				return nil, ""
			case "meta":
				var label, httpEquiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "charset":
						label = string(v)
					case "http-equiv":
						httpEquiv = strings.ToLower(string(v))
					case "content":
						content = string(v)
					}
				}
				if label == "" && httpEquiv == "content-type" {
					label = charsetParam(content)
				}
				if label == "" {
					continue
				}
				if e, n := charset.Lookup(label); e != nil {
					if strings.HasPrefix(n, "utf-16") { // a byte-oriented parse means it is not UTF-16
						return charset.Lookup("utf-8")
					}
					return e, n
				}
			}
		}
	}
}

// charsetParam extracts the charset parameter of a Content-Type value.
func charsetParam(contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	i := strings.Index(strings.ToLower(contentType), "charset=")
	if i < 0 {
		return ""
	}
	v := contentType[i+len("charset="):]
	if j := strings.IndexAny(v, "; "); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
