package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// runApp runs the command line in-process with the given environment and
// returns the exit status and what was printed.
func runApp(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	a := &app{
		stdout:  &out,
		stderr:  &errb,
		getenv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		environ: environ,
	}
	code = a.main(context.Background(), args)
	return code, out.String(), errb.String()
}

// runAppContext runs a long-lived command line until ctx ends, its
// standard error going to stderr, and returns the exit status.
func runAppContext(ctx context.Context, stderr io.Writer, env map[string]string, args ...string) int {
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	a := &app{
		stdout:  io.Discard,
		stderr:  stderr,
		getenv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		environ: environ,
	}
	return a.main(ctx, args)
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestUsageAndVersion(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no command", nil, 2, "", "no command given"},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help", []string{"--help"}, 0, "newsletter --url URL", ""},
		{"version", []string{"--version"}, 0, "newsletter dev", ""},
		{"config without check", []string{"config"}, 2, "", `"config" takes the subcommand "check"`},
		{"bad flag", []string{"config", "check", "--nope"}, 2, "", "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runApp(t, nil, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantStdout) || !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("code=%d stdout=%q stderr=%q", code, out, errs)
			}
		})
	}
}

// TestCommandHelp shows that -h prints the command's help once, on stdout,
// and exits 0 without an error line.
func TestCommandHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"submit", "-h"}, []string{"Usage: newsletter submit URL", "--note TEXT", "--server URL", "(server.url)"}},
		{[]string{"serve", "--help"}, []string{"Usage: newsletter serve\n", "--listen HOST:PORT", "--db FILE"}},
		{[]string{"--url", "u", "-h"}, []string{"Usage: newsletter --url URL [--json] [--dry-run] [--no-cache]", "--no-cache\n"}},
		{[]string{"config", "check", "-h"}, []string{"Usage: newsletter config check\n", "--config FILE"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runApp(t, nil, tt.args...)
			if code != 0 || errs != "" {
				t.Errorf("code=%d stderr=%q, want 0 and nothing", code, errs)
			}
			if strings.Count(out, "Usage:") != 1 {
				t.Errorf("help printed %d times:\n%s", strings.Count(out, "Usage:"), out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("help lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestCommandUsageError shows that a command's usage mistake is reported in
// three lines: the mistake, the command's synopsis and where its help is.
func TestCommandUsageError(t *testing.T) {
	code, out, errs := runApp(t, nil, "extract", "--nope")
	want := "newsletter: flag provided but not defined: -nope\n" +
		"usage: newsletter extract URL|FILE [--json]\n" +
		"Run \"newsletter extract -h\" for its flags.\n"
	if code != 2 || out != "" || errs != want {
		t.Errorf("code=%d stdout=%q stderr=%q, want 2 and %q", code, out, errs, want)
	}
}

func TestConfigCheck(t *testing.T) {
	env := map[string]string{
		"GEMINI_API_KEY":          "AIza-very-secret",
		"NEWSLETTER_GEMINI_MODEL": "gemini-test",
	}
	code, out, errs := runApp(t, env, "config", "check", "--config", "../../configs/newsletter.example.yaml", "--out-dir", "/srv/issues")
	if code != 0 {
		t.Fatalf("code=%d stderr=%s", code, errs)
	}
	for _, want := range []string{"model: gemini-test", "api_key: \"********\"", "dir: /srv/issues", "NEWSLETTER_FETCHER_TIMEOUT",
		"\n\nsources: []", "# the configuration file only\n\nsummarizer:\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errs, "very-secret") {
		t.Error("config check printed the API key")
	}
}

func TestConfigCheckErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"invalid value", map[string]string{"NEWSLETTER_LOG_LEVEL": "loud"}, nil, "log.level"},
		{"bad flag value", nil, []string{"--timeout", "soon"}, `invalid duration "soon"`},
		{"missing file", nil, []string{"--config", "missing.yaml"}, "missing.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runApp(t, tt.env, append([]string{"config", "check"}, tt.args...)...)
			if code == 0 || !strings.Contains(errs, tt.want) {
				t.Errorf("code=%d stderr=%q, want failure naming %q", code, errs, tt.want)
			}
		})
	}
}

// TestConfigCheckFindsWhatServeRefuses: config check approves nothing serve
// would then refuse, one line per problem, and warns of what serve only
// warns of. An unknown NEWSLETTER_* variable is a warning when it looks
// like a typo, and nothing at all when it is Kubernetes' service link.
func TestConfigCheckFindsWhatServeRefuses(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		code     int
		problems []string
		warnings []string
	}{
		{"a cron serve cannot read", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_SCHEDULE_CRON": "every monday"}, 1,
			[]string{`schedule.cron "every monday": not a cron expression of five fields`}, nil},
		{"an open address without a token", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_SERVER_LISTEN": "0.0.0.0:8080"}, 1,
			[]string{"server.listen 0.0.0.0:8080 is not a loopback address: set server.token"}, nil},
		{"both at once, a line each", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_SCHEDULE_CRON": "every monday", "NEWSLETTER_SERVER_LISTEN": "0.0.0.0:8080"}, 1,
			[]string{"\nschedule.cron", "\nserver.listen"}, nil},
		{"a webhook of an unknown host", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_NOTIFY_WEBHOOKS": "https://chat.example.com/hook/s3cret"}, 1,
			[]string{"notify: webhook 1 (chat.example.com): unknown webhook host; prefix the URL with discord: or slack:"}, nil},
		{"a Discord webhook over http", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_NOTIFY_WEBHOOKS": "http://discord.com/api/webhooks/1/s3cret"}, 1,
			[]string{"discord webhooks need https"}, nil},
		{"a Hashnode publication id Hashnode refuses", map[string]string{"GEMINI_API_KEY": "k",
			"NEWSLETTER_PUBLISHER_HASHNODE_PUBLICATION_ID": "my-blog", "HASHNODE_PAT": "t0ken"}, 1,
			[]string{`hashnode: publication id "my-blog" is not 24 hexadecimal digits`}, nil},
		{"prompts that cannot be read", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_GEMINI_PROMPTS_DIR": "/nonexistent/prompts"}, 1,
			[]string{"summarizer: read summarize"}, nil},
		{"no key", nil, 0, nil, []string{"warning: gemini.api_key is not set"}},
		{"a typo", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_GEMINI_MODLE": "x"}, 0, nil,
			[]string{"warning: environment variable NEWSLETTER_GEMINI_MODLE is not a configuration key; did you mean NEWSLETTER_GEMINI_MODEL?"}},
		{"Kubernetes service links", map[string]string{"GEMINI_API_KEY": "k", "NEWSLETTER_PORT": "tcp://10.0.0.1:8080",
			"NEWSLETTER_SERVICE_HOST": "10.0.0.1", "NEWSLETTER_PORT_8080_TCP_ADDR": "10.0.0.1"}, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runApp(t, tt.env, "config", "check")
			if code != tt.code {
				t.Errorf("code %d, want %d; stderr:\n%s", code, tt.code, errs)
			}
			for _, w := range append(tt.problems, tt.warnings...) {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if tt.warnings == nil && strings.Contains(errs, "warning:") {
				t.Errorf("unexpected warning:\n%s", errs)
			}
			if tt.code == 0 {
				return
			}
			// serve refuses the same, before it opens anything.
			env := map[string]string{"NEWSLETTER_STORE_PATH": filepath.Join(t.TempDir(), "n.db"), "NEWSLETTER_SERVER_LISTEN": "127.0.0.1:0"}
			for k, v := range tt.env {
				env[k] = v
			}
			code, _, errs = runApp(t, env, "serve")
			if code != 1 || !strings.Contains(errs, "invalid configuration:") {
				t.Errorf("serve: code %d, stderr:\n%s\nwant 1 and the invalid configuration", code, errs)
			}
			for _, w := range tt.problems {
				if !strings.Contains(errs, w) {
					t.Errorf("serve's stderr lacks %q:\n%s", w, errs)
				}
			}
			if _, err := os.Stat(env["NEWSLETTER_STORE_PATH"]); err == nil {
				t.Errorf("serve created its database before refusing the configuration")
			}
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args     []string
		wantPos  []string
		wantJSON bool
	}{
		{[]string{"u1", "--json"}, []string{"u1"}, true},
		{[]string{"--json", "u1", "u2"}, []string{"u1", "u2"}, true},
		{[]string{"u1"}, []string{"u1"}, false},
		{[]string{"--", "--json"}, []string{"--json"}, false},
		{[]string{"u1", "--", "-x"}, []string{"u1", "-x"}, false},
	}
	for _, tt := range tests {
		c := newFlags(&app{}, "t", "")
		j := c.fs.Bool("json", false, "")
		if err := c.parse(tt.args); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if strings.Join(c.Args(), " ") != strings.Join(tt.wantPos, " ") || *j != tt.wantJSON {
			t.Errorf("%v: positional %q json %v", tt.args, c.Args(), *j)
		}
	}
}

func TestColumns(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"level: info", 11},
		{"이 글", 5},
		{"「x」", 5},
	}
	for _, tt := range tests {
		if got := columns(tt.s); got != tt.want {
			t.Errorf("columns(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
