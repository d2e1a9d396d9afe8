package fetcher

import (
	"github.com/godevcommunity/newsletter/retry"

	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/godevcommunity/newsletter/config"
)

func TestBlockedReason(t *testing.T) {
	blocked := map[string]string{
		"127.0.0.1":                "loopback",
		"127.255.0.9":              "loopback",
		"10.1.2.3":                 "private network",
		"172.16.0.1":               "private network",
		"172.31.255.255":           "private network",
		"192.168.0.1":              "private network",
		"100.64.0.1":               "carrier-grade NAT",
		"100.127.255.254":          "carrier-grade NAT",
		"169.254.169.254":          "link-local",
		"0.0.0.0":                  "unspecified",
		"0.1.2.3":                  "unspecified",
		"224.0.0.1":                "multicast",
		"239.255.255.250":          "multicast",
		"255.255.255.255":          "broadcast",
		"240.0.0.1":                "reserved",
		"192.0.0.170":              "special-purpose",
		"192.0.2.1":                "documentation",
		"198.18.0.1":               "benchmarking",
		"::":                       "unspecified",
		"::1":                      "loopback",
		"::ffff:127.0.0.1":         "loopback",
		"::ffff:10.0.0.1":          "private network",
		"::ffff:169.254.169.254":   "link-local",
		"::127.0.0.1":              "IPv4-compatible",
		"::ffff:0:7f00:1":          "IPv4-translated",
		"::ffff:0:808:808":         "IPv4-translated",
		"fc00::1":                  "private network",
		"fd12:3456::1":             "private network",
		"fe80::1":                  "link-local",
		"febf::1":                  "link-local",
		"fec0::1":                  "site-local",
		"ff02::1":                  "multicast",
		"64:ff9b::7f00:1":          "loopback 127.0.0.1 embedded",
		"64:ff9b::a9fe:a9fe":       "link-local 169.254.169.254 embedded",
		"64:ff9b:1::1":             "local NAT64",
		"2002:7f00:1::":            "loopback 127.0.0.1 embedded",
		"2002:c0a8:101::1":         "private network 192.168.1.1 embedded",
		"2001::1":                  "special-purpose",
		"2001:db8::1":              "documentation",
		"100::1":                   "discard",
		"fd00:ec2::254":            "private network",
		"::ffff:255.255.255.255":   "broadcast",
		"::ffff:100.100.100.200":   "carrier-grade NAT",
		"2002:a9fe:a9fe:0:0:0:0:1": "link-local",
	}
	for s, want := range blocked {
		got := blockedReason(netip.MustParseAddr(s))
		if !strings.Contains(got, want) {
			t.Errorf("blockedReason(%s) = %q, want it to mention %q", s, got, want)
		}
	}
	public := []string{
		"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.253.255.255",
		"2606:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
	}
	for _, s := range public {
		if got := blockedReason(netip.MustParseAddr(s)); got != "" {
			t.Errorf("blockedReason(%s) = %q, want public", s, got)
		}
	}
}

func TestGuardAllowances(t *testing.T) {
	tests := []struct {
		name    string
		cfg     config.Fetcher
		addr    string
		refused bool
	}{
		{"default refuses loopback", config.Fetcher{}, "127.0.0.1", true},
		{"default allows public", config.Fetcher{}, "93.184.216.34", false},
		{"allowed prefix", config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}}, "127.0.0.1", false},
		{"allowed prefix, mapped form", config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}}, "::ffff:127.0.0.1", false},
		{"outside allowed prefix", config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}}, "127.0.0.2", true},
		{"other private network still refused", config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}}, "10.0.0.1", true},
		{"wiki subnet", config.Fetcher{AllowedNetworks: []string{"10.1.2.0/24"}}, "10.1.2.99", false},
		{"next to wiki subnet", config.Fetcher{AllowedNetworks: []string{"10.1.2.0/24"}}, "10.1.3.1", true},
		{"allow private networks", config.Fetcher{AllowPrivateNetworks: true}, "169.254.169.254", false},
	}
	for _, tt := range tests {
		g, err := newGuard(tt.cfg)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		err = g.checkAddr("", netip.MustParseAddr(tt.addr))
		if refused := errors.Is(err, ErrRefusedAddress); refused != tt.refused {
			t.Errorf("%s: checkAddr(%s) = %v, want refused=%v", tt.name, tt.addr, err, tt.refused)
		}
	}
	if _, err := newGuard(config.Fetcher{AllowedNetworks: []string{"10.0.0.0/33"}}); err == nil {
		t.Error("newGuard accepted an invalid CIDR prefix")
	}
}

