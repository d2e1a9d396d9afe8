package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
)

func init() { commands["submit"] = (*app).submitCmd }

// submitCmd is `newsletter submit URL`: it sends the link to the server at
// server.url with the token in server.token and prints the submission.
func (a *app) submitCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "submit", "URL [--note TEXT] [--by NAME] [--again] [--json]", serverFlags...)
	note := c.fs.String("note", "", "`TEXT` saying why the article is worth reading")
	by := c.fs.String("by", "", "submitter's `NAME`")
	asJSON := c.fs.Bool("json", false, "print the submission as JSON")
	again := c.fs.Bool("again", false, "include a link already published in an earlier issue once more, on purpose")
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
	var raw json.RawMessage
	cl := newClient(cfg, "submit")
	status, err := cl.doStatus(ctx, http.MethodPost, "api/v1/submissions",
		api.SubmissionRequest{URL: c.Args()[0], SubmittedBy: *by, Note: *note, Again: *again}, &raw)
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(raw)
	}
	var sub api.Submission
	if err := json.Unmarshal(raw, &sub); err != nil {
		return fmt.Errorf("submit: unexpected answer: %w", err)
	}
	switch {
	case status == http.StatusCreated:
		if _, err := fmt.Fprintf(a.stdout, "submitted #%d %s\n", sub.ID, sub.URL); err != nil {
			return err
		}
	case sub.Requeued:
		if _, err := fmt.Fprintf(a.stdout, "submitted again as #%d %s (it had failed; queued again)\n", sub.ID, sub.URL); err != nil {
			return err
		}
	default:
		if _, err := fmt.Fprintf(a.stdout, "already submitted as #%d %s (%s)\n", sub.ID, sub.URL, stateText(cl, sub)); err != nil {
			return err
		}
	}
	return nil
}
