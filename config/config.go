// Package config loads the one configuration struct of the newsletter service:
// defaults, then a YAML file, then NEWSLETTER_* environment variables, then flags.
package config

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"time"
	_ "time/tzdata" // schedule.timezone must resolve on minimal images
)

// Config is the whole configuration. It is loaded once in cmd/newsletter and
// its sections are passed down to the packages that use them; no other
// package reads the environment.
type Config struct {
	Log       Log       `yaml:"log"`
	Fetcher   Fetcher   `yaml:"fetcher"`
	Gemini    Gemini    `yaml:"gemini"`
	Store     Store     `yaml:"store"`
	Server    Server    `yaml:"server"`
	Worker    Worker    `yaml:"worker"`
	Schedule  Schedule  `yaml:"schedule"`
	Publisher Publisher `yaml:"publisher"`
	Notify    Notify    `yaml:"notify"`
	Extractor Extractor `yaml:"extractor"`
	// Sources are the feeds and searches polled for suggestions; none by
	// default, since polling makes outside connections.
	Sources []Source `yaml:"sources"`

	// Summarizer chooses the provider of the summaries (gemini or openai)
	// and its fallback; OpenAI configures an OpenAI-compatible endpoint.
	Summarizer Summarizer `yaml:"summarizer"`
	OpenAI     OpenAI     `yaml:"openai"`
}

// Log configures logging.
type Log struct {
	// Level is one of debug, info, warn, error.
	Level string `yaml:"level"`
	// Format is auto (console on a terminal, JSON otherwise), console or json.
	Format string `yaml:"format"`
}

// Fetcher configures the HTTP client used for submitted URLs.
type Fetcher struct {
	UserAgent            string        `yaml:"user_agent"`
	Timeout              time.Duration `yaml:"timeout"`
	ConnectTimeout       time.Duration `yaml:"connect_timeout"`
	TLSTimeout           time.Duration `yaml:"tls_timeout"`
	HeaderTimeout        time.Duration `yaml:"header_timeout"`
	MaxBodyBytes         int64         `yaml:"max_body_bytes"`
	MaxRedirects         int           `yaml:"max_redirects"`
	MaxRetries           int           `yaml:"max_retries"`
	PerHostConcurrency   int           `yaml:"per_host_concurrency"`
	AllowPrivateNetworks bool          `yaml:"allow_private_networks"`
	// AllowedNetworks are CIDR prefixes permitted even though private or
	// loopback (e.g. a self-hosted wiki at 10.1.2.0/24), narrower than
	// AllowPrivateNetworks.
	AllowedNetworks []string `yaml:"allowed_networks"`
	GitHubAPIURL    string   `yaml:"github_api_url"`
	GitHubToken     string   `yaml:"github_token" secret:"true"`
}

// Gemini configures the summariser's model client.
type Gemini struct {
	APIKey            string        `yaml:"api_key" secret:"true"`
	Model             string        `yaml:"model"`
	BaseURL           string        `yaml:"base_url"`
	Timeout           time.Duration `yaml:"timeout"`
	MaxAttempts       int           `yaml:"max_attempts"`
	RequestsPerMinute int           `yaml:"requests_per_minute"`
	TokensPerMinute   int           `yaml:"tokens_per_minute"`
	InputTokenBudget  int           `yaml:"input_token_budget"`
	MaxOutputTokens   int           `yaml:"max_output_tokens"`
	Temperature       float64       `yaml:"temperature"`
	PromptsDir        string        `yaml:"prompts_dir"`
	// ServiceTier is TierStandard or TierFlex.
	ServiceTier string `yaml:"service_tier"`
	// FlexTimeout is the deadline of one request on the flex tier.
	FlexTimeout time.Duration `yaml:"flex_timeout"`
	// Prices in US dollars per million tokens, for the cost estimate in logs.
	PriceInputPerMillion  float64 `yaml:"price_input_per_million"`
	PriceOutputPerMillion float64 `yaml:"price_output_per_million"`
}

// Summarizer chooses who writes the summaries. The prompts, the input
// budget, the output limit, the attempts and the temperature are the
// gemini section's, whichever provider answers.
type Summarizer struct {
	// Provider is ProviderGemini or ProviderOpenAI.
	Provider string `yaml:"provider"`
	// Fallback is "" or the other provider: while the primary is paused
	// by an outage (a refused key, a spent quota), articles go to it
	// instead of waiting.
	Fallback string `yaml:"fallback"`
	// Glossary fixes how terms are written in Korean, one entry
	// "FORM=VARIANT|VARIANT" each: an answer writing a variant is asked to
	// write the form instead (e.g. "고루틴=고 루틴|거루틴").
	Glossary []string `yaml:"glossary"`
}

// Providers of the summaries.
const (
	ProviderGemini = "gemini"
	ProviderOpenAI = "openai"
)

