// Package browsertest starts a headless Chromium from the OS packages for
// tests of web pages served on loopback, and keeps it from reaching any
// other address: every request to one goes to a proxy on loopback that
// refuses it, names resolve to nothing but 127.0.0.1, and most of the
// browser's own background traffic (updates, sync, QUIC, time) is off.
// A request of a page to anything but loopback fails the test; what the
// browser still tries by itself (its updater, its sign-in) is refused by
// the proxy and logged.
//
// Without Chromium the tests skip, saying so, unless the environment
// variable NEWSLETTER_BROWSER_TESTS is "required": then they fail.
package browsertest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// EnvRequired, set to "required", makes a missing Chromium a failure.
const EnvRequired = "NEWSLETTER_BROWSER_TESTS"

// EnvScreenshots names the folder screenshots are saved in; without it
// they go to a temporary folder, named in the test's log.
const EnvScreenshots = "NEWSLETTER_SCREENSHOTS"

// chromiumPaths are where Debian's chromium package puts the browser: its
// binary first, then the wrapper script.
var chromiumPaths = []string{"/usr/lib/chromium/chromium", "chromium", "chromium-browser"}

// quietFeatures are Chromium's features that call Google's servers by
// themselves (time, model and hint downloads, sign-in, translation).
var quietFeatures = []string{"Translate", "BlinkGenPropertyTrees", "OptimizationHints", "OptimizationHintsFetching",
	"OptimizationGuideModelDownloading", "OptimizationTargetPrediction", "NetworkTimeServiceQuerying", "MediaRouter",
	"DialMediaRouteProvider", "AutofillServerCommunication", "CertificateTransparencyComponentUpdater",
	"InterestFeedContentSuggestions", "DiceWebSigninInterception", "AccountConsistency", "LensOverlay"}

// Chromium returns the path of the browser, or skips the test (fails it
// when EnvRequired is "required").
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range chromiumPaths {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv(EnvRequired) == "required" {
		t.Fatalf("%s=required, but Chromium is not installed (looked for %s): apt-get install -y chromium",
			EnvRequired, strings.Join(chromiumPaths, ", "))
	}
	t.Skipf("browser test skipped: Chromium is not installed (apt-get install -y chromium); set %s=required to fail instead", EnvRequired)
	return ""
}

// Browser is a headless Chromium for one test.
type Browser struct {
	t     testing.TB
	ctx   context.Context
	shots string
	mu    sync.Mutex
	// offLoopback are the requests of pages that tried to leave loopback;
	// refused, the browser's own that the proxy refused.
	offLoopback []string
	refused     []string
	output      bytes.Buffer
}

// New starts Chromium for t, stopped when t ends. Its first tab is Tab().
func New(t testing.TB) *Browser {
	t.Helper()
	path := Chromium(t)
	b := &Browser{t: t}
	// A proxy on loopback for everything that is not: it refuses, and the
	// test fails naming the address. Chromium never sends loopback
	// addresses to a proxy.
	guard := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.refused = append(b.refused, r.Method+" "+r.Host+r.URL.RequestURI())
		b.mu.Unlock()
		http.Error(w, "browser tests reach only loopback", http.StatusForbidden)
	}))
	t.Cleanup(guard.Close)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-features", strings.Join(quietFeatures, ",")),
		chromedp.Flag("disable-component-extensions-with-background-pages", true),
		chromedp.Flag("disable-field-trial-config", true),
		chromedp.Flag("no-service-autorun", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("media-router", "0"),
		chromedp.ProxyServer(guard.URL),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("lang", "ko-KR"),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&syncWriter{mu: &b.mu, w: &b.output}),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, r := range b.offLoopback {
			t.Errorf("a page tried to leave loopback: %s", r)
		}
		if len(b.refused) > 0 {
			t.Logf("the loopback proxy refused %d requests Chromium made by itself: %s", len(b.refused), strings.Join(b.refused, "; "))
		}
		if t.Failed() && b.output.Len() > 0 {
			t.Logf("Chromium's output:\n%s", b.output.String())
		}
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	b.ctx = ctx
	b.watch(ctx)
	if dir := os.Getenv(EnvScreenshots); dir != "" {
		b.shots = dir
	} else {
		b.shots = t.TempDir()
	}
	return b
}

// Tab is the browser's first tab.
func (b *Browser) Tab() context.Context { return b.ctx }

// NewTab opens another tab, closed when the test ends.
func (b *Browser) NewTab() context.Context {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("opening a tab: %v", err)
	}
	b.watch(ctx)
	return ctx
}

// watch records every request of tab's pages that is not for loopback.
func (b *Browser) watch(tab context.Context) {
	requests := chromedp.Events(tab, network.RequestWillBeSent)
	go func() {
		for ev, err := range requests {
			if err != nil {
				return // the tab is closed
			}
			if ev.Request != nil && !Loopback(ev.Request.URL) {
				b.mu.Lock()
				b.offLoopback = append(b.offLoopback, ev.Request.Method+" "+ev.Request.URL)
				b.mu.Unlock()
			}
		}
	}()
}

// Loopback reports whether a page may load u: an http(s) URL of a
// loopback address, or about:blank.
func Loopback(u string) bool {
	if u == "about:blank" {
		return true
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return false
	}
	if p.Hostname() == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(p.Hostname())
	return err == nil && ip.IsLoopback()
}

// Screenshot saves what tab shows as name.png in the screenshot folder.
func (b *Browser) Screenshot(tab context.Context, name string) {
	b.t.Helper()
	b.save(tab, name, chromedp.CaptureScreenshot())
}

// FullScreenshot saves the whole page of tab, not only what the window
// shows, as name.png.
func (b *Browser) FullScreenshot(tab context.Context, name string) {
	b.t.Helper()
	b.save(tab, name, chromedp.FullScreenshot(100)) // 100: PNG
}

func (b *Browser) save(tab context.Context, name string, shot chromedp.Action[[]byte]) {
	b.t.Helper()
	png, err := chromedp.Run(tab, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

type syncWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