func TestCheckURL(t *testing.T) {
	def := config.Default().Fetcher
	loop := testConfig()
	tests := []struct {
		url  string
		cfg  config.Fetcher
		want error // nil, ErrRefusedAddress or ErrBadURL
	}{
		{"https://go.dev/blog/unique", def, nil},
		{"https://any-name-at-all.example/", def, nil}, // names are checked when dialling
		{"http://93.184.216.34/", def, nil},
		{"http://127.0.0.1/", def, ErrRefusedAddress},
		{"http://2130706433/", def, ErrRefusedAddress},
		{"http://0x7f.1/", def, ErrRefusedAddress},
		{"http://017700000001/", def, ErrRefusedAddress},
		{"http://127.1/", def, ErrRefusedAddress},
		{"http://0/", def, ErrRefusedAddress},
		{"http://169.254.169.254/latest/meta-data/", def, ErrRefusedAddress},
		{"http://0xa9fea9fe/", def, ErrRefusedAddress},
		{"http://10.0.0.1/", def, ErrRefusedAddress},
		{"http://[::1]/", def, ErrRefusedAddress},
		{"http://[::ffff:127.0.0.1]/", def, ErrRefusedAddress},
		{"http://[::ffff:0:7f00:1]/", def, ErrRefusedAddress},
		{"http://[fd00::1]/", def, ErrRefusedAddress},
		{"http://localhost:8080/", def, ErrRefusedAddress},
		{"http://LOCALHOST./", def, ErrRefusedAddress},
		{"http://app.localhost/", def, ErrRefusedAddress},
		{"http://127.0.0.1:8080/", loop, nil},
		{"http://localhost:8080/", loop, nil},
		{"http://127.0.0.2/", loop, ErrRefusedAddress},
		{"http://10.0.0.1/", loop, ErrRefusedAddress},
		{"http://10.0.0.1/", config.Fetcher{AllowPrivateNetworks: true}, nil},
		{"gopher://go.dev/", def, ErrBadURL},
		{"http://1.2.3.4.5/", def, ErrBadURL},
	}
	for _, tt := range tests {
		err := CheckURL(tt.url, tt.cfg)
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("CheckURL(%q) = %v, want nil", tt.url, err)
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("CheckURL(%q) = %v, want %v", tt.url, err, tt.want)
		case err != nil && (!strings.HasPrefix(err.Error(), "fetcher: ") || strings.Contains(err.Error(), "\n")):
			t.Errorf("CheckURL(%q) error %q is not one line starting with fetcher:", tt.url, err)
		}
	}
	err := CheckURL("http://0x7f.1/admin", def)
	if want := "fetcher: http://127.0.0.1/admin: refused address 127.0.0.1 (loopback)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	var ue *URLError
	if !errors.As(err, &ue) || ue.Reason() != "http://127.0.0.1/admin: refused address 127.0.0.1 (loopback)" {
		t.Errorf("the refusal %#v gives no reason without the package's name", err)
	}
}

// panicResolver fails the test if any name is looked up.
type panicResolver struct{ t *testing.T }

func (r panicResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.t.Errorf("unexpected DNS lookup of %q", host)
	return nil, errors.New("no DNS in this test")
}

func TestDialerChecksEveryAddress(t *testing.T) {
	g, err := newGuard(config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}})
	if err != nil {
		t.Fatal(err)
	}
	d := &dialer{guard: g, resolver: testResolver, dial: func(_ context.Context, _, address string) (net.Conn, error) {
		t.Errorf("dialled %s although the guard should have refused", address)
		return nil, errors.New("unreachable")
	}}
	for _, addr := range []string{
		"private.test:80", "metadata.test:80", "mixed.test:443", "mapped-loopback.test:80",
		"10.0.0.1:80", "[::1]:80", "[::ffff:10.0.0.1]:80", "0xa000001:80", "167772161:80",
	} {
		_, err := d.DialContext(context.Background(), "tcp", addr)
		if !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("DialContext(%s) = %v, want ErrRefusedAddress", addr, err)
		}
	}
	if _, err := d.DialContext(context.Background(), "tcp", "unknown.test:80"); err == nil || errors.Is(err, ErrRefusedAddress) {
		t.Errorf("unknown host: %v, want a not-found error", err)
	}
}