// OpenAI configures any OpenAI-compatible Chat Completions endpoint:
// OpenAI itself, Ollama (http://localhost:11434/v1), vLLM, and the like.
type OpenAI struct {
	// BaseURL is the API root, ending in /v1.
	BaseURL string `yaml:"base_url"`
	// APIKey is optional: a local server wants none.
	APIKey string `yaml:"api_key" secret:"true"`
	// Model is the model id, also named in the disclaimer.
	Model string `yaml:"model"`
	// Timeout is the deadline of one request.
	Timeout           time.Duration `yaml:"timeout"`
	RequestsPerMinute int           `yaml:"requests_per_minute"`
	// Prices in US dollars per million tokens; 0 for a local model.
	PriceInputPerMillion  float64 `yaml:"price_input_per_million"`
	PriceOutputPerMillion float64 `yaml:"price_output_per_million"`
}

// Store configures the SQLite database.
type Store struct {
	Path string `yaml:"path"`
}

// Server configures the HTTP API of `newsletter serve`, and where
// `newsletter submit` finds it.
type Server struct {
	Listen       string `yaml:"listen"`
	URL          string `yaml:"url"`
	Token        string `yaml:"token" secret:"true"`
	MaxBodyBytes int64  `yaml:"max_body_bytes"`
	// PublicURL is the address readers and editors reach the server at,
	// for the links in notifications and the feed; "" means URL.
	PublicURL string `yaml:"public_url"`
	// PublicArchive serves the published issues and their Atom feed to
	// anyone, without a token; the desk stays private.
	PublicArchive bool `yaml:"public_archive"`
	// ArchiveTitle names the public archive in its pages and its feed.
	ArchiveTitle string `yaml:"archive_title"`
	// Editors are named tokens, "name=token", accepted besides Token by
	// the API and the web desk, so that what an editor changes is
	// recorded under the editor's name.
	Editors []string `yaml:"editors" secret:"true"`
	// SubmissionsPerHourPerToken and SubmissionsPerHourPerAddress bound
	// the submissions one token (server.token, an editor's, or "local"
	// without any) and one client address add to the queue within an
	// hour, whichever door they come through; 0 means no limit.
	SubmissionsPerHourPerToken   int `yaml:"submissions_per_hour_per_token"`
	SubmissionsPerHourPerAddress int `yaml:"submissions_per_hour_per_address"`
}

// EditorToken is one entry of Server.Editors.
type EditorToken struct {
	Name  string
	Token string
}

// EditorTokens parses Server.Editors ("name=token" each), as Validate
// checks them; entries that do not parse are left out.
func (s Server) EditorTokens() []EditorToken {
	out := make([]EditorToken, 0, len(s.Editors))
	for _, e := range s.Editors {
		name, token, ok := strings.Cut(e, "=")
		name, token = strings.TrimSpace(name), strings.TrimSpace(token)
		if ok && name != "" && token != "" {
			out = append(out, EditorToken{Name: name, Token: token})
		}
	}
	return out
}

// HasTokens reports whether the server requires a token: Token or any
// editor's.
func (s Server) HasTokens() bool { return s.Token != "" || len(s.EditorTokens()) > 0 }

// Editor returns who token (spaces around it ignored) is: "api" for Token,
// an editor's name for that editor's token; ok is false for any other. It
// is the one check of a token, for the API and the web desk. Every
// configured token is compared, whichever matches, by SHA-256 digest in
// constant time, so that neither where a guess differs nor its length
// shows in the time it takes.
func (s Server) Editor(token string) (name string, ok bool) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", false
	}
	sum := sha256.Sum256([]byte(token))
	is := func(configured string) bool {
		want := sha256.Sum256([]byte(configured))
		return subtle.ConstantTimeCompare(sum[:], want[:]) == 1
	}
	if s.Token != "" && is(s.Token) {
		name = "api"
	}
	for _, e := range s.EditorTokens() {
		if is(e.Token) {
			name = e.Name
		}
	}
	return name, name != ""
}

// Worker configures background processing of submissions.
type Worker struct {
	Concurrency  int           `yaml:"concurrency"`
	PollInterval time.Duration `yaml:"poll_interval"`
	MaxAttempts  int           `yaml:"max_attempts"`
	RetryBackoff time.Duration `yaml:"retry_backoff"`
}

// Schedule configures the weekly issue run.
type Schedule struct {
	Cron        string        `yaml:"cron"`
	Timezone    string        `yaml:"timezone"`
	RunDeadline time.Duration `yaml:"run_deadline"`
	CatchUp     bool          `yaml:"catch_up"`
	// Mode is ModeReview (the run freezes the issue for editors to approve)
	// or ModeAuto (the run publishes it).
	Mode string `yaml:"mode"`
	// PublishAfter publishes an issue in review on its own this long after
	// it was frozen; 0 waits for an editor forever.
	PublishAfter time.Duration `yaml:"publish_after"`
}

