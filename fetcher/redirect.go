package fetcher

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// checkRedirect is the http.Client redirect policy: loops and overlong
// chains end the fetch, and every hop passes the guard's URL check (its
// addresses are checked again when dialled).
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	next := redirectKey(req.URL)
	for _, prev := range via {
		if redirectKey(prev.URL) == next {
			return fmt.Errorf("%w: %s leads back to %s", ErrRedirectLoop, via[len(via)-1].URL.Redacted(), req.URL.Redacted())
		}
	}
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w (limit %d)", ErrTooManyRedirects, f.cfg.MaxRedirects)
	}
	if err := f.guard.checkURL(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
	}
	return nil
}

// redirectKey identifies a URL for loop detection: case-insensitive scheme
// and host, default port and fragment ignored.
func redirectKey(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	p := u.Port()
	if defaultPort := u.Scheme == "http" && p == "80" || u.Scheme == "https" && p == "443"; p != "" && !defaultPort {
		host += ":" + p
	}
	return strings.ToLower(u.Scheme) + "://" + host + u.RequestURI()
}
