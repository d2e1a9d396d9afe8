// Command newsletter turns a week of submitted article links into a Korean
// newsletter issue: a daemon with an HTTP API and weekly schedule, and one-off
// commands to extract, summarise, submit and run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/godevcommunity/newsletter/fetcher"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

const usageText = `Usage:
  newsletter --url URL [--json] [--dry-run] [--no-cache]
  newsletter summarize URL|FILE [...]         summarise one article and print its sections
  newsletter extract URL|FILE [--json]        print an article's extracted text
  newsletter eval --pages DIR [--json]        compare providers and prompts on a set of articles
  newsletter serve                            run the API, the editor's desk, the worker and the schedule
  newsletter run [--json]                     close the week now, in-process: freeze (review mode) or
                                              publish (auto mode) the issue
  newsletter config check                     validate and print the effective configuration
  newsletter --version                        print the version

Talking to a running server (--server URL or server.url; --token TOKEN or server.token):
  newsletter submit URL [--note TEXT] [--by NAME] [--json]
                                              submit a link
  newsletter submissions [--state S] [--json] list submissions with their states and reasons
  newsletter retry ID... | --failed           queue failed submissions again
  newsletter delete ID...                     withdraw submissions
  newsletter draft [--markdown] [--json]      show the upcoming issue (or its exact markdown)
  newsletter edit ID --field F [--revert]     edit a section in $EDITOR; or --exclude, --include,
                                              --position N
  newsletter intro [--show|--text T|--clear]  edit the upcoming issue's opening paragraph in $EDITOR
  newsletter regenerate ID [--instruction T]  ask Gemini again for an entry
  newsletter publish [ISSUE-ID] [--yes]       publish the upcoming issue now (or a corrected one again);
                                              the open draft, before its run, only after a yes
                                              (asked on a terminal, else --yes)
  newsletter status [--json]                  dependencies, queue and the next run
  newsletter suggestions [--source N] [--json]
                                              the candidates the configured sources offer, ranked
  newsletter accept ID... | dismiss ID...     make candidates submissions, or set them aside for good
  newsletter healthcheck                      exit 0 when the local server answers /healthz

Every command takes --config FILE (or NEWSLETTER_CONFIG) and --log-level LEVEL, and
flags overriding the configuration keys it uses. Every key is also an environment
variable, NEWSLETTER_<SECTION>_<KEY>; the Gemini API key is GEMINI_API_KEY. Run
"newsletter COMMAND -h" (or "newsletter --url URL -h") for the flags of one command.
`

// app carries what a command needs from the process, so tests can run
// commands in-process.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) (string, bool)
	environ        []string
	// stdin answers questions; asked only when stdinTerminal says a
	// person is there to answer.
	stdin         io.Reader
	stdinTerminal bool
}

// usageError is a mistake in the command line; it exits with status 2.
// synopsis and help, when set, name the command's usage and its -h.
type usageError struct{ msg, synopsis, help string }

func (e usageError) Error() string { return e.msg }

// exitError carries an exit status chosen by a command.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{stdout: os.Stdout, stderr: os.Stderr, getenv: os.LookupEnv, environ: os.Environ(),
		stdin: os.Stdin, stdinTerminal: isTerminal(os.Stdin)}
	code := a.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// main runs the command line args and returns the exit status.
func (a *app) main(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0 // -h printed the command's help
	}
	tell(a.stderr, "newsletter: %v%s\n", err, privateHint(err))
	var ue usageError
	var ee exitError
	switch {
	case errors.As(err, &ue) && ue.synopsis != "":
		tell(a.stderr, "usage: newsletter %s\nRun \"%s\" for its flags.\n", ue.synopsis, ue.help)
		return 2
	case errors.As(err, &ue):
		tell(a.stderr, "\n%s", usageText)
		return 2
	case errors.As(err, &ee):
		return ee.code
	default:
		return 1
	}
}

func (a *app) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{msg: "no command given"}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		_, err := io.WriteString(a.stdout, usageText)
		return err
	case "-version", "--version", "version":
		_, err := fmt.Fprintln(a.stdout, "newsletter", version)
		return err
	case "config":
		if len(args) < 2 || args[1] != "check" {
			return usageError{msg: `"config" takes the subcommand "check"`}
		}
		return a.configCheck(args[2:])
	}
	if cmd, ok := commands[args[0]]; ok {
		return cmd(a, ctx, args[1:])
	}
	if len(args[0]) > 0 && args[0][0] == '-' {
		// No command: flags of the one-off summary, e.g. --url URL.
		return a.summarizeCmd(ctx, args)
	}
	return usageError{msg: fmt.Sprintf("unknown command %q", args[0])}
}

// privateHint names the opt-in beside a refusal of a loopback or private
// address, the fetcher's own (--url, extract, summarize) or the server's
// (submit): the guard refuses them unless the configuration allows them.
func privateHint(err error) string {
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.body.Code == "url_refused" && strings.Contains(ae.body.Error, "refused "):
		return "; the server fetches loopback and private addresses only when its fetcher.allow_private_networks " +
			"is set or its fetcher.allowed_networks lists the network (e.g. 127.0.0.1/32)"
	case errors.Is(err, fetcher.ErrRefusedAddress):
		return "; to fetch loopback or private addresses, pass --allow-private-networks (fetcher.allow_private_networks) " +
			"or list the network in fetcher.allowed_networks (e.g. NEWSLETTER_FETCHER_ALLOWED_NETWORKS=127.0.0.1/32)"
	}
	return ""
}

// commands maps a command name to its implementation; each lives in its own file.
var commands = map[string]func(a *app, ctx context.Context, args []string) error{}

// tell writes what a user reads beside a command's result: usage, help,
// warnings, progress, the error that ended the command. Where that fails
// (a closed terminal) there is nowhere left to say so, so the error of the
// write is dropped, here only; a command's result on stdout is written with
// its error checked.
func tell(w io.Writer, format string, args ...any) { _, _ = fmt.Fprintf(w, format, args...) }
