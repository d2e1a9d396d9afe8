package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/store"
)

func init() { commands["run"] = (*app).runCmd }

// Exit statuses of `newsletter run`, so that an external cron can tell
// what happened (2 is a usage or configuration mistake, as for every
// command).
const (
	runPublished = 0 // the issue was published (or, in review mode, is ready for review)
	runFailed    = 1 // the run itself failed, or a stop (Ctrl-C, SIGTERM) interrupted it
	runEmpty     = 3 // nothing to publish: no article was summarised this week
	runPartial   = 4 // published, but some articles failed or are still pending
)

// runCmd is `newsletter run`: one issue run in-process, for deployments
// that schedule runs with an external cron instead of `serve`. It prints
// the report and exits with one of the run* statuses. It refuses a
// database that a running `serve` holds.
func (a *app) runCmd(ctx context.Context, args []string) (err error) {
	c := newFlags(a, "run", "[--json]", serviceFlags...)
	asJSON := c.fs.Bool("json", false, "print the report as JSON")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.Args()) > 0 {
		return c.usageError("run takes no arguments, got %q", c.Args())
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	warnings, problems := preflight(cfg, keyRequired, time.Now())
	if problems != nil {
		return problems
	}
	for _, w := range warnings {
		log.Warn(w)
	}
	line := a.progress(*asJSON)
	d, err := buildDaemon(ctx, cfg, log, nil, line)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := d.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	if err := d.checkGemini(ctx); err != nil {
		return exitError{code: 2, err: err} // a refused key or an unknown model
	}
	d.describeStart("issue run starting")
	rep, runErr := d.runOnce(ctx)
	line.clear()
	if rep == nil {
		return runErr
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := inZone(rep, cfg.Schedule.Timezone).WriteText(a.stdout); err != nil {
		return err
	}
	switch {
	case runErr != nil && rep.State == string(store.RunInterrupted):
		return exitError{code: runFailed, err: fmt.Errorf("run %d interrupted: %s back in the queue for the next run",
			rep.RunID, count(len(rep.Pending), "article"))}
	case runErr != nil:
		return exitError{code: runFailed, err: fmt.Errorf("run %d failed: %w", rep.RunID, runErr)}
	case rep.Issue == nil:
		return exitError{code: runEmpty, err: fmt.Errorf("run %d: %s", rep.RunID, rep.Note)}
	case len(rep.Failed) > 0 || len(rep.Pending) > 0:
		return exitError{code: runPartial, err: fmt.Errorf("run %d: %s failed, %s pending",
			rep.RunID, count(len(rep.Failed), "article"), count(len(rep.Pending), "article"))}
	}
	return nil
}

// count is "1 article" or "3 articles".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// inZone returns a copy of rep whose times are in the zone named tz
// (schedule.timezone), as the desk shows them.
func inZone(rep *edition.Report, tz string) *edition.Report {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return rep
	}
	r := *rep
	r.StartedAt, r.FinishedAt, r.ScheduledFor = r.StartedAt.In(loc), r.FinishedAt.In(loc), r.ScheduledFor.In(loc)
	if r.Issue != nil {
		is := *r.Issue
		is.PublishAt = is.PublishAt.In(loc)
		r.Issue = &is
	}
	return &r
}