// Publication modes of the weekly run.
const (
	ModeReview = "review"
	ModeAuto   = "auto"
)

// Publisher configures issue assembly and output.
type Publisher struct {
	Dir         string `yaml:"dir"`
	TitlePrefix string `yaml:"title_prefix"`
	Tags        string `yaml:"tags"`
	// Disclaimer is the closing line; {model} is replaced by the model id.
	Disclaimer string `yaml:"disclaimer"`
	// TOC lists the week's titles at the top of the issue.
	TOC bool `yaml:"toc"`
	// CreditSubmitter names who submitted each article under its link.
	CreditSubmitter bool `yaml:"credit_submitter"`
	// Hashnode publishes each issue to a Hashnode publication too.
	Hashnode Hashnode `yaml:"hashnode"`
	// Listmonk sends each issue as an email campaign of a listmonk server.
	Listmonk Listmonk `yaml:"listmonk"`
	// TestRecipients are the editors' addresses a test send goes to
	// (listmonk's campaign test; they must be listmonk subscribers).
	TestRecipients []string `yaml:"test_recipients"`
	// RetryBackoff is the wait before the second attempt at a delivery
	// (a Hashnode post, a chat message), doubled for each one after, up
	// to 60 times it; MaxAttempts bounds the attempts before it waits for
	// an editor's retry.
	RetryBackoff time.Duration `yaml:"retry_backoff"`
	MaxAttempts  int           `yaml:"max_attempts"`
}

// Hashnode configures publishing to a Hashnode publication, on when
// PublicationID is set.
type Hashnode struct {
	Endpoint      string `yaml:"endpoint"`
	PublicationID string `yaml:"publication_id"`
	// Token is a Personal Access Token (env HASHNODE_PAT).
	Token string `yaml:"token" secret:"true"`
	// Mode is HashnodeDraft (a draft in the dashboard) or HashnodePublish.
	Mode string `yaml:"mode"`
	// Timeout bounds one request. CacheWindow is how long Hashnode may
	// answer a query from its cache: a create whose answer is lost is
	// looked up by its slug no earlier than Timeout + CacheWindow after it
	// was sent.
	Timeout     time.Duration `yaml:"timeout"`
	CacheWindow time.Duration `yaml:"cache_window"`
	// Newsletter emails the publication's subscribers when an issue is
	// first published (createDraft with activateNewsletter, then
	// publishDraft); the publication's newsletter feature must be on.
	Newsletter bool `yaml:"newsletter"`
}

// Listmonk configures email campaigns on a listmonk server, on when URL
// is set.
type Listmonk struct {
	URL string `yaml:"url"`
	// User and Token are a listmonk API user and its key (env
	// LISTMONK_TOKEN); its role needs campaigns:get_all, campaigns:manage,
	// lists:get_all and, to schedule or send, campaigns:send.
	User  string `yaml:"user"`
	Token string `yaml:"token" secret:"true"`
	// Lists are the ids of the lists each campaign goes to.
	Lists []int `yaml:"lists"`
	// TemplateID is the campaign template; 0 is listmonk's default.
	TemplateID int `yaml:"template_id"`
	// Mode is ListmonkDraft (create only), ListmonkSchedule (at the
	// issue's time) or ListmonkSend (start at once).
	Mode string `yaml:"mode"`
}

// Listmonk modes.
const (
	ListmonkDraft    = "draft"
	ListmonkSchedule = "schedule"
	ListmonkSend     = "send"
)

// Hashnode modes.
const (
	HashnodeDraft   = "draft"
	HashnodePublish = "publish"
)

// Notify configures chat notifications.
type Notify struct {
	// Webhooks are Discord and Slack incoming-webhook URLs, the format
	// chosen by host or by a "discord:" or "slack:" prefix. Secret: the
	// URLs carry their token.
	Webhooks []string `yaml:"webhooks" secret:"true"`
}

// Extractor configures content extraction.
type Extractor struct {
	// PDFMaxPages is how many pages of a PDF are read, from the first.
	PDFMaxPages int `yaml:"pdf_max_pages"`
	// PDFTimeout bounds the time spent reading the text of one PDF.
	PDFTimeout time.Duration `yaml:"pdf_timeout"`
}

// DefaultGlossary is how the community writes the Go terms models most
// often spell otherwise, as the seed issue writes them.
func DefaultGlossary() []string {
	return []string{
		"고루틴=고 루틴|고-루틴|거루틴|Go 루틴|Go루틴",
		"제네릭=제네릭스|제너릭|지네릭",
		"가비지 컬렉터=가비지 콜렉터|쓰레기 수집기",
		"패닉=공황 상태",
		"컨텍스트=콘텍스트",
		"인터페이스=인터훼이스",
	}
}

