package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/godevcommunity/newsletter/api"
)

// The commands editors use; each talks to the running server.
func init() {
	commands["submissions"] = (*app).submissionsCmd
	commands["retry"] = (*app).retryCmd
	commands["delete"] = (*app).deleteCmd
	commands["draft"] = (*app).draftCmd
	commands["edit"] = (*app).editCmd
	commands["regenerate"] = (*app).regenerateCmd
	commands["publish"] = (*app).publishCmd
	commands["status"] = (*app).statusCmd
	commands["intro"] = (*app).introCmd
}

// printJSON prints an answer of the server, indented.
func (a *app) printJSON(raw json.RawMessage) error {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := a.stdout.Write(b.Bytes())
	return err
}

// answer reads the server's answer raw: with asJSON it prints it as it is
// and reports done; otherwise it decodes it into v for the command to
// print in words.
func (a *app) answer(raw json.RawMessage, asJSON bool, v any) (done bool, err error) {
	if asJSON {
		return true, a.printJSON(raw)
	}
	return false, json.Unmarshal(raw, v)
}

// stateText is where a submission is, as the commands print it.
func stateText(cl client, s api.Submission) string {
	switch {
	case s.DuplicateOf != 0:
		return fmt.Sprintf("duplicate of #%d", s.DuplicateOf)
	case s.WaitingFor != "":
		return "waiting for " + s.WaitingFor
	case s.NextAttemptAt != nil:
		return fmt.Sprintf("%s, retried at %s", s.State, cl.at(*s.NextAttemptAt))
	}
	return s.State
}

// editorSetup parses args for an editor's command taking the listed number
// of positional arguments (-1: any) and returns its client.
func (a *app) editorSetup(c *commonFlags, args []string, positional int) (client, error) {
	if err := c.parse(args); err != nil {
		return client{}, err
	}
	if positional >= 0 && len(c.Args()) != positional {
		return client{}, c.usageError("%s takes %d argument(s), got %d", c.name, positional, len(c.Args()))
	}
	cfg, err := c.load(a)
	if err != nil {
		return client{}, err
	}
	return newClient(cfg, c.name), nil
}

// parseID reads a submission id argument.
func parseID(c *commonFlags, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id < 1 {
		return 0, c.usageError("%q is not a submission id (a number, as `newsletter submissions` shows)", s)
	}
	return id, nil
}

// submissionsCmd is `newsletter submissions [--state S]`.
func (a *app) submissionsCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "submissions", "[--state S,...] [--limit N] [--json]", serverFlags...)
	state := c.fs.String("state", "", "only submissions in these `STATES`, comma-separated (new, failed, ...)")
	limit := c.fs.Int("limit", 100, "at most `N` submissions, newest first")
	asJSON := c.fs.Bool("json", false, "print the answer as JSON")
	cl, err := a.editorSetup(c, args, 0)
	if err != nil {
		return err
	}
	q := url.Values{"limit": {strconv.Itoa(*limit)}}
	if *state != "" {
		q.Set("state", *state)
	}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodGet, "api/v1/submissions?"+q.Encode(), nil, &raw); err != nil {
		return err
	}
	var out struct {
		Submissions []api.Submission `json:"submissions"`
	}
	if done, err := a.answer(raw, *asJSON, &out); done || err != nil {
		return err
	}
	if len(out.Submissions) == 0 {
		_, err := fmt.Fprintln(a.stdout, "no submissions")
		return err
	}
	var b strings.Builder
	for _, s := range out.Submissions {
		fmt.Fprintf(&b, "#%-5d %-28s %d  %s\n", s.ID, stateText(cl, s), s.Attempts, s.URL)
		if s.LastError != "" && s.State != "summarized" && s.State != "published" {
			fmt.Fprintf(&b, "       %s\n", s.LastError)
		}
		if s.SubmittedBy != "" || s.Note != "" {
			fmt.Fprintf(&b, "       %s %s\n", s.SubmittedBy, s.Note)
		}
	}
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return err
	}
	return nil
}

