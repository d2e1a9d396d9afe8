// Package urlnorm normalises article URLs: one canonical form for fetching a
// submitted link, recognising the same article submitted twice and writing
// the 참고 link. It knows nothing of the network.
package urlnorm

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// ErrInvalid means a URL is malformed, not http or https, or otherwise
// unusable as an article link.
var ErrInvalid = errors.New("invalid URL")

// maxURLLength bounds accepted URLs; longer input is not an article link.
const maxURLLength = 8 << 10

// Normalize returns the canonical form of an http or https URL, used to
// fetch it and to recognise the same article submitted twice:
//
//   - scheme and host lower-cased, default port (80, 443) dropped, empty
//     path written as "/", fragment dropped;
//   - internationalised host names converted to their ASCII (punycode) form;
//   - numeric IPv4 hosts written as dotted quads ("0x7f.1" → "127.0.0.1"),
//     IPv6 hosts in their canonical form;
//   - tracking query parameters removed (see isTrackingParam); the other
//     parameters keep their order and encoding.
//
// A link typed without its scheme ("go.dev/blog/unique") is taken as https
// when it starts with a host name holding a dot. URLs with credentials
// ("user:pass@host") are rejected: they have no place in a published link.
// Errors wrap ErrInvalid and quote the input.
func Normalize(raw string) (string, error) {
	u, err := Parse(raw)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Parse parses and normalises raw; see Normalize.
func Parse(raw string) (*url.URL, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %s: %s", ErrInvalid, Quote(raw), fmt.Sprintf(format, args...))
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, bad("empty")
	}
	if len(s) > maxURLLength {
		return nil, bad("longer than %d bytes", maxURLLength)
	}
	s = assumeHTTPS(s)
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, bad("%v", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "http", "https":
	case "":
		return nil, bad("missing scheme (want http:// or https://)")
	default:
		return nil, bad("unsupported scheme %q (want http or https)", u.Scheme)
	}
	if u.Opaque != "" {
		return nil, bad("missing // after the scheme")
	}
	if u.User != nil {
		return nil, bad("credentials in URLs are not accepted")
	}
	host, err := NormalizeHost(u.Hostname())
	if err != nil {
		return nil, bad("%v", err)
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return nil, bad("invalid port %q", port)
		}
		if (u.Scheme == "http" && n == 80) || (u.Scheme == "https" && n == 443) {
			port = ""
		} else {
			port = strconv.Itoa(n)
		}
	}
	switch {
	case port != "":
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"):
		u.Host = "[" + host + "]"
	default:
		u.Host = host
	}
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.RawQuery = stripTracking(u.RawQuery, u.Hostname())
	u.ForceQuery = false
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// assumeHTTPS prefixes https:// to s when it has no scheme and starts with
// a host name holding a dot, as a browser's address bar does:
// "go.dev/blog/unique", "go.dev:8443/x", but not "blog" or "/x".
func assumeHTTPS(s string) string {
	if strings.Contains(s, "://") || strings.HasPrefix(s, "/") {
		return s
	}
	host, _, _ := strings.Cut(s, "/")
	host, _, _ = strings.Cut(host, "?")
	name, port, hasPort := strings.Cut(host, ":")
	if hasPort && strings.Trim(port, "0123456789") != "" {
		return s // a scheme such as "mailto:" or "javascript:"
	}
	if !strings.Contains(strings.Trim(name, "."), ".") || strings.ContainsAny(name, "@ ") {
		return s
	}
	return "https://" + s
}

// NormalizeHost lower-cases and validates a host name, converts IDN to
// punycode and canonicalises IP literals, including numeric IPv4 forms.
func NormalizeHost(host string) (string, error) {
	if host == "" {
		return "", fmt.Errorf("missing host")
	}
	if strings.Contains(host, ":") { // IPv6 literal (brackets already removed)
		if strings.Contains(host, "%") {
			return "", fmt.Errorf("IPv6 zone identifiers are not accepted")
		}
		a, err := netip.ParseAddr(host)
		if err != nil {
			return "", fmt.Errorf("invalid IPv6 address %q", host)
		}
		return a.String(), nil
	}
	if !isASCII(host) {
		h, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", fmt.Errorf("invalid international host name %q: %v", host, err)
		}
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".") // one trailing dot: the root
	if host == "" || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, "..") {
		return "", fmt.Errorf("invalid host name")
	}
	for _, r := range host {
		if !isHostRune(r) {
			return "", fmt.Errorf("invalid character %q in host name", r)
		}
	}
	addr, isIP, err := ParseIPv4Host(host)
	if err != nil {
		return "", err
	}
	if isIP {
		return addr.String(), nil
	}
	return host, nil
}

// Tracking parameters. They identify a campaign or click, never the page, so
// removing them keeps published links clean and lets duplicates be found.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "igshid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"ref_src": true, "ref_url": true,
}

// isTrackingParam reports whether a query parameter is tracking noise:
// every utm_* parameter, the click identifiers in trackingParams, and "ref".
//
// "ref" is the referral tag newsletters, aggregators and Ghost blogs append
// ("?ref=dailydev"), but on code forges it names a git branch or tag and
// selects content, so it is kept on those hosts (see isForgeHost).
func isTrackingParam(name, host string) bool {
	name = strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "utm_"):
		return true
	case name == "ref":
		return !isForgeHost(host)
	}
	return trackingParams[name]
}

// isForgeHost reports whether host serves git repositories, where "ref" is
// meaningful: the big public forges and self-hosted ones named git.*,
// gitlab.*, gitea.* or forgejo.*.
func isForgeHost(host string) bool {
	switch host {
	case "github.com", "www.github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "gitea.com", "git.sr.ht":
		return true
	}
	for _, p := range []string{"git.", "gitlab.", "gitea.", "forgejo."} {
		if strings.HasPrefix(host, p) {
			return true
		}
	}
	return false
}

// stripTracking removes tracking parameters from a raw query, keeping the
// rest byte for byte and in order.
func stripTracking(rawQuery, host string) string {
	if rawQuery == "" {
		return ""
	}
	kept := make([]string, 0, strings.Count(rawQuery, "&")+1)
	for _, pair := range strings.Split(rawQuery, "&") {
		if pair == "" {
			continue
		}
		name, _, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isTrackingParam(name, host) {
			continue
		}
		kept = append(kept, pair)
	}
	return strings.Join(kept, "&")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Quote quotes user input for an error message, shortened so a pasted
// page of text does not flood the log.
func Quote(s string) string {
	const max = 200
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

// isHostRune reports whether r may appear in a host name once lowercased.
func isHostRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_'
}
