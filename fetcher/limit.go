package fetcher

import (
	"io"
	"net/http"
	"strings"
	"sync"
)

// hostLimiter is an http.RoundTripper that lets at most limit requests per
// host name be in flight, from sending the request until its body is
// closed. Limiting at this level also covers redirect hops and the GitHub
// API, whatever host they reach.
type hostLimiter struct {
	next  http.RoundTripper
	limit int

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

type hostSlots struct {
	sem     chan struct{}
	users   int // requests holding or waiting for a slot; at 0 the entry is dropped
	waiting int // requests waiting for a slot
}

func newHostLimiter(next http.RoundTripper, limit int) *hostLimiter {
	return &hostLimiter{next: next, limit: limit, hosts: make(map[string]*hostSlots)}
}

func (l *hostLimiter) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Hostname())
	s, err := l.acquire(req, host)
	if err != nil {
		return nil, err
	}
	release := sync.OnceFunc(func() {
		<-s.sem
		l.drop(host, s)
	})
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// acquire takes a slot for host, waiting until one is free or the
// request's context is done.
func (l *hostLimiter) acquire(req *http.Request, host string) (*hostSlots, error) {
	l.mu.Lock()
	s := l.hosts[host]
	if s == nil {
		s = &hostSlots{sem: make(chan struct{}, l.limit)}
		l.hosts[host] = s
	}
	s.users++
	l.mu.Unlock()

	select {
	case s.sem <- struct{}{}:
		return s, nil
	default:
	}
	l.mu.Lock()
	s.waiting++
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		s.waiting--
		l.mu.Unlock()
	}()
	select {
	case s.sem <- struct{}{}:
		return s, nil
	case <-req.Context().Done():
		l.drop(host, s)
		return nil, req.Context().Err()
	}
}

// drop ends one request's use of s, forgetting the host when none is left.
func (l *hostLimiter) drop(host string, s *hostSlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.users--; s.users == 0 {
		delete(l.hosts, host)
	}
}

// waiters returns how many requests to host wait for a slot.
func (l *hostLimiter) waiters(host string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.hosts[host]; s != nil {
		return s.waiting
	}
	return 0
}

// releasingBody frees the host slot when the body is closed.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