// retryCmd is `newsletter retry ID...` or `newsletter retry --failed`.
func (a *app) retryCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "retry", "ID... | --failed", serverFlags...)
	failed := c.fs.Bool("failed", false, "retry every failed submission")
	cl, err := a.editorSetup(c, args, -1)
	if err != nil {
		return err
	}
	var ids []int64
	switch {
	case *failed && len(c.Args()) > 0:
		return c.usageError("retry takes ids or --failed, not both")
	case *failed:
		var out struct {
			Submissions []api.Submission `json:"submissions"`
		}
		if err := cl.do(ctx, http.MethodGet, "api/v1/submissions?state=failed&limit=1000", nil, &out); err != nil {
			return err
		}
		for _, s := range out.Submissions {
			ids = append(ids, s.ID)
		}
		if len(ids) == 0 {
			_, err := fmt.Fprintln(a.stdout, "no failed submissions")
			return err
		}
	case len(c.Args()) == 0:
		return c.usageError("retry takes the ids of failed submissions, or --failed")
	default:
		if ids, err = parseIDs(c); err != nil {
			return err
		}
	}
	return a.eachSubmission(ctx, cl, ids, http.MethodPost, "api/v1/submissions/%d/retry", "queued again")
}

// deleteCmd is `newsletter delete ID...`: each submission in turn, a
// refusal said and the others deleted.
func (a *app) deleteCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "delete", "ID...", serverFlags...)
	cl, err := a.editorSetup(c, args, -1)
	if err != nil {
		return err
	}
	if len(c.Args()) == 0 {
		return c.usageError("delete takes the ids of queued submissions")
	}
	ids, err := parseIDs(c)
	if err != nil {
		return err
	}
	return a.eachSubmission(ctx, cl, ids, http.MethodDelete, "api/v1/submissions/%d", "deleted")
}

// parseIDs reads the submission ids a command was given.
func parseIDs(c *commonFlags) ([]int64, error) {
	var ids []int64
	for _, arg := range c.Args() {
		id, err := parseID(c, arg)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// eachSubmission asks the server for one action on each submission in
// turn (method on pathFormat with the id), printing "#N done: URL" for
// each done; a refusal is returned, joined with the others, and the rest
// still asked.
func (a *app) eachSubmission(ctx context.Context, cl client, ids []int64, method, pathFormat, done string) error {
	var errs []error
	for _, id := range ids {
		var s api.Submission
		if err := cl.do(ctx, method, fmt.Sprintf(pathFormat, id), nil, &s); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := fmt.Fprintf(a.stdout, "#%d %s: %s\n", s.ID, done, s.URL); err != nil {
			return err
		}
	}
	return errors.Join(errs...)
}

// draftCmd is `newsletter draft [--markdown]`.
func (a *app) draftCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "draft", "[--markdown] [--json]", serverFlags...)
	markdown := c.fs.Bool("markdown", false, "print the exact markdown publishing would write")
	asJSON := c.fs.Bool("json", false, "print the draft as JSON")
	cl, err := a.editorSetup(c, args, 0)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodGet, "api/v1/issues/draft", nil, &raw); err != nil {
		return err
	}
	var d api.Issue
	if done, err := a.answer(raw, *asJSON, &d); done || err != nil {
		return err
	}
	if *markdown {
		_, err := fmt.Fprint(a.stdout, d.Markdown)
		return err
	}
	return writeDraft(a, cl, d)
}

