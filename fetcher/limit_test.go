package fetcher

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestPerHostConcurrency(t *testing.T) {
	var (
		cur, peak atomic.Int32
		entered   = make(chan string, 16)
		release   = make(chan struct{})
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Host, "site.test:") { // only site.test requests are limited together
			n := cur.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			defer cur.Add(-1)
		}
		entered <- r.Host
		<-release
		fmt.Fprint(w, "<p>ok</p>")
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.PerHostConcurrency = 2
	f := newTestFetcher(t, cfg)

	const n = 5
	var wg sync.WaitGroup
	errs := make(chan error, n+1)
	fetch := func(url string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.Fetch(context.Background(), url)
			errs <- err
		}()
	}
	for i := range n {
		fetch(hostURL(t, srv, "site.test", fmt.Sprintf("/%d", i)))
	}
	<-entered
	<-entered
	// Both slots are taken: the other three must be queued in the limiter,
	// not on their way to the server.
	for f.limiter.waiters("site.test") != n-2 {
		runtime.Gosched()
	}
	// Another host is not held up by site.test's queue.
	fetch(hostURL(t, srv, "other.test", "/"))
	if h := <-entered; !strings.HasPrefix(h, "other.test:") {
		t.Fatalf("request to %s entered while site.test was at its limit", h)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency for one host = %d, want 2", p)
	}
	f.limiter.mu.Lock()
	defer f.limiter.mu.Unlock()
	if len(f.limiter.hosts) != 0 {
		t.Errorf("limiter keeps %d idle host entries", len(f.limiter.hosts))
	}
}

func TestHostLimiterCancelledWait(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.PerHostConcurrency = 1
	f := newTestFetcher(t, cfg)

	holderDone := make(chan struct{})
	go func() {
		defer close(holderDone)
		_, _ = f.Fetch(context.Background(), srv.URL+"/holder") // only holds the slot
	}()
	defer func() { close(release); <-holderDone }()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, srv.URL+"/waiter")
		done <- err
	}()
	for f.limiter.waiters("127.0.0.1") != 1 {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled wait for a slot succeeded")
	}
	if w := f.limiter.waiters("127.0.0.1"); w != 0 {
		t.Errorf("%d waiters left after cancellation", w)
	}
}

func TestPerHostLimitOfOneFollowsRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/c", http.StatusFound)
		default:
			fmt.Fprint(w, "<p>c</p>")
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.PerHostConcurrency = 1
	f := newTestFetcher(t, cfg)
	// Each hop's slot is freed before the next hop asks for one; a leak
	// would block here forever (and fail by the test deadline).
	page, err := f.Fetch(context.Background(), srv.URL+"/a")
	if err != nil || page.FinalURL != srv.URL+"/c" {
		t.Fatalf("page %+v, err %v", page, err)
	}
}
