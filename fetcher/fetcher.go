package fetcher

import (
	"errors"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/urlnorm"
	"github.com/jonboulle/clockwork"

	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
)

// Page is a fetched document.
type Page struct {
	RequestURL string // normalised URL that was asked for
	FinalURL   string // normalised URL after redirects; for GitHub repositories the repository URL
	MediaType  string // "text/html" (also for XHTML), "text/plain" or "text/markdown"
	Body       []byte // decoded to UTF-8, whatever charset a <meta> in it declares
	FetchedAt  time.Time
	// ETag and LastModified are the validators the server sent, for a
	// conditional request next time (FetchFeed).
	ETag, LastModified string
	// NotModified: the server answered 304 to a conditional request
	// (FetchFeed); Body is empty.
	NotModified bool
}

// Fetcher fetches user-submitted URLs. It is safe for concurrent use.
type Fetcher struct {
	cfg       config.Fetcher
	log       *zap.Logger
	guard     *guard
	client    *http.Client
	transport *http.Transport
	dialer    *dialer
	limiter   *hostLimiter
	clock     clockwork.Clock
	backoff   retry.Backoff
}

// New returns a Fetcher for cfg, which config.Validate has approved; zero
// MaxRedirects and MaxRetries mean none. A nil logger discards logs.
func New(cfg config.Fetcher, log *zap.Logger, opts ...Option) (*Fetcher, error) {
	if err := check(cfg); err != nil {
		return nil, err
	}
	g, err := newGuard(cfg)
	if err != nil {
		return nil, err
	}
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if log == nil {
		log = zap.NewNop()
	}
	d := &dialer{
		guard:    g,
		resolver: o.resolver,
		net:      &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second, Control: g.control},
	}
	d.dial = d.net.DialContext
	tr := &http.Transport{
		Proxy:                  nil, // an environment proxy would dial on our behalf, past the guard
		DialContext:            d.DialContext,
		TLSClientConfig:        o.tls,
		TLSHandshakeTimeout:    cfg.TLSTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		DisableCompression:     true, // readBody decodes, so the cap counts decoded bytes
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    cfg.PerHostConcurrency,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
	f := &Fetcher{
		cfg:       cfg,
		log:       log,
		guard:     g,
		transport: tr,
		dialer:    d,
		limiter:   newHostLimiter(tr, cfg.PerHostConcurrency),
		clock:     o.clock,
		backoff:   o.backoff,
	}
	f.client = &http.Client{Transport: f.limiter, CheckRedirect: f.checkRedirect}
	return f, nil
}

// check refuses a configuration the client cannot work with; the values
// themselves come from config.Default and config.Validate.
func check(cfg config.Fetcher) error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"timeout", cfg.Timeout}, {"connect_timeout", cfg.ConnectTimeout},
		{"tls_timeout", cfg.TLSTimeout}, {"header_timeout", cfg.HeaderTimeout},
	} {
		if d.v <= 0 {
			return fmt.Errorf("fetcher: %s must be positive (got %s)", d.name, d.v)
		}
	}
	switch {
	case cfg.MaxBodyBytes <= 0:
		return fmt.Errorf("fetcher: max_body_bytes must be positive (got %d)", cfg.MaxBodyBytes)
	case cfg.MaxRedirects < 0:
		return fmt.Errorf("fetcher: max_redirects must not be negative (got %d)", cfg.MaxRedirects)
	case cfg.MaxRetries < 0:
		return fmt.Errorf("fetcher: max_retries must not be negative (got %d)", cfg.MaxRetries)
	case cfg.PerHostConcurrency < 1:
		return fmt.Errorf("fetcher: per_host_concurrency must be at least 1 (got %d)", cfg.PerHostConcurrency)
	case strings.TrimSpace(cfg.UserAgent) == "":
		return errors.New("fetcher: user_agent must not be empty")
	}
	return nil
}

// CloseIdleConnections closes kept-alive connections that are not in use.
func (f *Fetcher) CloseIdleConnections() { f.transport.CloseIdleConnections() }

// target is one thing to GET and how to read the answer.
type target struct {
	url       string      // the URL requested
	name      string      // the submitted URL, named in errors
	header    http.Header // request headers beyond the defaults
	finalURL  string      // fixed Page.FinalURL; "" means the URL the redirects ended at
	mediaType string      // fixed media type of the body; "" means from the response
	github    bool        // a GitHub API call (rate-limit answers)
	feed      bool        // a feed or a JSON API: 304 answers, the body passed through as bytes
}

const defaultAccept = "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.1"

