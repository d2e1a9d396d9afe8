package fetcher

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// acceptEncoding is sent with every request. The body is decoded here rather
// than by http.Transport so the size cap provably applies to the decoded
// bytes and deflate is understood too.
const acceptEncoding = "gzip, deflate"

// readBody reads a response body, undoing its Content-Encoding. The cap
// applies to the bytes received and, separately, to the decoded bytes, so a
// small compressed "bomb" stops at limit.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	r, err := decodeContent(&capReader{r: resp.Body, left: limit, limit: limit}, resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, err
	}
	// Read into a buffer of the announced size when there is one, so that
	// a large body is not copied over and over as it grows.
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && strings.TrimSpace(resp.Header.Get("Content-Encoding")) == "" {
		buf.Grow(int(min(n, limit)) + 1)
	}
	_, err = buf.ReadFrom(&capReader{r: r, left: limit, limit: limit})
	body := buf.Bytes()
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			return nil, err
		}
		return nil, &reasonError{msg: "reading response body: " + err.Error(), err: err}
	}
	return body, nil
}

func tooLarge(limit int64) error {
	return fmt.Errorf("%w (limit %s)", ErrBodyTooLarge, formatBytes(limit))
}

// decodeContent wraps r with decoders for the codings listed in a
// Content-Encoding header, last applied first.
func decodeContent(r io.Reader, header string) (io.Reader, error) {
	if strings.TrimSpace(header) == "" {
		return r, nil
	}
	codings := strings.Split(header, ",")
	if len(codings) > 2 {
		return nil, fmt.Errorf("%w: %d stacked content encodings", ErrUnsupportedType, len(codings))
	}
	for i := len(codings) - 1; i >= 0; i-- {
		coding := strings.ToLower(strings.TrimSpace(codings[i]))
		var err error
		switch coding {
		case "", "identity":
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
			if errors.Is(err, io.EOF) { // empty body
				r, err = strings.NewReader(""), nil
			}
		case "deflate":
			r = newDeflateReader(r)
		default:
			return nil, fmt.Errorf("%w: content encoding %q", ErrUnsupportedType, coding)
		}
		if err != nil {
			if errors.Is(err, ErrBodyTooLarge) {
				return nil, err
			}
			return nil, &reasonError{msg: fmt.Sprintf("invalid %s content encoding: %v", coding, err), err: err}
		}
	}
	return r, nil
}

// newDeflateReader decodes HTTP "deflate", which should be zlib-wrapped but
// is raw DEFLATE from some servers; the first two bytes tell them apart.
func newDeflateReader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		if zr, err := zlib.NewReader(br); err == nil {
			return zr
		}
	}
	return flate.NewReader(br)
}

// capReader passes at most limit bytes through and fails with
// ErrBodyTooLarge when more follow.
type capReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		n, err := c.r.Read(probe[:])
		if n > 0 {
			return 0, tooLarge(c.limit)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
