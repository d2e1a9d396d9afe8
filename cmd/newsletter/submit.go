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
)

// submitTimeout bounds the whole request to the server.
const submitTimeout = 30 * time.Second

func init() { commands["submit"] = (*app).submitCmd }

// submitCmd is `newsletter submit URL`: it sends the link to the server at
// server.url with the token in server.token and prints the submission.
func (a *app) submitCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "submit", "URL [--note TEXT] [--by NAME] [--json]")
	note := c.fs.String("note", "", "`TEXT` saying why the article is worth reading")
	by := c.fs.String("by", "", "submitter's `NAME`")
	asJSON := c.fs.Bool("json", false, "print the submission as JSON")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.Args()) != 1 {
		return c.usageError("submit takes one URL, got %d arguments", len(c.Args()))
	}
	cfg, err := c.load(a)
	if err != nil {
		return err
	}
	endpoint, err := url.JoinPath(cfg.Server.URL, "api/v1/submissions")
	if err != nil {
		return fmt.Errorf("server.url %q: %w", cfg.Server.URL, err)
	}
	body, err := json.Marshal(map[string]string{"url": c.Args()[0], "submitted_by": *by, "note": *note})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, submitTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "newsletter-submit/"+version)
	if cfg.Server.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Server.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("submit: cannot reach the server at %s (is \"newsletter serve\" running? --server or NEWSLETTER_SERVER_URL names its address): %w", cfg.Server.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("submit: reading the answer of %s: %w", cfg.Server.URL, err)
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			hint := ""
			if resp.StatusCode == http.StatusUnauthorized {
				hint = "; set NEWSLETTER_SERVER_TOKEN (server.token) to the server's token"
			}
			return fmt.Errorf("submit: %s (%s)%s", e.Error, resp.Status, hint)
		}
		return fmt.Errorf("submit: server at %s answered %s", cfg.Server.URL, resp.Status)
	}
	if *asJSON {
		_, err := a.stdout.Write(raw)
		return err
	}
	var sub struct {
		ID          int64  `json:"id"`
		URL         string `json:"url"`
		State       string `json:"state"`
		DuplicateOf int64  `json:"duplicate_of"`
	}
	if err := json.Unmarshal(raw, &sub); err != nil {
		return fmt.Errorf("submit: unexpected answer from %s: %w", cfg.Server.URL, err)
	}
	if resp.StatusCode == http.StatusCreated {
		fmt.Fprintf(a.stdout, "submitted #%d %s\n", sub.ID, sub.URL)
		return nil
	}
	state := sub.State
	if sub.DuplicateOf != 0 {
		state = fmt.Sprintf("%s of #%d", state, sub.DuplicateOf)
	}
	fmt.Fprintf(a.stdout, "already submitted as #%d %s (%s)\n", sub.ID, sub.URL, strings.TrimSpace(state))
	return nil
}