// writeDraft prints an issue for a terminal.
func writeDraft(a *app, cl client, d api.Issue) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s)\n", d.Title, d.State, d.Date.Format(time.DateOnly))
	switch {
	case d.State == "review" && d.PublishAt != nil:
		fmt.Fprintf(&b, "waiting for review; publishes on its own at %s\n", cl.at(*d.PublishAt))
	case d.State == "review":
		fmt.Fprintln(&b, "waiting for review; it waits for an editor to publish it")
	case d.WeekTaken:
		fmt.Fprintln(&b, "next week's issue: this week's is out, and next week's scheduled run takes this draft")
	}
	if d.Intro != "" {
		fmt.Fprintf(&b, "opening: %s\n", oneLineText(d.Intro, 80))
	}
	fmt.Fprintf(&b, "\n%d articles:\n", len(d.Entries))
	for _, e := range d.Entries {
		marks := ""
		if e.Excluded {
			marks += " [excluded]"
		}
		if len(e.Edited) > 0 {
			marks += " [edited: " + strings.Join(e.Edited, ", ") + "]"
		}
		fmt.Fprintf(&b, "%2d. #%d %s%s\n    %s\n", e.Position, e.SubmissionID, e.Title, marks, e.URL)
	}
	for _, g := range []struct {
		title string
		list  []api.Submission
	}{{"failed", d.Failed}, {"pending", d.Pending}} {
		if len(g.list) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", g.title, len(g.list))
		for _, s := range g.list {
			why := s.LastError
			if s.WaitingFor != "" {
				why = "waiting for " + s.WaitingFor
			}
			fmt.Fprintf(&b, "    #%d %s\n      %s\n", s.ID, s.URL, why)
		}
	}
	if d.NextDraft > 0 {
		fmt.Fprintf(&b, "\n%d more articles wait for the next issue\n", d.NextDraft)
	}
	fmt.Fprintf(&b, "\ngemini: %d requests for these articles, about $%.4f\n", d.Usage.Requests, d.Usage.CostUSD)
	_, err := fmt.Fprint(a.stdout, b.String())
	return err
}

// oneLineText shortens s to one line of at most n characters.
func oneLineText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// editableFields are the fields `edit --field` takes: an entry's.
var editableFields = api.Fields

// editCmd is `newsletter edit ID --field F`: the field opened in $EDITOR,
// as git commit does, and saved when the editor exits; or --exclude,
// --include, --position N, --revert.
func (a *app) editCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "edit", "ID --field FIELD [--revert | --resume] | --exclude | --include | --position N", serverFlags...)
	field := c.fs.String("field", "", "the `FIELD` to edit in $EDITOR: "+strings.Join(editableFields, ", "))
	revert := c.fs.Bool("revert", false, "give --field back the model's text")
	resume := c.fs.Bool("resume", false, "reopen the text of --field the server refused last time (edit reopens it anyway when there is one)")
	exclude := c.fs.Bool("exclude", false, "leave the article out of the issue")
	include := c.fs.Bool("include", false, "put an excluded article back")
	position := c.fs.Int("position", 0, "move the article to place `N` (1 is first)")
	cl, err := a.editorSetup(c, args, 1)
	if err != nil {
		return err
	}
	id, err := parseID(c, c.Args()[0])
	if err != nil {
		return err
	}
	change := map[string]any{}
	var typed string // the text written in $EDITOR
	switch {
	case *exclude && *include:
		return c.usageError("--exclude and --include contradict each other")
	case *exclude, *include:
		change["excluded"] = *exclude
	}
	if *position != 0 {
		change["position"] = *position
	}
	if *field != "" {
		if !slices.Contains(editableFields, *field) {
			return c.usageError("--field must be one of %s, not %q", strings.Join(editableFields, ", "), *field)
		}
		kept := a.keptPath(id, *field)
		if *revert {
			change[*field] = nil
		} else {
			var e api.Entry
			if err := cl.do(ctx, http.MethodGet, fmt.Sprintf("api/v1/submissions/%d/summary", id), nil, &e); err != nil {
				return err
			}
			start := e.Field(*field)
			switch b, err := os.ReadFile(kept); {
			case err == nil:
				start = string(b)
				tell(a.stderr, "reopening the text the server refused last time, kept in %s\n", kept)
			case *resume:
				return fmt.Errorf("edit: nothing to resume: no refused text of the %s of #%d is kept (%s)", *field, id, kept)
			}
			text, err := a.editText(ctx, fmt.Sprintf("submission-%d-%s.md", id, *field),
				fmt.Sprintf("the %s of submission #%d", *field, id), start)
			if err != nil {
				return err
			}
			typed = text
			if text == e.Field(*field) {
				tell(a.stdout, "no change\n")
				if len(change) == 0 {
					return nil
				}
			} else {
				change[*field] = text
			}
		}
	} else if *revert || *resume {
		return c.usageError("--revert and --resume need --field")
	}
	if len(change) == 0 {
		return c.usageError("edit needs --field, --exclude, --include or --position")
	}
	var e api.Entry
	status, err := cl.doStatus(ctx, http.MethodPatch, fmt.Sprintf("api/v1/submissions/%d/summary", id), change, &e)
	if err != nil {
		a.printViolations(err)
		if _, edited := change[*field]; edited && typed != "" && status == http.StatusUnprocessableEntity {
			a.keep(id, *field, typed)
		}
		return err
	}
	if *field != "" {
		_ = os.Remove(a.keptPath(id, *field)) // saved: nothing to reopen
	}
	saved := fmt.Sprintf("#%d saved", e.SubmissionID)
	if len(e.Edited) > 0 {
		saved += fmt.Sprintf(" (edited: %s)", strings.Join(e.Edited, ", "))
	}
	if e.Excluded {
		saved += " (excluded)"
	}
	_, err = fmt.Fprintf(a.stdout, "%s, position %d\n", saved, e.Position)
	return err
}

