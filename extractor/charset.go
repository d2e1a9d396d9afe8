package extractor

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// toUTF8 returns body as UTF-8. Valid UTF-8 is taken as it is (less a
// byte order mark), whatever the page's <meta charset> claims, so a body
// the fetcher already transcoded is never decoded twice; anything else is
// decoded with the encoding named by its byte order mark or <meta> tag,
// falling back to windows-1252 as browsers do.
func toUTF8(body []byte) []byte {
	if utf8.Valid(body) {
		return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	}
	enc, _, _ := charset.DetermineEncoding(body, "text/html")
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}
