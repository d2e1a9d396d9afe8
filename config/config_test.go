package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultIsValid(t *testing.T) {
	cfg := Default()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
}

// The example file documents every key with its default value.
func TestExampleMatchesDefaults(t *testing.T) {
	b, err := os.ReadFile("../configs/newsletter.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Load("../configs/newsletter.example.yaml", nil)
	if err != nil {
		t.Fatalf("example does not load: %v", err)
	}
	want := Default()
	for i, f := range Fields(&cfg) {
		d := Fields(&want)[i]
		if f.String() != d.String() {
			t.Errorf("%s: example has %q, default is %q", f.Key, f.String(), d.String())
		}
		parts := strings.Split(f.Key, ".")
		indent := strings.Repeat("  ", len(parts)-1)
		if !strings.Contains(string(b), "\n"+indent+parts[len(parts)-1]+":") {
			t.Errorf("%s is not documented in the example", f.Key)
		}
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr string
	}{
		{
			name: "file overrides defaults",
			yaml: "fetcher:\n  timeout: 5s\n  allowed_networks: [\"127.0.0.1/32\"]\ngemini:\n  model: gemini-x\n",
			check: func(t *testing.T, c Config) {
				if c.Fetcher.Timeout != 5*time.Second || c.Gemini.Model != "gemini-x" {
					t.Errorf("got timeout %v model %q", c.Fetcher.Timeout, c.Gemini.Model)
				}
				if !reflect.DeepEqual(c.Fetcher.AllowedNetworks, []string{"127.0.0.1/32"}) {
					t.Errorf("allowed_networks = %v", c.Fetcher.AllowedNetworks)
				}
				if c.Fetcher.MaxRedirects != 10 {
					t.Errorf("unset key lost its default: %d", c.Fetcher.MaxRedirects)
				}
			},
		},
		{
			name: "environment overrides file",
			yaml: "gemini:\n  model: from-file\n",
			env: map[string]string{
				"NEWSLETTER_GEMINI_MODEL":                   "from-env",
				"NEWSLETTER_FETCHER_ALLOW_PRIVATE_NETWORKS": "true",
				"NEWSLETTER_FETCHER_MAX_BODY_BYTES":         "1024",
				"NEWSLETTER_FETCHER_ALLOWED_NETWORKS":       "10.0.0.0/8, ::1/128",
				"NEWSLETTER_GEMINI_TEMPERATURE":             "0.5",
			},
			check: func(t *testing.T, c Config) {
				if c.Gemini.Model != "from-env" || !c.Fetcher.AllowPrivateNetworks || c.Fetcher.MaxBodyBytes != 1024 || c.Gemini.Temperature != 0.5 {
					t.Errorf("env not applied: %+v %+v", c.Gemini, c.Fetcher)
				}
				if !reflect.DeepEqual(c.Fetcher.AllowedNetworks, []string{"10.0.0.0/8", "::1/128"}) {
					t.Errorf("allowed_networks = %v", c.Fetcher.AllowedNetworks)
				}
			},
		},
		{
			name: "conventional variables",
			env:  map[string]string{"GEMINI_API_KEY": "k1", "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:1", "GITHUB_TOKEN": "gh"},
			check: func(t *testing.T, c Config) {
				if c.Gemini.APIKey != "k1" || c.Gemini.BaseURL != "http://127.0.0.1:1" || c.Fetcher.GitHubToken != "gh" {
					t.Errorf("aliases not applied: %+v", c.Gemini)
				}
			},
		},
		{
			name: "OpenAI's conventional variables",
			env:  map[string]string{"OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": "http://localhost:11434/v1", "NEWSLETTER_SUMMARIZER_PROVIDER": "openai"},
			check: func(t *testing.T, c Config) {
				if c.OpenAI.APIKey != "sk-1" || c.OpenAI.BaseURL != "http://localhost:11434/v1" || c.Summarizer.Provider != ProviderOpenAI {
					t.Errorf("OpenAI variables not applied: %+v %+v", c.OpenAI, c.Summarizer)
				}
			},
		},
		{
			name: "NEWSLETTER_ form wins over alias",
			env:  map[string]string{"GOOGLE_API_KEY": "alias", "NEWSLETTER_GEMINI_API_KEY": "own"},
			check: func(t *testing.T, c Config) {
				if c.Gemini.APIKey != "own" {
					t.Errorf("api key = %q", c.Gemini.APIKey)
				}
			},
		},
		{name: "unknown key names it", yaml: "fetcher:\n  max_body: 5\n", wantErr: `unknown key "max_body" in section "fetcher"`},
		{name: "unknown section names it", yaml: "fetch:\n  timeout: 5s\n", wantErr: `unknown key "fetch"; did you mean "fetcher"?`},
		{name: "misspelt key gets did you mean", yaml: "fetcher:\n  timout: 5s\n", wantErr: `line 2: unknown key "timout" in section "fetcher"; did you mean "timeout"?`},
		{name: "misspelt nested key", yaml: "publisher:\n  hashnode:\n    publicaton_id: x\n", wantErr: `line 3: unknown key "publicaton_id" in section "publisher.hashnode"; did you mean "publication_id"?`},
		{name: "anchors and merge keys are YAML, not keys", yaml: "gemini:\n  <<: {timeout: 9s}\n  flex_timeout: &t 11s\nworker:\n  retry_backoff: *t\n", check: func(t *testing.T, c Config) {
			if c.Gemini.Timeout != 9*time.Second || c.Gemini.FlexTimeout != 11*time.Second || c.Worker.RetryBackoff != 11*time.Second {
				t.Errorf("gemini.timeout %s, gemini.flex_timeout %s, worker.retry_backoff %s", c.Gemini.Timeout, c.Gemini.FlexTimeout, c.Worker.RetryBackoff)
			}
		}},
		{name: "bare number as a duration", yaml: "worker:\n  poll_interval: 30\n", wantErr: `line 2: worker.poll_interval: 30 is a number, not a duration; write it with its unit, e.g. "30s"`},
		{name: "bare number in a nested duration", yaml: "fetcher:\n  timeout: 1.5\n", wantErr: `fetcher.timeout: 1.5 is a number, not a duration`},
		{name: "bad duration in env", env: map[string]string{"NEWSLETTER_FETCHER_TIMEOUT": "soon"}, wantErr: `NEWSLETTER_FETCHER_TIMEOUT: fetcher.timeout: invalid duration "soon"`},
		{name: "bare number in env", env: map[string]string{"NEWSLETTER_WORKER_POLL_INTERVAL": "30"}, wantErr: `NEWSLETTER_WORKER_POLL_INTERVAL: worker.poll_interval: invalid duration "30": a number needs its unit, e.g. "30s"`},
		{name: "bad bool in env", env: map[string]string{"NEWSLETTER_SCHEDULE_CATCH_UP": "maybe"}, wantErr: "invalid boolean"},
		{name: "bad yaml", yaml: "fetcher: [\n", wantErr: "yaml"},
		{
			name: "editors from the environment, comma-separated",
			env:  map[string]string{"NEWSLETTER_SERVER_EDITORS": "kim=0123456789abcdef, 이영희=fedcba9876543210"},
			check: func(t *testing.T, c Config) {
				want := []EditorToken{{"kim", "0123456789abcdef"}, {"이영희", "fedcba9876543210"}}
				if got := c.Server.EditorTokens(); !slices.Equal(got, want) || !c.Server.HasTokens() {
					t.Errorf("editors = %q, want %q", got, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" {
				path = writeFile(t, tt.yaml)
			}
			c, err := Load(path, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

// A token is the server's, an editor's, or nobody's.
func TestServerEditor(t *testing.T) {
	s := Server{Token: "the-server-token", Editors: []string{"kim=kim-token-0123456789", " 이영희 = lee-token-0123456789 ", "broken"}}
	tests := []struct {
		token, want string
	}{
		{"the-server-token", "api"},
		{"kim-token-0123456789", "kim"},
		{"lee-token-0123456789", "이영희"},
		{"  kim-token-0123456789\n", "kim"},
		{"kim-token-012345678", ""},   // a prefix
		{"kim-token-01234567890", ""}, // longer
		{"KIM-TOKEN-0123456789", ""},
		{"broken", ""},
		{"kim", ""},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		name, ok := s.Editor(tt.token)
		if name != tt.want || ok != (tt.want != "") {
			t.Errorf("Editor(%q) = %q, %v; want %q", tt.token, name, ok, tt.want)
		}
	}
	if name, ok := (Server{}).Editor(""); ok || name != "" {
		t.Errorf("no token configured: Editor(\"\") = %q, %v", name, ok)
	}
	if name, ok := (Server{Editors: []string{"kim=kim-token-0123456789"}}).Editor("kim-token-0123456789"); !ok || name != "kim" {
		t.Errorf("editors only: %q, %v", name, ok)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("error = %v, want it to name the file", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(c *Config)
		wantErr string
	}{
		{"log level", func(c *Config) { c.Log.Level = "loud" }, "log.level"},
		{"timeout", func(c *Config) { c.Fetcher.Timeout = 0 }, "fetcher.timeout"},
		{"body cap", func(c *Config) { c.Fetcher.MaxBodyBytes = -1 }, "fetcher.max_body_bytes"},
		{"submissions per token", func(c *Config) { c.Server.SubmissionsPerHourPerToken = -1 }, "server.submissions_per_hour_per_token"},
		{"submissions per address", func(c *Config) { c.Server.SubmissionsPerHourPerAddress = -1 }, "server.submissions_per_hour_per_address"},
		{"cidr", func(c *Config) { c.Fetcher.AllowedNetworks = []string{"10.0.0.0/33"} }, "fetcher.allowed_networks"},
		{"base url", func(c *Config) { c.Gemini.BaseURL = "ftp://x" }, "gemini.base_url"},
		{"model", func(c *Config) { c.Gemini.Model = " " }, "gemini.model"},
		{"rate", func(c *Config) { c.Gemini.RequestsPerMinute = -1 }, "gemini.requests_per_minute"},
		{"listen", func(c *Config) { c.Server.Listen = "8080" }, "server.listen"},
		{"provider", func(c *Config) { c.Summarizer.Provider = "claude" }, `summarizer.provider: must be gemini or openai, not "claude"`},
		{"fallback unknown", func(c *Config) { c.Summarizer.Fallback = "ollama" }, "summarizer.fallback: must be empty, gemini or openai"},
		{"fallback is the primary", func(c *Config) { c.Summarizer.Fallback = "gemini" }, "summarizer.fallback: must be the other provider"},
		{"glossary entry", func(c *Config) { c.Summarizer.Glossary = []string{"고루틴"} }, `summarizer.glossary: entry "고루틴" must be FORM=VARIANT|VARIANT`},
		{"openai base url when used", func(c *Config) {
			c.Summarizer.Fallback = "openai"
			c.OpenAI.BaseURL = "localhost:11434"
		}, "openai.base_url"},
		{"openai model when used", func(c *Config) {
			c.Summarizer.Provider = "openai"
			c.OpenAI.Model = ""
		}, "openai.model"},
		{"openai timeout", func(c *Config) { c.OpenAI.Timeout = 0 }, "openai.timeout"},
		{"openai output price", func(c *Config) { c.OpenAI.PriceOutputPerMillion = -1 }, "openai.price_output_per_million: must not be negative"},
		{"openai input price", func(c *Config) { c.OpenAI.PriceInputPerMillion = -1 }, "openai.price_input_per_million: must not be negative"},
		{"gemini output price", func(c *Config) { c.Gemini.PriceOutputPerMillion = -0.5 }, "gemini.price_output_per_million: must not be negative"},
		{"timezone", func(c *Config) { c.Schedule.Timezone = "Mars/Olympus" }, "schedule.timezone"},
		{"concurrency", func(c *Config) { c.Worker.Concurrency = 0 }, "worker.concurrency"},
		{"editor without a token", func(c *Config) { c.Server.Editors = []string{"kim"} }, "server.editors: entry 1 is not name=token"},
		{"editor name", func(c *Config) { c.Server.Editors = []string{"kim lee=0123456789abcdef"} }, `server.editors: entry 1: the name "kim lee" must be`},
		{"reserved name", func(c *Config) { c.Server.Editors = []string{"API=0123456789abcdef"} }, `the name "API" is reserved`},
		{"short token", func(c *Config) { c.Server.Editors = []string{"kim=short"} }, "entry 1 (kim): the token is shorter than 16 characters"},
		{"same name", func(c *Config) { c.Server.Editors = []string{"kim=0123456789abcdef", "kim=fedcba9876543210"} }, `entries 1 and 2 have the same name "kim"`},
		{"same token", func(c *Config) { c.Server.Editors = []string{"kim=0123456789abcdef", "lee=0123456789abcdef"} }, "entries 1 and 2 have the same token"},
		{"server token", func(c *Config) {
			c.Server.Token = "0123456789abcdef"
			c.Server.Editors = []string{"kim=0123456789abcdef"}
		}, "entry 1 (kim): the token is server.token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want an error naming %s", err, tt.wantErr)
			}
		})
	}
}

func TestSecretsMasked(t *testing.T) {
	c := Default()
	c.Gemini.APIKey = "AIza-secret"
	c.Server.Token = "tok"
	c.Server.Editors = []string{"kim=secret-editor-token"}
	for _, f := range Fields(&c) {
		if strings.Contains(f.String(), "secret") || f.String() == "tok" {
			t.Errorf("%s printed a secret: %q", f.Key, f.String())
		}
	}
	f, _ := Lookup(&c, "gemini.api_key")
	if !f.Secret || f.String() != "********" {
		t.Errorf("api key field = %+v %q", f, f.String())
	}
	if f, _ := Lookup(&c, "server.editors"); !f.Secret || f.String() != "********" {
		t.Errorf("editors field = %+v %q", f, f.String())
	}
	if f, _ := Lookup(new(Config), "server.editors"); f.String() != "" {
		t.Errorf("no editors print as %q, want nothing", f.String())
	}
}

// Editor tokens never appear in a validation error.
func TestValidateEditorsHidesTokens(t *testing.T) {
	c := Default()
	c.Server.Editors = []string{"kim=tok-kim", "lee=tok-kim", "park tok-park", "x y=tok-xy"}
	err := c.Validate()
	if err == nil {
		t.Fatal("invalid editors validated")
	}
	if strings.Contains(err.Error(), "tok-") {
		t.Errorf("the error shows a token: %v", err)
	}
}

func TestUnknownEnv(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    []string
	}{
		{"known keys and others", []string{"NEWSLETTER_GEMINI_MODEL=x", "NEWSLETTER_CONFIG=a.yaml", "HOME=/"}, nil},
		{"a typo is named with its fix", []string{"NEWSLETTER_GEMINI_MODLE=x"},
			[]string{"environment variable NEWSLETTER_GEMINI_MODLE is not a configuration key; did you mean NEWSLETTER_GEMINI_MODEL?"}},
		{"Kubernetes service links are not ours", []string{
			"NEWSLETTER_PORT=tcp://10.0.0.1:8080", "NEWSLETTER_PORT_8080_TCP=tcp://10.0.0.1:8080",
			"NEWSLETTER_PORT_8080_TCP_ADDR=10.0.0.1", "NEWSLETTER_PORT_8080_TCP_PORT=8080",
			"NEWSLETTER_PORT_8080_TCP_PROTO=tcp", "NEWSLETTER_SERVICE_HOST=10.0.0.1",
			"NEWSLETTER_SERVICE_PORT=8080", "NEWSLETTER_SERVICE_PORT_HTTP=8080",
		}, nil},
		{"far from any key: someone else's", []string{"NEWSLETTER_SOMETHING_ELSE=1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UnknownEnv(tt.environ); !slices.Equal(got, tt.want) {
				t.Errorf("UnknownEnv = %q, want %q", got, tt.want)
			}
		})
	}
}

// The deployment files name only real variables, and set the public URL:
// without it chat and feed links point at 127.0.0.1.
func TestDeployFilesNameKnownVariables(t *testing.T) {
	known := map[string]bool{EnvPrefix + "CONFIG": true, EnvPrefix + "VERSION": true} // the image tag compose reads
	var cfg Config
	for _, f := range Fields(&cfg) {
		known[f.Env] = true
	}
	name := regexp.MustCompile(`\bNEWSLETTER_[A-Z0-9_]+`)
	for _, file := range []string{"../deploy/compose.yaml", "../deploy/newsletter.env.example"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range name.FindAllString(string(b), -1) {
			if !known[v] {
				t.Errorf("%s names %s, which is not a configuration variable", file, v)
			}
		}
		if !regexp.MustCompile(`(?m)^\s*NEWSLETTER_SERVER_PUBLIC_URL[:=]`).Match(b) {
			t.Errorf("%s does not set NEWSLETTER_SERVER_PUBLIC_URL", file)
		}
	}
}
