package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
)

// commonFlags are the flags of a command: its own, the config file and log
// level every command takes, and the overrides of configuration keys that
// apply to it.
type commonFlags struct {
	a         *app
	fs        *flag.FlagSet
	name      string // "submit", or "--url URL" for the summary
	synopsis  string // "submit URL [--note TEXT]", for usage messages
	common    map[string]bool
	file      string
	logLevel  string
	overrides map[string]*override
	args      []string
	warnings  []string // from the environment, for the log
}

// overridable are the keys that also have a flag: --model sets gemini.model.
// The back-quoted word of each help text names the flag's value in -h.
var overridable = []struct{ flag, key, help string }{
	{"model", "gemini.model", "Gemini model `ID`"},
	{"gemini-base-url", "gemini.base_url", "Gemini API base `URL`, for proxies and tests"},
	{"provider", "summarizer.provider", "who writes the summaries, a `PROVIDER`: gemini or openai (an OpenAI-compatible endpoint: the openai section)"},
	{"db", "store.path", "SQLite database `FILE`"},
	{"out-dir", "publisher.dir", "output `DIR` of the issues"},
	{"listen", "server.listen", "API listen address `HOST:PORT`"},
	{"server", "server.url", "base `URL` of the running server, for " + clientCommands},
	{"token", "server.token", "bearer `TOKEN` of the server's API, for " + apiCommands +
		" (NEWSLETTER_SERVER_TOKEN keeps it out of the process list)"},
	{"allow-private-networks", "fetcher.allow_private_networks", "allow fetching loopback and private addresses"},
	{"timeout", "fetcher.timeout", "whole-request deadline for fetching a page, a `DURATION` such as 30s"},
	{"max-body-bytes", "fetcher.max_body_bytes", "largest page body accepted, in `BYTES`"},
}

// apiCommands are the commands that call the running server's API, with
// its token; healthcheck asks only /healthz, which needs none.
const (
	apiCommands    = "submit, submissions, retry, delete, draft, edit, intro, regenerate, publish and status"
	clientCommands = "submit, submissions, retry, delete, draft, edit, intro, regenerate, publish, status and healthcheck"
)

// Sets of configuration flags, by what a command does.
var (
	// serverFlags reach a running server.
	serverFlags = []string{"server", "token"}
	// fetchFlags fetch and extract pages.
	fetchFlags = []string{"allow-private-networks", "timeout", "max-body-bytes"}
	// geminiFlags summarise.
	geminiFlags = []string{"model", "gemini-base-url", "provider"}
	// serviceFlags run the service's pipeline on its database.
	serviceFlags = append(append([]string{"db", "out-dir"}, fetchFlags...), geminiFlags...)
	// allFlags are every configuration flag, for config check.
	allFlags = func() []string {
		var names []string
		for _, o := range overridable {
			names = append(names, o.flag)
		}
		return names
	}()
)

// newFlags returns the flag set of the command name, whose other arguments
// are args ("URL [--json]"), for usage messages, taking the configuration
// flags named in overrides. Commands add their own flags to fs.
func newFlags(a *app, name, args string, overrides ...string) *commonFlags {
	c := &commonFlags{
		a:         a,
		fs:        flag.NewFlagSet(name, flag.ContinueOnError),
		name:      name,
		synopsis:  strings.TrimSpace(name + " " + args),
		common:    map[string]bool{},
		overrides: map[string]*override{},
	}
	c.fs.SetOutput(io.Discard)
	c.fs.Usage = func() {} // parse prints the help, and only when asked for
	c.fs.StringVar(&c.file, "config", "", "YAML configuration `FILE` (env NEWSLETTER_CONFIG)")
	c.fs.StringVar(&c.logLevel, "log-level", "", "log `LEVEL`: debug, info, warn or error (log.level)")
	defaults := config.Default()
	for _, o := range overridable {
		if !slices.Contains(overrides, o.flag) {
			continue
		}
		v := &override{}
		if f, ok := config.Lookup(&defaults, o.key); ok {
			v.isBool = f.IsBool()
		}
		c.fs.Var(v, o.flag, o.help+" ("+o.key+")")
		c.overrides[o.key] = v
	}
	c.fs.VisitAll(func(f *flag.Flag) { c.common[f.Name] = true })
	return c
}

// usage prints the command's help: its own flags, then the configuration
// flags every command takes.
func (c *commonFlags) usage(w io.Writer) {
	var own, common []*flag.Flag
	c.fs.VisitAll(func(f *flag.Flag) {
		if c.common[f.Name] {
			common = append(common, f)
		} else {
			own = append(own, f)
		}
	})
	tell(w, "Usage: newsletter %s\n", c.synopsis)
	if len(own) > 0 {
		tell(w, "\nFlags:\n")
		printFlags(w, own)
	}
	tell(w, "\nConfiguration flags (each overrides the key in parentheses; \"newsletter config check\"\n")
	tell(w, "prints every key with its NEWSLETTER_* variable):\n")
	printFlags(w, common)
}

func printFlags(w io.Writer, flags []*flag.Flag) {
	for _, f := range flags {
		value, help := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if value != "" && value != "value" {
			line += " " + value
		}
		tell(w, "%s\n      %s\n", line, help)
	}
}

// usageError returns a usage mistake of this command.
func (c *commonFlags) usageError(format string, args ...any) error {
	return usageError{msg: fmt.Sprintf(format, args...), synopsis: c.synopsis, help: "newsletter " + c.name + " -h"}
}

// parse parses args, turning flag errors into usage errors. Flags may come
// before or after positional arguments ("extract URL --json"); "--" ends
// the flags. -h prints the command's help on stdout.
func (c *commonFlags) parse(args []string) error {
	var positional []string
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.usage(c.a.stdout)
			return err
		}
		if err != nil {
			return c.usageError("%v", err)
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
	c.warnings = config.UnknownEnv(a.environ)
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
		if v.s == "" {
			continue
		}
		f, _ := config.Lookup(&cfg, key)
		if err := f.Set(v.s); err != nil {
			return cfg, c.usageError("%v", err)
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
	for _, w := range c.warnings {
		log.Warn(w)
	}
	return cfg, log, nil
}

// override is the text of a configuration flag, applied by load; a boolean
// key's flag may stand alone ("--allow-private-networks").
type override struct {
	s      string
	isBool bool
}

func (v *override) String() string     { return v.s }
func (v *override) Set(s string) error { v.s = s; return nil }
func (v *override) IsBoolFlag() bool   { return v.isBool }
