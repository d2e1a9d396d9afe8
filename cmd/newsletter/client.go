package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/quiet"
)

// clientTimeout bounds one request to the server; a regeneration waits
// for Gemini and gets longer.
const clientTimeout = 30 * time.Second

// client calls the API of a running server at server.url with the token
// in server.token, for the commands editors use.
type client struct {
	base, token, cmd string
	http             *http.Client
	// loc is schedule.timezone, the zone the desk dates everything in,
	// in which the commands print times.
	loc *time.Location
}

func newClient(cfg config.Config, cmd string) client {
	loc, err := time.LoadLocation(cfg.Schedule.Timezone)
	if err != nil {
		loc = time.UTC // the name is refused where the schedule is read; say UTC, as printed
	}
	return client{base: cfg.Server.URL, token: cfg.Server.Token, cmd: cmd, http: &http.Client{}, loc: loc}
}

// at is t as the commands print it: in schedule.timezone, the zone named.
func (c client) at(t time.Time) string {
	return t.In(c.loc).Format("2006-01-02 15:04 MST")
}

// apiError is the server's answer to a request it refused: its status
// and its body (the message, its code, the input at fault, the
// violations).
type apiError struct {
	status int
	msg    string
	body   api.ErrorBody
}

func (e *apiError) Error() string { return e.msg }

// do sends method path with body (JSON, nil for none) and decodes the
// answer into out (nil to ignore it), within clientTimeout.
func (c client) do(ctx context.Context, method, path string, body, out any) error {
	_, err := c.send(ctx, method, path, body, out, clientTimeout)
	return err
}

// doStatus is do returning the answer's status too.
func (c client) doStatus(ctx context.Context, method, path string, body, out any) (int, error) {
	return c.send(ctx, method, path, body, out, clientTimeout)
}

// send sends method path with body (JSON, nil for none) and decodes the
// answer into out (nil to ignore it). Errors are one line naming what the
// server said, with a hint for the usual mistakes.
func (c client) send(ctx context.Context, method, path string, body, out any, timeout time.Duration) (int, error) {
	endpoint, err := url.JoinPath(c.base, path)
	if err != nil {
		return 0, fmt.Errorf("%s: server.url %q: %w", c.cmd, c.base, err)
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		endpoint, _ = url.JoinPath(c.base, path[:i])
		endpoint += path[i:]
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, endpoint, r)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", c.cmd, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "newsletter-"+c.cmd+"/"+version)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Errorf("%s: cannot reach the server at %s (is \"newsletter serve\" running? --server or NEWSLETTER_SERVER_URL names its address): %w", c.cmd, c.base, err)
	}
	defer quiet.Close(resp.Body)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s: reading the answer of %s: %w", c.cmd, c.base, err)
	}
	if resp.StatusCode >= 300 {
		var e api.ErrorBody
		if json.Unmarshal(raw, &e) != nil || e.Error == "" {
			return resp.StatusCode, &apiError{status: resp.StatusCode, msg: fmt.Sprintf("%s: server at %s answered %s", c.cmd, c.base, resp.Status)}
		}
		hint := ""
		if resp.StatusCode == http.StatusUnauthorized {
			hint = "; set NEWSLETTER_SERVER_TOKEN (server.token) to the server's token"
		}
		code := resp.Status
		if e.Code != "" {
			code = e.Code + ", " + resp.Status
		}
		return resp.StatusCode, &apiError{status: resp.StatusCode, msg: fmt.Sprintf("%s: %s (%s)%s", c.cmd, e.Error, code, hint),
			body: e}
	}
	if out == nil {
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return resp.StatusCode, fmt.Errorf("%s: unexpected answer from %s: %w", c.cmd, c.base, err)
	}
	return resp.StatusCode, nil
}
