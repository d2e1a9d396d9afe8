package main

import (
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
)

func init() {
	commands["suggestions"] = (*app).suggestionsCmd
	commands["accept"] = (*app).acceptCmd
	commands["dismiss"] = (*app).dismissCmd
}

// suggestionsCmd is `newsletter suggestions`: the candidates the sources
// offer now, best first, with their reasons.
func (a *app) suggestionsCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "suggestions", "[--source NAME] [--json]", serverFlags...)
	asJSON := c.fs.Bool("json", false, "print the suggestions as JSON")
	src := c.fs.String("source", "", "only the candidates of this source")
	cl, err := a.editorSetup(c, args, 0)
	if err != nil {
		return err
	}
	path := "api/v1/suggestions"
	if *src != "" {
		path += "?source=" + url.QueryEscape(*src)
	}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodGet, path, nil, &raw); err != nil {
		return err
	}
	var s api.Suggestions
	if done, err := a.answer(raw, *asJSON, &s); done || err != nil {
		return err
	}
	return writeSuggestions(a.stdout, s, time.Now())
}

// writeSuggestions prints the candidates, best first: id, age, sources,
// reasons, title and link, snippet.
func writeSuggestions(w io.Writer, s api.Suggestions, now time.Time) error {
	var b strings.Builder
	if len(s.Sources) == 0 {
		b.WriteString("no sources configured: list them under sources: in the configuration file (docs/suggestions.md)\n")
	}
	if len(s.Candidates) == 0 && len(s.Sources) > 0 {
		b.WriteString("no candidates now\n")
	}
	for _, c := range s.Candidates {
		fmt.Fprintf(&b, "#%d  %s  %s ago  %s", c.ID, c.Title, age(now, c), strings.Join(c.Sources, ", "))
		if c.Reasons != "" {
			fmt.Fprintf(&b, "  (%s)", c.Reasons)
		}
		fmt.Fprintf(&b, "\n    %s\n", c.URL)
		if c.Snippet != "" {
			fmt.Fprintf(&b, "    %s\n", oneLineText(c.Snippet, 100))
		}
	}
	if len(s.Candidates) > 0 {
		b.WriteString("\nnewsletter accept ID... makes them submissions; newsletter dismiss ID... sets them aside for good\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// age is how long ago a candidate's story began (api.Candidate.Since),
// in hours or days.
func age(now time.Time, c api.Candidate) string {
	d := now.Sub(c.Since())
	if d < 48*time.Hour {
		return fmt.Sprintf("%dh", max(int(d.Hours()), 0))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func (a *app) acceptCmd(ctx context.Context, args []string) error {
	return a.decideCmd(ctx, args, "accept", "accepted as submission")
}

func (a *app) dismissCmd(ctx context.Context, args []string) error {
	return a.decideCmd(ctx, args, "dismiss", "dismissed")
}

// decideCmd is `newsletter accept ID...` and `newsletter dismiss ID...`:
// one request for all the ids; a line for each, those refused with their
// reason (and exit status 1).
func (a *app) decideCmd(ctx context.Context, args []string, verb, done string) error {
	c := newFlags(a, verb, "ID...", serverFlags...)
	asJSON := c.fs.Bool("json", false, "print the answer as JSON")
	cl, err := a.editorSetup(c, args, -1)
	if err != nil {
		return err
	}
	if len(c.Args()) == 0 {
		return c.usageError("%s takes the ids of candidates (newsletter suggestions lists them)", verb)
	}
	ids, err := parseIDs(c)
	if err != nil {
		return err
	}
	req := api.DecisionRequest{IDs: ids}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodPost, "api/v1/suggestions/"+verb, req, &raw); err != nil {
		return err
	}
	var d api.Decisions
	if done, err := a.answer(raw, *asJSON, &d); done || err != nil {
		return err
	}
	for _, x := range d.Done {
		line := fmt.Sprintf("#%d %s: %s\n", x.ID, done, x.URL)
		if x.SubmissionID != 0 {
			line = fmt.Sprintf("#%d %s #%d: %s\n", x.ID, done, x.SubmissionID, x.URL)
		}
		if _, err := io.WriteString(a.stdout, line); err != nil {
			return err
		}
	}
	var errs []error
	for _, r := range d.Refused {
		errs = append(errs, fmt.Errorf("candidate %d: %s", r.ID, r.Error))
	}
	return errors.Join(errs...)
}

// writeSources adds the sources of suggestions to the status: each
// one's last poll, next poll, failures and reason.
func writeSources(b *strings.Builder, cl client, srcs []api.SourceStatus) {
	if len(srcs) == 0 {
		return
	}
	b.WriteString("\n")
	tw := newTable(b)
	tw.row("SOURCE\tSTATE\tLAST OK\tNEXT POLL\tCANDIDATES\tREASON\n")
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return cl.at(t)
	}
	for _, s := range srcs {
		state := "ok"
		switch {
		case s.Failures > 0:
			state = fmt.Sprintf("FAILING (%d)", s.Failures)
		case s.LastPollAt.IsZero():
			state = "not polled yet"
		}
		tw.row("%s\t%s\t%s\t%s\t%d\t%s\n", s.Name, state, when(s.LastOKAt), when(s.NextPollAt), s.Candidates,
			orDash(oneLineText(s.LastError, 90)))
	}
	tw.flush()
}