// printViolations lists, under the error, each rule a refused edit or
// regeneration broke, by field.
func (a *app) printViolations(err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		for _, v := range ae.body.Violations {
			tell(a.stderr, "  %s: %s\n", v.Field, v.Detail)
		}
	}
}

// keptPath is the file that keeps the text of field of submission id the
// server refused, for the next edit to reopen: under $XDG_STATE_HOME, else
// ~/.local/state, else the temporary directory.
func (a *app) keptPath(id int64, field string) string {
	dir, _ := a.getenv("XDG_STATE_HOME")
	if dir == "" {
		if home, _ := a.getenv("HOME"); home != "" {
			dir = filepath.Join(home, ".local", "state")
		} else {
			dir = os.TempDir()
		}
	}
	return filepath.Join(dir, "newsletter", fmt.Sprintf("edit-%d-%s.md", id, field))
}

// keep saves text the server refused, and says where; a failure to save
// it is said too, with the text, so that it is never lost silently.
func (a *app) keep(id int64, field, text string) {
	path := a.keptPath(id, field)
	err := os.MkdirAll(filepath.Dir(path), 0o700)
	if err == nil {
		err = os.WriteFile(path, []byte(text), 0o600)
	}
	if err != nil {
		tell(a.stderr, "your text could not be kept (%v); here it is:\n%s\n", err, text)
		return
	}
	tell(a.stderr, "your text is kept in %s; `newsletter edit %d --field %s` reopens it\n", path, id, field)
}

// scissors ends the text in the file the editor opens: what follows is
// help, dropped when the file is read back (as git commit -v does). Lines
// starting with "#" are kept: a markdown heading is refused with a reason,
// not made to vanish.
const scissors = "# ------------------------ >8 ------------------------"

