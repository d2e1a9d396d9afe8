package fetcher

import (
	"github.com/godevcommunity/newsletter/urlnorm"

	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"github.com/godevcommunity/newsletter/config"
)

// Resolver resolves host names to addresses. *net.Resolver implements it;
// tests inject a fake so no real name is ever looked up.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// guard decides which addresses may be contacted. Submitted URLs come from
// users, so without it a link could make the daemon read its own admin
// endpoints, the cloud metadata service or anything else on the LAN (SSRF).
type guard struct {
	allowAll bool           // cfg.AllowPrivateNetworks: no restriction at all
	allowed  []netip.Prefix // cfg.AllowedNetworks: exceptions to the refusals
}

func newGuard(cfg config.Fetcher) (*guard, error) {
	g := &guard{allowAll: cfg.AllowPrivateNetworks}
	for _, s := range cfg.AllowedNetworks {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("fetcher: invalid allowed network %q: %w", s, err)
		}
		g.allowed = append(g.allowed, p.Masked())
	}
	return g, nil
}

// refusedError reports an address (or a name such as "localhost") the guard
// refuses. It matches ErrRefusedAddress.
type refusedError struct {
	host   string     // the name asked for, "" when only the address is known
	addr   netip.Addr // invalid when the name alone was refused
	reason string
}

func (e *refusedError) Error() string {
	switch {
	case !e.addr.IsValid():
		return fmt.Sprintf("refused host %s (%s)", e.host, e.reason)
	case e.host != "" && e.host != e.addr.String():
		return fmt.Sprintf("refused address %s of host %s (%s)", e.addr, e.host, e.reason)
	}
	return fmt.Sprintf("refused address %s (%s)", e.addr, e.reason)
}

func (e *refusedError) Is(target error) bool { return target == ErrRefusedAddress }

// checkAddr returns a *refusedError when a may not be contacted.
func (g *guard) checkAddr(host string, a netip.Addr) error {
	if g.allowAll {
		return nil
	}
	a = a.WithZone("")
	for _, p := range g.allowed {
		if p.Contains(a) || p.Contains(a.Unmap()) {
			return nil
		}
	}
	if reason := blockedReason(a); reason != "" {
		return &refusedError{host: host, addr: a, reason: reason}
	}
	return nil
}

// checkHost applies the guard to a URL host without resolving it: IP
// literals (including numeric forms like "0x7f.1") and localhost names.
// Names that need DNS are checked when dialling.
func (g *guard) checkHost(host string) error {
	h, err := urlnorm.NormalizeHost(host)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return g.checkAddr("", a)
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		// Reserved for loopback (RFC 6761); refuse without asking DNS,
		// unless loopback is allowed.
		for _, a := range []netip.Addr{netip.IPv6Loopback(), netip.AddrFrom4([4]byte{127, 0, 0, 1})} {
			if g.checkAddr(h, a) == nil {
				return nil
			}
		}
		return &refusedError{host: h, reason: "loopback"}
	}
	return nil
}

// checkURL applies the scheme rule and checkHost to a URL, such as a
// redirect target.
func (g *guard) checkURL(u *url.URL) error {
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("%w: unsupported scheme %q in %s", ErrBadURL, u.Scheme, u.Redacted())
	}
	return g.checkHost(u.Hostname())
}

// CheckURL reports whether raw may be fetched under cfg, without any DNS
// lookup: the URL must be a valid http or https URL, and a literal IP host
// (including numeric forms such as "http://2130706433/") or a localhost name
// must pass the address guard. It suits a submission API that must answer
// fast; Fetch checks every resolved address again when dialling.
//
// A refused URL is a *URLError, whose Reason says why without the
// package's name, for a caller that shows it to the person who typed it.
func CheckURL(raw string, cfg config.Fetcher) error {
	u, err := urlnorm.Parse(raw)
	if err != nil {
		return &URLError{Err: err}
	}
	g, err := newGuard(cfg)
	if err != nil {
		return err
	}
	if err := g.checkHost(u.Hostname()); err != nil {
		return &URLError{URL: u.String(), Err: err}
	}
	return nil
}

