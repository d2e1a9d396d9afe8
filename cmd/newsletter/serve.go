package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

func init() { commands["serve"] = (*app).serveCmd }

// serveCmd is `newsletter serve`: the API, the worker and the weekly
// schedule in one process, until SIGINT or SIGTERM.
func (a *app) serveCmd(ctx context.Context, args []string) (err error) {
	c := newFlags(a, "serve", "", append([]string{"listen"}, serviceFlags...)...)
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.Args()) > 0 {
		return c.usageError("serve takes no arguments, got %q", c.Args())
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	warnings, problems := preflight(cfg, keyOptional, time.Now())
	if problems != nil {
		return fmt.Errorf("invalid configuration:\n%w", problems) // before the database is opened
	}
	for _, w := range warnings {
		log.Warn(w)
	}
	d, err := buildDaemon(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := d.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Server.Listen, err)
	}
	d.describeStart("newsletter service starting")
	if err := d.serve(ctx, ln); err != nil {
		return err
	}
	log.Info("newsletter service stopped")
	return nil
}
