package fetcher

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// feedAccept asks for a feed or JSON, the formats FetchFeed's callers read.
const feedAccept = "application/atom+xml,application/rss+xml,application/feed+json,application/json;q=0.9,application/xml;q=0.8,text/xml;q=0.8,*/*;q=0.1"

// Validators are what a server sent with a feed last time, sent back as
// If-None-Match and If-Modified-Since so that an unchanged feed costs a
// 304 and no body.
type Validators struct {
	ETag, LastModified string
}

// FetchFeed downloads a feed (RSS, Atom, JSON Feed) or a JSON API answer
// with the guard, limits, timeouts and retries of Fetch. Its body is
// returned as received (decompressed, capped at max_body_bytes, not
// converted: feed parsers read their own encodings), with the validators
// for the next request; a 304 to a conditional request is a Page with
// NotModified set and no body. Errors are classified as Fetch's are.
func (f *Fetcher) FetchFeed(ctx context.Context, rawURL string, v Validators) (*Page, error) {
	u, err := urlnorm.Parse(rawURL)
	if err != nil {
		return nil, retry.Never(fmt.Errorf("fetcher: %w", err))
	}
	name := u.String()
	if err := f.guard.checkHost(u.Hostname()); err != nil {
		return nil, retry.Never(wrapURL(name, err))
	}
	t := &target{url: rawURL, name: name, feed: true, header: http.Header{}}
	if v.ETag != "" {
		t.header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		t.header.Set("If-Modified-Since", v.LastModified)
	}
	return f.fetchTarget(ctx, name, t)
}

// readFeed reads the answer to a feed request: 304, a 2xx body as bytes,
// or the status error.
func (f *Fetcher) readFeed(t *target, resp *http.Response) (*Page, int, error) {
	page := &Page{FetchedAt: f.clock.Now(), ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		FinalURL: resp.Request.URL.String(), MediaType: declaredType(resp.Header.Get("Content-Type"))}
	if resp.StatusCode == http.StatusNotModified {
		page.NotModified = true
		return page, resp.StatusCode, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, resp.StatusCode, f.statusError(t, resp)
	}
	body, err := readBody(resp, f.cfg.MaxBodyBytes)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	page.Body = body
	return page, resp.StatusCode, nil
}
