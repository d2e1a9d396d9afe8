package fetcher

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// Sentinel errors, usable with errors.Is. The errors returned by Fetch wrap
// them in one line that names the URL and the reason.
var (
	// ErrBadURL: the URL is malformed, not http/https, or otherwise
	// unusable; it is urlnorm.ErrInvalid.
	ErrBadURL = urlnorm.ErrInvalid
	// ErrRefusedAddress: the host is, or resolves to, an address the guard
	// refuses (loopback, private, link-local, ...).
	ErrRefusedAddress = errors.New("refused address")
	// ErrBodyTooLarge: the decompressed body exceeds the configured cap.
	ErrBodyTooLarge = errors.New("response body too large")
	// ErrUnsupportedType: the response is not HTML, plain text or markdown.
	ErrUnsupportedType = errors.New("unsupported content type")
	// ErrTooManyRedirects: more redirects than configured.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrRedirectLoop: a redirect leads back to a URL already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrBadResponse: the server's answer cannot be used, such as a
	// redirect to an unparsable location or oversized headers.
	ErrBadResponse = errors.New("unusable response")
)

// StatusError reports a response whose status code is not 2xx.
type StatusError struct {
	URL  string
	Code int
	// RetryAfter is the wait the server asked for (Retry-After, or GitHub's
	// rate-limit reset), zero when it gave none.
	RetryAfter time.Duration
	// rateLimited marks GitHub's API rate limit: an outage of the API, not
	// a fault of the article.
	rateLimited bool
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetcher: %s: %s (%d status code)", e.URL, statusReason(e.Code), e.Code)
}

func statusReason(code int) string {
	switch code {
	case http.StatusUnauthorized:
		return "access unauthorized"
	case http.StatusForbidden:
		return "access forbidden"
	case http.StatusNotFound:
		return "resource not found"
	case http.StatusGone:
		return "resource gone"
	case http.StatusRequestTimeout:
		return "server timed out waiting for the request"
	case http.StatusTooManyRequests:
		return "rate limited by the server"
	case http.StatusUnavailableForLegalReasons:
		return "unavailable for legal reasons"
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "server temporarily unavailable"
	}
	switch {
	case code >= 300 && code < 400:
		return "unexpected redirect without a usable location"
	case code >= 400 && code < 500:
		return "request rejected by the server"
	case code >= 500:
		return "server error"
	}
	return "unexpected response"
}

// permanent reports whether retrying the fetch later cannot help: the URL
// is bad or refused, the host does not exist, the content is unsupported or
// too large, redirects loop, run too long or lead nowhere, the response is
// unusable, or the server answered 4xx (except 408 and 429).
func permanent(err error) bool {
	if err == nil {
		return false
	}
	for _, p := range []error{ErrBadURL, ErrRefusedAddress, ErrUnsupportedType, ErrBodyTooLarge,
		ErrTooManyRedirects, ErrRedirectLoop, ErrBadResponse} {
		if errors.Is(err, p) {
			return true
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500 &&
			se.Code != http.StatusRequestTimeout && se.Code != http.StatusTooManyRequests
	}
	return false
}

// classify gives an error leaving Fetch its place in the failure model
// (package retry): GitHub's rate limit is an outage of its API until the
// reset, a permanent failure is the page's, and a Retry-After names when
// the page is worth trying again.
func (f *Fetcher) classify(err error) error {
	now := f.clock.Now()
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.rateLimited:
		var until time.Time
		if se.RetryAfter > 0 {
			until = now.Add(se.RetryAfter)
		}
		return retry.Unavailable(GitHubAPI, until, err)
	case permanent(err):
		return retry.Never(err)
	case errors.As(err, &se) && se.RetryAfter > 0:
		return retry.After(err, now.Add(se.RetryAfter))
	}
	return err
}

// reasonError gives a low-level error (from net/http, net, a decoder) a
// message a user understands while keeping it in the chain for errors.Is,
// errors.As and retry classification.
type reasonError struct {
	msg string
	err error
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.err }

// timeoutError is the whole fetch's deadline (fetcher.timeout, retries
// included) expiring.
type timeoutError struct{ after time.Duration }

func (e *timeoutError) Error() string { return fmt.Sprintf("timed out after %s", e.after) }

// Timeout marks the error as a timeout for net.Error-style checks.
func (e *timeoutError) Timeout() bool { return true }

// describe turns a transport-level error into a reason a user understands,
// keeping the original in the chain. parent is the caller's context, actx
// the fetch's (with the deadline of the whole fetch).
func (f *Fetcher) describe(parent, actx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var (
		se      *StatusError
		refused *refusedError
		dnsErr  *net.DNSError
		opErr   *net.OpError
		certErr *tls.CertificateVerificationError
		unkAuth x509.UnknownAuthorityError
		ne      interface{ Timeout() bool }
	)
	reason := func(format string, args ...any) error {
		return &reasonError{msg: fmt.Sprintf(format, args...), err: err}
	}
	switch {
	case parent.Err() != nil:
		return reason("%v", parent.Err())
	case errors.As(err, &se), errors.As(err, &refused),
		errors.Is(err, ErrBadURL), errors.Is(err, ErrBodyTooLarge), errors.Is(err, ErrUnsupportedType),
		errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrRedirectLoop):
		return err
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		return &timeoutError{after: f.cfg.Timeout}
	case errors.As(err, new(*reasonError)):
		return err // already explained (body decoding, limiter)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return reason("host %s not found", dnsErr.Name)
	case strings.Contains(err.Error(), "failed to parse Location header"):
		return &reasonError{msg: "redirect to an unparsable location", err: fmt.Errorf("%w: %v", ErrBadResponse, err)}
	case strings.Contains(err.Error(), "server response headers exceeded"):
		return &reasonError{msg: "response headers larger than 1 MiB", err: fmt.Errorf("%w: %v", ErrBadResponse, err)}
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return reason("connection timed out after %s", f.cfg.ConnectTimeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return reason("connection refused")
	case errors.Is(err, syscall.ECONNRESET):
		return reason("connection reset by the server")
	case errors.As(err, &certErr), errors.As(err, &unkAuth):
		return reason("TLS certificate rejected: %v", err)
	case errors.As(err, &ne) && ne.Timeout() && strings.Contains(err.Error(), "TLS handshake"):
		return reason("TLS handshake timed out after %s", f.cfg.TLSTimeout)
	case errors.As(err, &ne) && ne.Timeout() && strings.Contains(err.Error(), "response headers"):
		return reason("no response headers within %s", f.cfg.HeaderTimeout)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return reason("server closed the connection before answering")
	}
	return err
}

// wrapURL prefixes a reason with the package and the URL, unless the error
// already names them (*StatusError).
func wrapURL(rawURL string, err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("fetcher: %s: %w", rawURL, err)
}

// formatBytes renders a byte count for messages: "10 MiB", "1500 bytes".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