// Fetch downloads rawURL and returns its body as UTF-8 text. The URL is
// normalised first (see urlnorm.Normalize). GitHub repository URLs return
// the repository's README as markdown. fetcher.timeout bounds the whole
// fetch, retries included. Errors are one line naming the URL and the
// reason, classified by package retry: permanent for a bad URL or page,
// an outage of "github" for its API's rate limit, transient otherwise.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	u, err := urlnorm.Parse(rawURL)
	if err != nil {
		return nil, retry.Never(fmt.Errorf("fetcher: %w", err))
	}
	name := u.String()
	if err := f.guard.checkHost(u.Hostname()); err != nil {
		return nil, retry.Never(wrapURL(name, err))
	}
	t := &target{url: name, name: name}
	if owner, repo, ok := githubRepo(u); ok {
		if t, err = f.githubTarget(name, owner, repo); err != nil {
			return nil, retry.Never(wrapURL(name, err))
		}
	}
	return f.fetchTarget(ctx, name, t)
}

// fetchTarget asks for t, retrying within the whole fetch's deadline
// (fetcher.timeout), and gives the page the name it was asked by.
func (f *Fetcher) fetchTarget(ctx context.Context, name string, t *target) (*Page, error) {
	deadline := f.clock.Now().Add(f.cfg.Timeout)
	fctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	page, err := f.retry(fctx, name, deadline, func(fctx context.Context, n int) (*Page, error) {
		return f.attempt(ctx, fctx, t, n)
	})
	if err != nil {
		return nil, f.classify(wrapURL(name, err))
	}
	page.RequestURL = name
	return page, nil
}

// attempt makes one request within the fetch's deadline (fctx) and logs
// it; ctx is the caller's context.
func (f *Fetcher) attempt(ctx, fctx context.Context, t *target, n int) (*Page, error) {
	start := time.Now()
	page, status, err := f.get(fctx, t)
	if err != nil {
		err = f.describe(ctx, fctx, err)
	}
	fields := []zap.Field{
		zap.String("url", t.url), zap.Int("attempt", n), zap.Int("status", status),
		zap.Duration("duration", time.Since(start)),
	}
	if err != nil {
		fields = append(fields, zap.Error(err))
	}
	f.log.Debug("fetch attempt", fields...)
	return page, err
}

// get performs the request and reads the response; status is 0 when no
// response arrived.
func (f *Fetcher) get(ctx context.Context, t *target) (_ *Page, status int, _ error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	if t.feed {
		req.Header.Set("Accept", feedAccept)
	} else {
		req.Header.Set("Accept", defaultAccept)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	for k, v := range t.header {
		req.Header[k] = v
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer quiet.Close(resp.Body)
	if t.feed {
		return f.readFeed(t, resp)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10)) // lets the connection be reused
		return nil, resp.StatusCode, f.statusError(t, resp)
	}

	contentType := resp.Header.Get("Content-Type")
	declared := declaredType(contentType)
	if t.mediaType == "" && !acceptable(declared) {
		return nil, resp.StatusCode, unsupported(declared) // refused before downloading
	}
	body, err := readBody(resp, f.cfg.MaxBodyBytes)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	mediaType := t.mediaType
	if mediaType == "" {
		mediaType = resolveType(declared, body, resp.Request.URL.Path)
	}
	if isGeneric(declared) {
		contentType = "" // a sniffed type carries no charset worth believing
	}
	mediaType, text, err := f.convert(body, mediaType, contentType)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	final := t.finalURL
	if final == "" {
		final = resp.Request.URL.String()
		if n, err := urlnorm.Normalize(final); err == nil {
			final = n
		}
	}
	return &Page{FinalURL: final, MediaType: mediaType, Body: text, FetchedAt: f.clock.Now()}, resp.StatusCode, nil
}

// convert checks a body's bytes (see sniffBody) and turns it into the text
// of mediaType; contentType is the header it came with, "" when none.
func (f *Fetcher) convert(body []byte, mediaType, contentType string) (string, []byte, error) {
	conv := converters[mediaType]
	if conv == nil {
		return "", nil, unsupported(mediaType)
	}
	body, err := sniffBody(body, mediaType, f.cfg.MaxBodyBytes)
	if err != nil {
		return "", nil, err
	}
	return conv(body, contentType)
}

func (f *Fetcher) statusError(t *target, resp *http.Response) error {
	now := f.clock.Now()
	se := &StatusError{URL: t.name, Code: resp.StatusCode}
	if d, ok := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		se.RetryAfter = d
	}
	if t.github {
		if code, wait, ok := githubRateLimit(resp, now); ok {
			se.Code, se.RetryAfter, se.rateLimited = code, max(se.RetryAfter, wait), true
		}
	}
	return se
}