// URLError is CheckURL's refusal of a URL: not a valid http(s) URL, or a
// host the address guard refuses. It matches what Err matches
// (ErrBadURL, ErrRefusedAddress).
type URLError struct {
	// URL is the URL as parsed, "" when it did not parse.
	URL string
	Err error
}

func (e *URLError) Error() string { return "fetcher: " + e.Reason() }

// Reason says why the URL is refused, naming it when it parsed:
// "http://127.0.0.1/admin: refused address 127.0.0.1 (loopback)".
func (e *URLError) Reason() string {
	if e.URL == "" {
		return e.Err.Error()
	}
	return e.URL + ": " + e.Err.Error()
}

func (e *URLError) Unwrap() error { return e.Err }

// blockedNet is a network the guard refuses, and why.
type blockedNet struct {
	prefix netip.Prefix
	reason string
}

var blockedV4 = []blockedNet{
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified address"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private network"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private network"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT network"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("192.0.0.0/24"), "special-purpose network"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation network"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation network"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation network"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking network"},
	{netip.MustParsePrefix("192.88.99.0/24"), "reserved network"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved network"},
}

var blockedV6 = []blockedNet{
	{netip.MustParsePrefix("::/128"), "unspecified address"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible address"},
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated address"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64 network"},
	{netip.MustParsePrefix("100::/64"), "discard network"},
	{netip.MustParsePrefix("2001::/23"), "special-purpose network"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation network"},
	{netip.MustParsePrefix("3fff::/20"), "documentation network"},
	{netip.MustParsePrefix("fc00::/7"), "private network"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// blockedReason names why a must not be contacted, or returns "" for a
// public unicast address. IPv4 addresses embedded in IPv6 (mapped, NAT64,
// 6to4) are judged by the IPv4 address they lead to.
func blockedReason(a netip.Addr) string {
	a = a.Unmap()
	if a.Is4() {
		for _, b := range blockedV4 {
			if b.prefix.Contains(a) {
				return b.reason
			}
		}
		return ""
	}
	for _, b := range blockedV6 {
		if b.prefix.Contains(a) {
			return b.reason
		}
	}
	b := a.As16()
	var embedded netip.Addr
	switch {
	case nat64Prefix.Contains(a):
		embedded = netip.AddrFrom4([4]byte(b[12:16]))
	case sixToFour.Contains(a):
		embedded = netip.AddrFrom4([4]byte(b[2:6]))
	default:
		return ""
	}
	if r := blockedReason(embedded); r != "" {
		return r + " " + embedded.String() + " embedded in IPv6"
	}
	return ""
}

// dialer resolves through the Resolver, checks every address with the
// guard, then dials a checked IP, so the address that was checked is the
// address that is connected to (no second, different DNS answer).
type dialer struct {
	guard    *guard
	resolver Resolver
	// net connects to a checked IP:port; its Control checks the address once
	// more just before connect(2).
	net *net.Dialer
	// dial is net.DialContext unless a test wraps it.
	dial func(ctx context.Context, network, address string) (net.Conn, error)
}

func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	addrs, err := d.resolve(ctx, network, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if err := d.guard.checkAddr(host, a); err != nil {
			return nil, err
		}
	}
	var firstErr error
	for _, a := range addrs {
		conn, err := d.dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// resolve returns the addresses of host, parsing IP literals (including
// numeric IPv4 forms) itself so they never reach DNS.
func (d *dialer) resolve(ctx context.Context, network, host string) ([]netip.Addr, error) {
	host, err := urlnorm.NormalizeHost(host)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	found, err := d.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	for _, a := range found {
		a = a.Unmap()
		switch {
		case network == "tcp4" && !a.Is4(), network == "tcp6" && !a.Is6():
			continue
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no usable address", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// control is the net.Dialer.Control hook: a last check of the socket
// address right before connecting.
func (g *guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &refusedError{host: address, reason: "unparseable address"}
	}
	return g.checkAddr("", ap.Addr())
}
