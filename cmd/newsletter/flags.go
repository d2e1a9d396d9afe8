package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
)

// commonFlags are the flags every command takes: the config file, the log
// level, and overrides of the most used configuration keys.
type commonFlags struct {
	fs        *flag.FlagSet
	file      string
	logLevel  string
	overrides map[string]*string
	args      []string
}

// overridable are the keys that also have a flag: --model sets gemini.model.
var overridable = []struct{ flag, key, help string }{
	{"model", "gemini.model", "Gemini model id"},
	{"gemini-base-url", "gemini.base_url", "Gemini API base URL (tests, proxies)"},
	{"db", "store.path", "SQLite database file"},
	{"out-dir", "publisher.dir", "directory the issues are written to"},
	{"listen", "server.listen", "API listen address host:port"},
	{"server", "server.url", "API base URL used by submit and healthcheck"},
	{"allow-private-networks", "fetcher.allow_private_networks", "allow fetching loopback and private addresses (true/false)"},
	{"timeout", "fetcher.timeout", "whole-request deadline for fetching a page"},
	{"max-body-bytes", "fetcher.max_body_bytes", "largest page body accepted"},
}

func newFlags(a *app, name, args string) *commonFlags {
	c := &commonFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError), overrides: map[string]*string{}}
	c.fs.SetOutput(io.Discard)
	c.fs.StringVar(&c.file, "config", "", "YAML configuration file (env NEWSLETTER_CONFIG)")
	c.fs.StringVar(&c.logLevel, "log-level", "", "debug, info, warn or error")
	for _, o := range overridable {
		c.overrides[o.key] = c.fs.String(o.flag, "", o.help+" ("+o.key+")")
	}
	c.fs.Usage = func() {
		fmt.Fprintf(a.stderr, "Usage: newsletter %s %s\n\nFlags:\n", name, args)
		c.fs.SetOutput(a.stderr)
		c.fs.PrintDefaults()
		c.fs.SetOutput(io.Discard)
	}
	return c
}

// parse parses args, turning flag errors into usage errors. Flags may come
// before or after positional arguments ("extract URL --json"); "--" ends
// the flags.
func (c *commonFlags) parse(args []string) error {
	var positional []string
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.fs.Usage()
			return exitError{code: 0, err: err}
		}
		if err != nil {
			return usageError{err.Error()}
		}
		rest := c.fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	c.args = positional
	return nil
}

// Args returns the positional arguments after parse.
func (c *commonFlags) Args() []string { return c.args }

// load builds the effective configuration: defaults, file, environment, flags.
func (c *commonFlags) load(a *app) (config.Config, error) {
	if err := config.RejectUnknownEnv(a.environ); err != nil {
		return config.Config{}, err
	}
	file := c.file
	if file == "" {
		file, _ = a.getenv("NEWSLETTER_CONFIG")
	}
	cfg, err := config.Load(file, a.getenv)
	if err != nil {
		return cfg, err
	}
	if c.logLevel != "" {
		cfg.Log.Level = c.logLevel
	}
	for key, v := range c.overrides {
		if *v == "" {
			continue
		}
		f, _ := config.Lookup(&cfg, key)
		if err := f.Set(*v); err != nil {
			return cfg, usageError{err.Error()}
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return cfg, nil
}

// setup loads the configuration and builds the logger.
func (c *commonFlags) setup(a *app) (config.Config, *zap.Logger, error) {
	cfg, err := c.load(a)
	if err != nil {
		return cfg, nil, err
	}
	log, err := newLogger(cfg.Log, a.stderr)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, log, nil
}
