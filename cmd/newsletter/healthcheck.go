package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/quiet"
)

// healthcheckTimeout bounds the whole probe; a container runtime kills a
// health check that outlives its own timeout anyway.
const healthcheckTimeout = 3 * time.Second

func init() { commands["healthcheck"] = (*app).healthcheckCmd }

// healthcheckCmd is `newsletter healthcheck`: it exits 0 when the server
// answers GET /healthz with 200 OK, and 1 with one line on stderr otherwise.
// It is the container image's HEALTHCHECK, which has no shell or curl.
func (a *app) healthcheckCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "healthcheck", "", "server") // /healthz needs no token
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.Args()) > 0 {
		return c.usageError("healthcheck takes no arguments, got %q", c.Args())
	}
	cfg, err := c.load(a)
	if err != nil {
		return err
	}
	u, err := healthURL(cfg.Server)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	return probe(ctx, u)
}

// healthURL returns the /healthz address of the server: under server.url
// when it was changed from the default (by file, environment or --server),
// otherwise derived from server.listen, so that a server listening on
// 0.0.0.0:9090 in a container is probed at 127.0.0.1:9090.
func healthURL(s config.Server) (string, error) {
	base := s.URL
	if base == config.Default().Server.URL {
		host, port, err := net.SplitHostPort(s.Listen)
		if err != nil {
			return "", fmt.Errorf("server.listen %q: %w", s.Listen, err)
		}
		switch host {
		case "", "0.0.0.0":
			host = "127.0.0.1"
		case "::":
			host = "::1"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.JoinPath(base, "healthz")
	if err != nil {
		return "", fmt.Errorf("server.url %q: %w", base, err)
	}
	return u, nil
}

// probe GETs u and reports any answer but 200 OK as an error naming u.
// Redirects are not followed and proxies are not used: the server is local.
func probe(ctx context.Context, u string) error {
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", u, err)
	}
	req.Header.Set("User-Agent", "newsletter-healthcheck/"+version)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the URL
		}
		return fmt.Errorf("healthcheck %s: %w", u, err)
	}
	defer quiet.Close(resp.Body)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %s", u, resp.Status)
	}
	return nil
}