func TestDialerDialsTheCheckedAddress(t *testing.T) {
	g, _ := newGuard(config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}})
	var dialled []string
	d := &dialer{guard: g, resolver: testResolver, dial: func(_ context.Context, _, address string) (net.Conn, error) {
		dialled = append(dialled, address)
		return nil, errors.New("stop here")
	}}
	_, _ = d.DialContext(context.Background(), "tcp", "site.test:8080")
	if len(dialled) != 1 || dialled[0] != "127.0.0.1:8080" {
		t.Errorf("dialled %v, want exactly the resolved and checked 127.0.0.1:8080", dialled)
	}
}

func TestDialerNumericHostsSkipDNS(t *testing.T) {
	g, _ := newGuard(config.Fetcher{})
	d := &dialer{guard: g, resolver: panicResolver{t}, dial: func(context.Context, string, string) (net.Conn, error) {
		t.Error("dialled a refused address")
		return nil, errors.New("unreachable")
	}}
	for _, host := range []string{"2130706433", "0x7f.1", "017700000001", "127.1", "0x7f.0.0.1.", "[::ffff:7f00:1]"} {
		if _, err := d.DialContext(context.Background(), "tcp", host+":80"); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("dial %s: %v, want ErrRefusedAddress", host, err)
		}
	}
}

func TestControlChecksSocketAddress(t *testing.T) {
	g, _ := newGuard(config.Fetcher{AllowedNetworks: []string{"127.0.0.1/32"}})
	tests := map[string]bool{
		"127.0.0.1:80":         false,
		"10.0.0.1:80":          true,
		"169.254.169.254:80":   true,
		"[::ffff:10.0.0.1]:80": true,
		"[::1]:443":            true,
		"93.184.216.34:443":    false,
		"not-an-address":       true,
	}
	for addr, refused := range tests {
		err := g.control("tcp", addr, nil)
		if got := errors.Is(err, ErrRefusedAddress); got != refused {
			t.Errorf("control(%s) = %v, want refused=%v", addr, err, refused)
		}
	}
}

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-literal":
			http.Redirect(w, r, "http://10.0.0.1/admin", http.StatusFound)
		case "/to-numeric":
			http.Redirect(w, r, "http://0xa9fea9fe/latest/meta-data/", http.StatusFound)
		case "/to-name":
			http.Redirect(w, r, "http://private.test/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://metadata.test/", http.StatusMovedPermanently)
		default:
			fmt.Fprint(w, "<p>ok</p>")
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig()) // allows 127.0.0.1/32 only

	if _, err := f.Fetch(context.Background(), srv.URL+"/"); err != nil {
		t.Fatalf("allowed loopback server: %v", err)
	}
	tests := []struct{ url, msg string }{
		{"http://private.test/", "refused address 10.0.0.2 of host private.test (private network)"},
		{"http://mixed.test/", "192.168.1.1"},
		{"http://mapped-loopback.test/", "127.0.0.2"},
		{"http://10.0.0.1/", "refused address 10.0.0.1 (private network)"},
		{srv.URL + "/to-literal", "redirect to http://10.0.0.1/admin: refused address 10.0.0.1"},
		{srv.URL + "/to-numeric", "169.254.169.254 (link-local)"},
		{srv.URL + "/to-name", "refused address 10.0.0.2"},
		{srv.URL + "/to-metadata", "169.254.169.254"},
	}
	for _, tt := range tests {
		_, err := f.Fetch(context.Background(), tt.url)
		if !errors.Is(err, ErrRefusedAddress) || !retry.IsPermanent(err) {
			t.Errorf("Fetch(%s) = %v, want a permanent ErrRefusedAddress", tt.url, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "fetcher: ") {
			t.Errorf("Fetch(%s) error %q, want it to mention %q", tt.url, err, tt.msg)
		}
	}
}

func TestFetchIgnoresEnvironmentProxy(t *testing.T) {
	var proxied, direct atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		fmt.Fprint(w, "<p>from the proxy</p>")
	}))
	defer proxy.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		direct.Add(1)
		fmt.Fprint(w, "<p>direct</p>")
	}))
	defer srv.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")

	f := newTestFetcher(t, testConfig())
	if f.transport.Proxy != nil {
		t.Fatal("transport has a proxy function; it would bypass the address guard")
	}
	page, err := f.Fetch(context.Background(), hostURL(t, srv, "site.test", "/"))
	if err != nil {
		t.Fatal(err)
	}
	if proxied.Load() != 0 || direct.Load() != 1 || !strings.Contains(string(page.Body), "direct") {
		t.Errorf("proxy saw %d requests, server %d; want 0 and 1", proxied.Load(), direct.Load())
	}
}