// editText opens text in the user's editor ($VISUAL, $EDITOR, else vi), in
// a file named name, saying it holds what ("the summary of submission
// #3"), and returns what was saved, without the help lines.
func (a *app) editText(ctx context.Context, name, what, text string) (string, error) {
	dir, err := os.MkdirTemp("", "newsletter-edit-")
	if err != nil {
		return "", err
	}
	defer func() { _ = os.RemoveAll(dir) }() // a temporary directory: what a failure leaves is the system's to clean
	path := filepath.Join(dir, name)
	help := fmt.Sprintf("\n%s\n# Edit %s above this line; everything below it is\n# dropped. Headings, HTML and links are refused. Save and quit to keep the\n# text, or quit without saving.\n", scissors, what)
	if err := os.WriteFile(path, []byte(text+"\n"+help), 0o600); err != nil {
		return "", err
	}
	editor, _ := a.getenv("VISUAL")
	if editor == "" {
		editor, _ = a.getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", editor+` "$1"`, "editor", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, a.stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("edit: the editor %q failed: %w", editor, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	kept, _, _ := strings.Cut(string(b), scissors)
	return strings.TrimSpace(kept), nil
}

// introCmd is `newsletter intro`: the upcoming issue's opening paragraph
// opened in $EDITOR, as edit opens a field, and saved when the editor
// exits; or shown (--show), replaced (--text) or removed (--clear).
func (a *app) introCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "intro", "[--show | --text TEXT | --clear]", serverFlags...)
	show := c.fs.Bool("show", false, "print the opening paragraph")
	text := c.fs.String("text", "", "set the opening paragraph to `TEXT` instead of opening $EDITOR")
	clear := c.fs.Bool("clear", false, "remove the opening paragraph")
	cl, err := a.editorSetup(c, args, 0)
	if err != nil {
		return err
	}
	set := false
	c.fs.Visit(func(f *flag.Flag) { set = set || f.Name == "text" })
	if n := btoi(*show) + btoi(set) + btoi(*clear); n > 1 {
		return c.usageError("--show, --text and --clear exclude each other")
	}
	var d api.Issue
	if err := cl.do(ctx, http.MethodGet, "api/v1/issues/draft", nil, &d); err != nil {
		return err
	}
	var intro string
	switch {
	case *show:
		if d.Intro == "" {
			if _, err := fmt.Fprintln(a.stdout, "no opening paragraph"); err != nil {
				return err
			}
			return nil
		}
		_, err := fmt.Fprintln(a.stdout, d.Intro)
		return err
	case set:
		intro = strings.TrimSpace(*text)
	case *clear:
	default:
		if intro, err = a.editText(ctx, "intro.md", "the opening paragraph of the upcoming issue", d.Intro); err != nil {
			return err
		}
	}
	if intro == d.Intro {
		if _, err := fmt.Fprintln(a.stdout, "no change"); err != nil {
			return err
		}
		return nil
	}
	var out api.Issue
	if err := cl.do(ctx, http.MethodPatch, "api/v1/issues/draft", api.IntroRequest{Intro: &intro}, &out); err != nil {
		a.printViolations(err)
		return err
	}
	if out.Intro == "" {
		if _, err := fmt.Fprintf(a.stdout, "opening paragraph removed from %q\n", out.Title); err != nil {
			return err
		}
		return nil
	}
	if _, err := fmt.Fprintf(a.stdout, "opening paragraph of %q saved: %s\n", out.Title, oneLineText(out.Intro, 60)); err != nil {
		return err
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// regenerateCmd is `newsletter regenerate ID [--instruction TEXT]`.
func (a *app) regenerateCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "regenerate", "ID [--instruction TEXT] [--json]", serverFlags...)
	instruction := c.fs.String("instruction", "", "what to change, in `TEXT` Gemini reads (\"더 짧게\")")
	asJSON := c.fs.Bool("json", false, "print the entry as JSON")
	cl, err := a.editorSetup(c, args, 1)
	if err != nil {
		return err
	}
	id, err := parseID(c, c.Args()[0])
	if err != nil {
		return err
	}
	stop := a.progress(*asJSON).show(fmt.Sprintf("regenerating #%d: waiting for Gemini", id))
	var raw json.RawMessage
	_, err = cl.send(ctx, http.MethodPost, fmt.Sprintf("api/v1/submissions/%d/regenerate", id),
		api.RegenerateRequest{Instruction: *instruction}, &raw, 10*time.Minute)
	stop()
	if err != nil {
		a.printViolations(err)
		return err
	}
	var e api.Entry
	if done, err := a.answer(raw, *asJSON, &e); done || err != nil {
		return err
	}
	if _, err := fmt.Fprintf(a.stdout, "#%d regenerated: %s\n\n요약: %s\n\n소개: %s\n", e.SubmissionID, e.Title, e.Summary, e.Introduction); err != nil {
		return err
	}
	if len(e.Edited) > 0 {
		if _, err := fmt.Fprintf(a.stdout, "\nthese fields keep your edit (revert them to take the new text): %s\n", strings.Join(e.Edited, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// testSend is `newsletter publish --test [ISSUE-ID]`: the issue sent to
// the editors before the real send; each outlet's outcome on a line, a
// failure as the error.
func (a *app) testSend(ctx context.Context, c *commonFlags, cl client, asJSON bool) error {
	path := "api/v1/issues/draft/test"
	switch len(c.Args()) {
	case 0:
	case 1:
		id, err := parseID(c, c.Args()[0])
		if err != nil {
			return err
		}
		path = fmt.Sprintf("api/v1/issues/%d/test", id)
	default:
		return c.usageError("publish --test takes at most one ISSUE-ID")
	}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodPost, path, nil, &raw); err != nil {
		return err
	}
	var v api.TestSend
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	if asJSON {
		if err := a.printJSON(raw); err != nil {
			return err
		}
	}
	var failed []string
	for _, r := range v.Results {
		var line string
		switch {
		case r.State != "done":
			failed = append(failed, fmt.Sprintf("%s: %s", r.Outlet, r.Error))
			line = fmt.Sprintf("%s: test not sent (%s): %s", r.Outlet, r.State, r.Error)
		case r.Outlet == "listmonk":
			line = "listmonk: test sent to " + strings.Join(r.To, ", ")
		default:
			line = fmt.Sprintf("%s: draft to look at: %s", r.Outlet, orDash(r.Link))
		}
		if !asJSON {
			if _, err := fmt.Fprintln(a.stdout, line); err != nil {
				return err
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("publish --test: issue %d: %s", v.IssueID, strings.Join(failed, "; "))
	}
	return nil
}

// republishListmonk is `newsletter publish --listmonk ISSUE-ID`.
func (a *app) republishListmonk(ctx context.Context, c *commonFlags, cl client) error {
	if len(c.Args()) != 1 {
		return c.usageError("publish --listmonk takes the id of a published issue")
	}
	id, err := parseID(c, c.Args()[0])
	if err != nil {
		return err
	}
	var d api.Issue
	if err := cl.do(ctx, http.MethodPost, fmt.Sprintf("api/v1/issues/%d/listmonk", id), nil, &d); err != nil {
		return err
	}
	switch l := d.Listmonk; {
	case l == nil:
		return fmt.Errorf("publish: issue %d has no listmonk campaign record", id)
	case l.Error != "":
		return fmt.Errorf("publish: listmonk: %s", l.Error)
	default:
		line := fmt.Sprintf("on listmonk: campaign %d, %s", l.CampaignID, l.Status)
		if l.Note != "" {
			line += " (" + l.Note + ")"
		}
		_, err := fmt.Fprintln(a.stdout, line)
		return err
	}
}

// publishCmd is `newsletter publish`: the upcoming issue published now.
func (a *app) publishCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "publish", "[ISSUE-ID [--announce]] [--yes] [--hashnode | --listmonk | --test] [--json]", serverFlags...)
	asJSON := c.fs.Bool("json", false, "print the issue as JSON")
	yes := c.fs.Bool("yes", false, "publish the open draft before its run without asking (needed when no terminal is there to ask)")
	announce := c.fs.Bool("announce", false, "with ISSUE-ID: tell the chats the published issue was corrected (not told otherwise)")
	toHashnode := c.fs.Bool("hashnode", false, "publish the published ISSUE-ID to Hashnode again, after a failure")
	toListmonk := c.fs.Bool("listmonk", false, "send the published ISSUE-ID's listmonk campaign again, after a failure")
	test := c.fs.Bool("test", false, "send the issue in review (or ISSUE-ID) to the editors first: listmonk's test to publisher.test_recipients, Hashnode's draft link")
	cl, err := a.editorSetup(c, args, -1)
	if err != nil {
		return err
	}
	if *test {
		return a.testSend(ctx, c, cl, *asJSON)
	}
	if *toListmonk {
		return a.republishListmonk(ctx, c, cl)
	}
	if *toHashnode {
		if len(c.Args()) != 1 {
			return c.usageError("publish --hashnode takes the id of a published issue")
		}
		id, err := parseID(c, c.Args()[0])
		if err != nil {
			return err
		}
		var d api.Issue
		if err := cl.do(ctx, http.MethodPost, fmt.Sprintf("api/v1/issues/%d/hashnode", id), nil, &d); err != nil {
			return err
		}
		switch h := d.Hashnode; {
		case h == nil:
			return fmt.Errorf("publish: issue %d has no Hashnode record", id)
		case h.Error != "":
			return fmt.Errorf("publish: Hashnode: %s", h.Error)
		case h.Pending:
			if _, err := fmt.Fprintln(a.stdout, "Hashnode has not confirmed the post yet; it is looked up again after its cache window"); err != nil {
				return err
			}
		default:
			if _, err := fmt.Fprintf(a.stdout, "on Hashnode: %s\n", orDash(h.URL)); err != nil {
				return err
			}
		}
		return nil
	}
	path := "api/v1/issues/draft/publish"
	var body any
	switch len(c.Args()) {
	case 0:
		if *announce {
			return c.usageError("--announce is for a published issue published again: give its ISSUE-ID")
		}
		if *yes {
			break
		}
		if ok, err := a.confirmEarlyPublish(ctx, c, cl); !ok || err != nil {
			return err
		}
	case 1:
		id, err := parseID(c, c.Args()[0])
		if err != nil {
			return err
		}
		path = fmt.Sprintf("api/v1/issues/%d/publish", id) // a published issue again, corrected
		if *announce {
			body = api.RepublishRequest{Announce: true}
		}
	default:
		return c.usageError("publish takes at most one issue id")
	}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodPost, path, body, &raw); err != nil {
		return err
	}
	var d api.Issue
	if done, err := a.answer(raw, *asJSON, &d); done || err != nil {
		return err
	}
	if _, err := fmt.Fprintf(a.stdout, "published %q (%d articles) → %s\n", d.Title, countIncluded(d.Entries), d.Location); err != nil {
		return err
	}
	if d.KeptCopy != "" {
		if _, err := fmt.Fprintf(a.stdout, "the file had been changed by hand since it was written; that copy is kept at %s\n", d.KeptCopy); err != nil {
			return err
		}
	}
	return nil
}

// confirmEarlyPublish asks, on a terminal, before the open draft is
// published ahead of the week's run: that sends the week's issue out early,
// to every outlet, and the next articles wait for next week. Without a
// terminal there is no one to ask, and it refuses: a script says --yes.
// An issue in review (the run froze it for an editor), an empty draft or
// one the server says it will refuse (not publishable) is not asked about.
func (a *app) confirmEarlyPublish(ctx context.Context, c *commonFlags, cl client) (bool, error) {
	var d api.Issue
	if err := cl.do(ctx, http.MethodGet, "api/v1/issues/draft", nil, &d); err != nil {
		return false, err
	}
	n := countIncluded(d.Entries)
	if d.State != "draft" || !d.Publishable || n == 0 {
		return true, nil
	}
	if !a.stdinTerminal {
		return false, c.usageError("the upcoming issue is the open draft, before the week's run: publishing it sends it out now; add --yes to publish it without being asked")
	}
	tell(a.stderr, "%q (%s) has not been through the week's run yet.\nPublish it now with %s, to every outlet? [y/N] ",
		d.Title, d.Date.In(cl.loc).Format(time.DateOnly), count(n, "article"))
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "예", "네":
		return true, nil
	}
	_, err := fmt.Fprintln(a.stdout, "not published")
	return false, err
}

