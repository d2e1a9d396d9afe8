package main

import (
	"context"
	"encoding/json"
	"fmt"
)

func init() { commands["run"] = (*app).runCmd }

// runCmd is `newsletter run`: one issue run in-process, for deployments
// that schedule runs with an external cron instead of `serve`. It prints
// the report and exits 1 when the run failed. It refuses a database that a
// running `serve` holds.
func (a *app) runCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "run", "[--json]")
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
	d, err := buildDaemon(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	d.describeStart("issue run starting")
	rep, runErr := d.runOnce(ctx)
	if rep == nil {
		return runErr
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := rep.WriteText(a.stdout); err != nil {
		return err
	}
	if runErr != nil {
		return exitError{code: 1, err: fmt.Errorf("run %d failed: %w", rep.RunID, runErr)}
	}
	return nil
}