// DefaultModel is the Gemini model used when none is configured.
const DefaultModel = "gemini-3.8-flash"

// Gemini service tiers: standard, or flex at half the price with answers
// that may take minutes and may be refused under load.
const (
	TierStandard = "standard"
	TierFlex     = "flex"
)

// Default returns the configuration used when nothing overrides it.
func Default() Config {
	return Config{
		Log: Log{Level: "info", Format: "auto"},
		Fetcher: Fetcher{
			UserAgent:          "newsletter/1 (+https://github.com/godevcommunity/newsletter)",
			Timeout:            30 * time.Second,
			ConnectTimeout:     10 * time.Second,
			TLSTimeout:         10 * time.Second,
			HeaderTimeout:      15 * time.Second,
			MaxBodyBytes:       10 << 20,
			MaxRedirects:       10,
			MaxRetries:         3,
			PerHostConcurrency: 2,
			GitHubAPIURL:       "https://api.github.com",
		},
		Gemini: Gemini{
			Model:                 DefaultModel,
			Timeout:               90 * time.Second,
			MaxAttempts:           4,
			RequestsPerMinute:     10,
			TokensPerMinute:       250000,
			InputTokenBudget:      12000,
			MaxOutputTokens:       4096,
			Temperature:           1.0,
			ServiceTier:           TierFlex,
			FlexTimeout:           15 * time.Minute,
			PriceInputPerMillion:  0.75,
			PriceOutputPerMillion: 3.75,
		},
		Summarizer: Summarizer{
			Provider: ProviderGemini,
			Glossary: DefaultGlossary(),
		},
		OpenAI: OpenAI{
			BaseURL: "https://api.openai.com/v1",
			Model:   "gpt-5-mini",
			Timeout: 90 * time.Second,
		},
		Store: Store{Path: "newsletter.db"},
		Server: Server{
			Listen:       "127.0.0.1:8080",
			URL:          "http://127.0.0.1:8080",
			MaxBodyBytes: 64 << 10,
			// Generous for a community: two a minute, every minute of
			// the hour, from one token and from one address.
			SubmissionsPerHourPerToken:   120,
			SubmissionsPerHourPerAddress: 120,
			ArchiveTitle:                 "Go 개발자 주간 뉴스레터",
		},
		Worker: Worker{
			Concurrency:  2,
			PollInterval: 30 * time.Second,
			MaxAttempts:  5,
			RetryBackoff: 10 * time.Minute,
		},
		Schedule: Schedule{
			Cron:         "0 6 * * 1",
			Timezone:     "Asia/Seoul",
			RunDeadline:  30 * time.Minute,
			CatchUp:      true,
			Mode:         ModeReview,
			PublishAfter: 24 * time.Hour,
		},
		Publisher: Publisher{
			Dir:         "issues",
			TitlePrefix: "[GDC]",
			Tags:        "newsletter",
			Disclaimer:  "이 글은 {model} 모델을 이용하여 생성한 것으로, 사실과 다를 수 있습니다.",
			Hashnode: Hashnode{
				Endpoint:    "https://gql-beta.hashnode.com/",
				Mode:        HashnodeDraft,
				Timeout:     30 * time.Second,
				CacheWindow: 30 * time.Second,
			},
			Listmonk:     Listmonk{Mode: ListmonkDraft},
			RetryBackoff: 30 * time.Second,
			MaxAttempts:  8,
		},
		Extractor: Extractor{
			PDFMaxPages: 20,
			PDFTimeout:  10 * time.Second,
		},
	}
}

// The kinds of Source.
const (
	SourceFeed       = "feed"       // RSS 2.0, Atom 1.0 or JSON Feed
	SourceHackerNews = "hackernews" // Hacker News through its Algolia search API
	SourceGitHub     = "github"     // a repository's releases, through their Atom feed
)

// Source is one place polled for candidate articles (docs/suggestions.md).
type Source struct {
	// Name identifies the source on the desk and in its candidates' credit.
	Name string `yaml:"name"`
	// Kind is SourceFeed, SourceHackerNews or SourceGitHub.
	Kind string `yaml:"kind"`
	// URL is the feed; for hackernews the Algolia API base
	// (https://hn.algolia.com/api/v1); for github the repository
	// (https://github.com/OWNER/REPO) or its releases.atom.
	URL string `yaml:"url"`
	// Query is the Hacker News search.
	Query string `yaml:"query"`
	// MinPoints keeps Hacker News stories with more points than this.
	MinPoints int `yaml:"min_points"`
	// Weight multiplies the source's candidates' scores (1 when zero).
	Weight float64 `yaml:"weight"`
	// Every is the poll interval (1h when zero).
	Every time.Duration `yaml:"every"`
}