func countIncluded(es []api.Entry) int {
	n := 0
	for _, e := range es {
		if !e.Excluded {
			n++
		}
	}
	return n
}

// statusCmd is `newsletter status`: dependencies, queue and runs.
func (a *app) statusCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "status", "[--json]", serverFlags...)
	asJSON := c.fs.Bool("json", false, "print the status as JSON")
	cl, err := a.editorSetup(c, args, 0)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := cl.do(ctx, http.MethodGet, "api/v1/status", nil, &raw); err != nil {
		return err
	}
	var st api.Status
	if done, err := a.answer(raw, *asJSON, &st); done || err != nil {
		return err
	}
	return writeStatus(a.stdout, cl, st)
}

// writeStatus prints the status as tables: the dependencies, the
// submissions by state, the runs; times in schedule.timezone.
func writeStatus(w io.Writer, cl client, st api.Status) error {
	var b strings.Builder
	fmt.Fprintf(&b, "newsletter %s, %s mode", st.Version, orDash(st.Mode))
	if st.Mode == "review" && st.PublishAfter > 0 {
		fmt.Fprintf(&b, " (an issue in review publishes on its own after %s)", st.PublishAfter)
	}
	fmt.Fprintf(&b, "; times in %s\n\n", cl.loc)
	tw := newTable(&b)
	tw.row("DEPENDENCY\tSTATE\tUNTIL\tNEXT TRY\tREASON\n")
	for _, d := range st.Dependencies {
		if d.Up {
			tw.row("%s\tup\t-\t-\t-\n", d.Dependency)
			continue
		}
		until, next := "-", "-"
		if !d.Until.IsZero() {
			until = cl.at(d.Until)
		}
		if !d.NextProbe.IsZero() {
			next = cl.at(d.NextProbe)
		}
		tw.row("%s\tPAUSED\t%s\t%s\t%s\n", d.Dependency, until, next, orDash(oneLineText(d.Reason, 60)))
	}
	tw.flush()
	b.WriteString("\n")
	tw = newTable(&b)
	tw.row("SUBMISSIONS\tCOUNT\n")
	states := slices.Clone(api.States)
	for state := range st.Submissions { // a state this client does not know yet
		if !slices.Contains(states, state) {
			states = append(states, state)
		}
	}
	for _, state := range states {
		n, ok := st.Submissions[state]
		if !ok && state == "deleted" {
			continue
		}
		tw.row("%s\t%d\n", state, n)
	}
	tw.flush()
	if len(st.Waiting) > 0 {
		deps := slices.Sorted(maps.Keys(st.Waiting))
		var parts []string
		for _, d := range deps {
			parts = append(parts, fmt.Sprintf("%d for %s", st.Waiting[d], d))
		}
		fmt.Fprintf(&b, "of the new ones, waiting: %s\n", strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	if len(st.Outlets) > 0 {
		tw = newTable(&b)
		tw.row("OUTLET\tLATEST\tPENDING\tDONE\tFAILED\tREASON\n")
		for _, o := range st.Outlets {
			reason := "-"
			if o.LatestState != "done" && o.LatestError != "" {
				reason = oneLineText(o.LatestError, 100)
			}
			tw.row("%s\t%s %s\t%d\t%d\t%d\t%s\n", o.Outlet, o.LatestKind, o.LatestState,
				o.Counts["pending"]+o.Counts["sending"], o.Counts["done"], o.Counts["failed"], reason)
		}
		tw.flush()
		b.WriteString("\n")
	}
	if r := st.LastRun; r != nil {
		fmt.Fprintf(&b, "last run:  #%d %s, %s, started %s", r.ID, r.Kind, r.State, cl.at(r.StartedAt))
		if r.Error != "" {
			fmt.Fprintf(&b, ": %s", oneLineText(r.Error, 80))
		}
		b.WriteString("\n")
	}
	if st.NextRun != nil {
		fmt.Fprintf(&b, "next run:  %s\n", cl.at(*st.NextRun))
	}
	writeSources(&b, cl, st.Sources)
	_, err := io.WriteString(w, b.String())
	return err
}

// table lays out rows in columns into a strings.Builder; writes into
// memory cannot fail, so it has no errors to return.
type table struct{ tw *tabwriter.Writer }

func newTable(b *strings.Builder) table { return table{tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)} }

func (t table) row(format string, args ...any) { _, _ = fmt.Fprintf(t.tw, format, args...) }

func (t table) flush() { _ = t.tw.Flush() }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
