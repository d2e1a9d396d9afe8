package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Uses reports whether provider writes summaries, as the primary or the
// fallback.
func (c *Config) Uses(provider string) bool {
	return c.Summarizer.Provider == provider || c.Summarizer.Fallback == provider
}

// ParseGlossaryEntry reads one summarizer.glossary entry,
// "FORM=VARIANT|VARIANT".
func ParseGlossaryEntry(s string) (form string, variants []string, err error) {
	form, rest, ok := strings.Cut(s, "=")
	form = strings.TrimSpace(form)
	if !ok || form == "" {
		return "", nil, fmt.Errorf("entry %q must be FORM=VARIANT|VARIANT", s)
	}
	for v := range strings.SplitSeq(rest, "|") {
		if v = strings.TrimSpace(v); v != "" {
			variants = append(variants, v)
		}
	}
	if len(variants) == 0 {
		return "", nil, fmt.Errorf("entry %q names no variant after =", s)
	}
	return form, variants, nil
}

// Validate reports every invalid value in cfg, each naming its key.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "auto", "console", "json":
	default:
		bad("log.format", "must be auto, console or json, not %q", c.Log.Format)
	}
	positive := []struct {
		key string
		d   time.Duration
	}{
		{"fetcher.timeout", c.Fetcher.Timeout},
		{"fetcher.connect_timeout", c.Fetcher.ConnectTimeout},
		{"fetcher.tls_timeout", c.Fetcher.TLSTimeout},
		{"fetcher.header_timeout", c.Fetcher.HeaderTimeout},
		{"gemini.timeout", c.Gemini.Timeout},
		{"gemini.flex_timeout", c.Gemini.FlexTimeout},
		{"worker.poll_interval", c.Worker.PollInterval},
		{"worker.retry_backoff", c.Worker.RetryBackoff},
		{"schedule.run_deadline", c.Schedule.RunDeadline},
		{"extractor.pdf_timeout", c.Extractor.PDFTimeout},
	}
	for _, p := range positive {
		if p.d <= 0 {
			bad(p.key, "must be a positive duration")
		}
	}
	if c.Extractor.PDFMaxPages < 1 {
		bad("extractor.pdf_max_pages", "must be at least 1")
	}
	if c.Fetcher.MaxBodyBytes <= 0 {
		bad("fetcher.max_body_bytes", "must be positive")
	}
	if c.Fetcher.MaxRedirects < 0 {
		bad("fetcher.max_redirects", "must not be negative")
	}
	if c.Fetcher.MaxRetries < 0 {
		bad("fetcher.max_retries", "must not be negative")
	}
	if c.Fetcher.PerHostConcurrency < 1 {
		bad("fetcher.per_host_concurrency", "must be at least 1")
	}
	for _, n := range c.Fetcher.AllowedNetworks {
		if _, err := netip.ParsePrefix(n); err != nil {
			bad("fetcher.allowed_networks", "invalid CIDR prefix %q", n)
		}
	}
	checkURL := func(key, s string, optional bool) {
		if s == "" && optional {
			return
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(key, "must be an http(s) URL, not %q", s)
		}
	}
	checkURL("fetcher.github_api_url", c.Fetcher.GitHubAPIURL, false)
	checkURL("gemini.base_url", c.Gemini.BaseURL, true)
	checkURL("server.url", c.Server.URL, false)
	if strings.TrimSpace(c.Gemini.Model) == "" {
		bad("gemini.model", "must not be empty")
	}
	if c.Gemini.MaxAttempts < 1 {
		bad("gemini.max_attempts", "must be at least 1")
	}
	if c.Gemini.RequestsPerMinute < 0 {
		bad("gemini.requests_per_minute", "must not be negative (0 means unlimited)")
	}
	if c.Gemini.TokensPerMinute < 0 {
		bad("gemini.tokens_per_minute", "must not be negative (0 means unlimited)")
	}
	if c.Gemini.InputTokenBudget < 500 {
		bad("gemini.input_token_budget", "must be at least 500")
	}
	if c.Gemini.MaxOutputTokens < 256 {
		bad("gemini.max_output_tokens", "must be at least 256")
	}
	if c.Gemini.ServiceTier != TierStandard && c.Gemini.ServiceTier != TierFlex {
		bad("gemini.service_tier", "must be %s or %s, not %q", TierStandard, TierFlex, c.Gemini.ServiceTier)
	}
	if c.Gemini.Temperature < 0 || c.Gemini.Temperature > 2 {
		bad("gemini.temperature", "must be between 0 and 2")
	}
	switch c.Summarizer.Provider {
	case ProviderGemini, ProviderOpenAI:
	default:
		bad("summarizer.provider", "must be %s or %s, not %q", ProviderGemini, ProviderOpenAI, c.Summarizer.Provider)
	}
	switch f := c.Summarizer.Fallback; {
	case f == "":
	case f != ProviderGemini && f != ProviderOpenAI:
		bad("summarizer.fallback", "must be empty, %s or %s, not %q", ProviderGemini, ProviderOpenAI, f)
	case f == c.Summarizer.Provider:
		bad("summarizer.fallback", "must be the other provider than summarizer.provider (%s)", f)
	}
	for _, g := range c.Summarizer.Glossary {
		if _, _, err := ParseGlossaryEntry(g); err != nil {
			bad("summarizer.glossary", "%v", err)
		}
	}
	if c.Uses(ProviderOpenAI) {
		checkURL("openai.base_url", c.OpenAI.BaseURL, false)
		if strings.TrimSpace(c.OpenAI.Model) == "" {
			bad("openai.model", "must not be empty")
		}
	}
	if c.OpenAI.Timeout <= 0 {
		bad("openai.timeout", "must be a positive duration")
	}
	if c.OpenAI.RequestsPerMinute < 0 {
		bad("openai.requests_per_minute", "must not be negative (0 means unlimited)")
	}
	if c.OpenAI.PriceInputPerMillion < 0 || c.OpenAI.PriceOutputPerMillion < 0 {
		bad("openai.price_input_per_million", "prices must not be negative")
	}
	if c.Store.Path == "" {
		bad("store.path", "must not be empty")
	}
	if _, _, err := net.SplitHostPort(c.Server.Listen); err != nil {
		bad("server.listen", "must be host:port, not %q", c.Server.Listen)
	}
	if t := c.Server.ArchiveTitle; strings.TrimSpace(t) == "" || strings.ContainsAny(t, "\r\n") {
		bad("server.archive_title", "must be one line of text")
	}
	if c.Server.MaxBodyBytes <= 0 {
		bad("server.max_body_bytes", "must be positive")
	}
	if c.Server.SubmissionsPerHourPerToken < 0 {
		bad("server.submissions_per_hour_per_token", "must be 0 (no limit) or more")
	}
	if c.Server.SubmissionsPerHourPerAddress < 0 {
		bad("server.submissions_per_hour_per_address", "must be 0 (no limit) or more")
	}
	for _, msg := range checkEditors(c.Server) {
		bad("server.editors", "%s", msg)
	}
	if c.Worker.Concurrency < 1 {
		bad("worker.concurrency", "must be at least 1")
	}
	if c.Worker.MaxAttempts < 1 {
		bad("worker.max_attempts", "must be at least 1")
	}
	if c.Schedule.Mode != ModeReview && c.Schedule.Mode != ModeAuto {
		bad("schedule.mode", "must be %s or %s, not %q", ModeReview, ModeAuto, c.Schedule.Mode)
	}
	if c.Schedule.PublishAfter < 0 {
		bad("schedule.publish_after", "must not be negative (0 means never on its own)")
	}
	if strings.TrimSpace(c.Schedule.Cron) == "" {
		bad("schedule.cron", "must not be empty")
	}
	if _, err := time.LoadLocation(c.Schedule.Timezone); err != nil {
		bad("schedule.timezone", "unknown time zone %q", c.Schedule.Timezone)
	}
	if c.Publisher.RetryBackoff <= 0 {
		bad("publisher.retry_backoff", "must be positive, e.g. 30s")
	}
	if c.Publisher.MaxAttempts < 1 {
		bad("publisher.max_attempts", "must be at least 1")
	}
	if c.Publisher.Dir == "" {
		bad("publisher.dir", "must not be empty")
	}
	if strings.TrimSpace(c.Publisher.Disclaimer) == "" {
		bad("publisher.disclaimer", "must not be empty: every issue says which model wrote it")
	}
	checkURL("server.public_url", c.Server.PublicURL, true)
	if h := c.Publisher.Hashnode; h.PublicationID != "" {
		checkURL("publisher.hashnode.endpoint", h.Endpoint, false)
		if h.Mode != HashnodeDraft && h.Mode != HashnodePublish {
			bad("publisher.hashnode.mode", "must be %s or %s, not %q", HashnodeDraft, HashnodePublish, h.Mode)
		}
		if h.Token == "" {
			bad("publisher.hashnode.token", "must be set (env HASHNODE_PAT) when publication_id is")
		}
		if h.Timeout <= 0 {
			bad("publisher.hashnode.timeout", "must be positive, e.g. 30s")
		}
		if h.CacheWindow < 0 {
			bad("publisher.hashnode.cache_window", "must not be negative")
		}
	}
	if l := c.Publisher.Listmonk; l.URL != "" {
		checkURL("publisher.listmonk.url", l.URL, false)
		if l.Mode != ListmonkDraft && l.Mode != ListmonkSchedule && l.Mode != ListmonkSend {
			bad("publisher.listmonk.mode", "must be %s, %s or %s, not %q", ListmonkDraft, ListmonkSchedule, ListmonkSend, l.Mode)
		}
		if strings.TrimSpace(l.User) == "" {
			bad("publisher.listmonk.user", "must name the listmonk API user when url is set")
		}
		if l.Token == "" {
			bad("publisher.listmonk.token", "must be set (env LISTMONK_TOKEN) when url is set")
		}
		if len(l.Lists) == 0 {
			bad("publisher.listmonk.lists", "must list at least one list id when url is set")
		}
		for _, id := range l.Lists {
			if id <= 0 {
				bad("publisher.listmonk.lists", "list id %d is not positive", id)
			}
		}
		if l.TemplateID < 0 {
			bad("publisher.listmonk.template_id", "must not be negative (0 is listmonk's default template)")
		}
	}
	for _, a := range c.Publisher.TestRecipients {
		if at := strings.LastIndex(a, "@"); at < 1 || at == len(a)-1 || strings.ContainsAny(a, " \t<>,") {
			bad("publisher.test_recipients", "%q is not an email address", a)
		}
	}
	for _, w := range c.Notify.Webhooks {
		u, err := url.Parse(strings.TrimPrefix(strings.TrimPrefix(w, "discord:"), "slack:"))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("notify.webhooks", "an entry is not an http(s) URL") // never quoted: it holds a token
		}
	}
	errs = append(errs, validateSources(c.Sources)...)
	return errors.Join(errs...)
}

// validateSources checks the sources list: names unique and plain, a
// known kind, an http(s) URL, a query for hackernews, sane numbers.
func validateSources(srcs []Source) []error {
	var errs []error
	names := map[string]bool{}
	for i, s := range srcs {
		key := fmt.Sprintf("sources[%d]", i)
		bad := func(field, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s.%s: "+format, append([]any{key, field}, args...)...))
		}
		switch {
		case strings.TrimSpace(s.Name) == "":
			bad("name", "is required")
		case len(s.Name) > 40 || strings.ContainsAny(s.Name, ",\n\t"):
			bad("name", "must be at most 40 characters without commas or line breaks, not %q", s.Name)
		case names[s.Name]:
			bad("name", "%q is used by another source", s.Name)
		}
		names[s.Name] = true
		switch s.Kind {
		case SourceFeed, SourceHackerNews, SourceGitHub:
		default:
			bad("kind", "must be feed, hackernews or github, not %q", s.Kind)
		}
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("url", "must be an http or https URL, not %q", s.URL)
		}
		if s.Kind == SourceHackerNews && strings.TrimSpace(s.Query) == "" {
			bad("query", "is required for a hackernews source")
		}
		if s.MinPoints < 0 {
			bad("min_points", "must not be negative")
		}
		if s.Weight < 0 || s.Weight > 10 {
			bad("weight", "must be between 0 and 10, not %g", s.Weight)
		}
		if s.Every != 0 && s.Every < time.Minute {
			bad("every", "must be at least 1m, not %s", s.Every)
		}
	}
	return errs
}

// MinEditorToken is the shortest editor token accepted, in bytes.
const MinEditorToken = 16

// reservedActors are the names the history already gives callers without
// an editor token.
var reservedActors = []string{"api", "local"}

// checkEditors checks each "name=token" entry of s.Editors; the messages
// name entries by position and name, never by their token.
func checkEditors(s Server) []string {
	var msgs []string
	names, tokens := map[string]int{}, map[string]int{}
	for i, e := range s.Editors {
		n := i + 1
		name, token, ok := strings.Cut(e, "=")
		name, token = strings.TrimSpace(name), strings.TrimSpace(token)
		switch {
		case !ok || name == "" || token == "":
			msgs = append(msgs, fmt.Sprintf("entry %d is not name=token", n))
			continue
		case !validEditorName(name):
			msgs = append(msgs, fmt.Sprintf("entry %d: the name %q must be 1 to 40 letters, digits, '.', '-' or '_'", n, name))
		case slices.Contains(reservedActors, strings.ToLower(name)):
			msgs = append(msgs, fmt.Sprintf("entry %d: the name %q is reserved (the history uses it for callers without an editor token)", n, name))
		}
		if m, dup := names[name]; dup {
			msgs = append(msgs, fmt.Sprintf("entries %d and %d have the same name %q", m, n, name))
		}
		names[name] = n
		switch {
		case len(token) < MinEditorToken:
			msgs = append(msgs, fmt.Sprintf("entry %d (%s): the token is shorter than %d characters", n, name, MinEditorToken))
		case strings.ContainsFunc(token, unicode.IsSpace) || strings.Contains(token, ","):
			msgs = append(msgs, fmt.Sprintf("entry %d (%s): the token holds a space or a comma", n, name))
		case token == s.Token:
			msgs = append(msgs, fmt.Sprintf("entry %d (%s): the token is server.token; give each editor a token of their own", n, name))
		}
		if m, dup := tokens[token]; dup {
			msgs = append(msgs, fmt.Sprintf("entries %d and %d have the same token", m, n))
		}
		tokens[token] = n
	}
	return msgs
}

func validEditorName(name string) bool {
	if utf8.RuneCountInString(name) > 40 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// listPrice is a published price of a Gemini model, in US dollars per
// million tokens, valid from a date.
type listPrice struct {
	model         string
	from          time.Time
	input, output float64
}

// listPrices are the published prices the configuration is compared with.
var listPrices = []listPrice{
	{DefaultModel, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 0.75, 3.75},
	{DefaultModel, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 1.50, 7.50},
}

// Warnings names what is valid but likely wrong at now: prices that a
// newer list price of the configured model replaced.
func (c *Config) Warnings(now time.Time) []string {
	var current *listPrice
	for i, p := range listPrices {
		if p.model == c.Gemini.Model && !now.Before(p.from) {
			current = &listPrices[i]
		}
	}
	if current == nil {
		return nil
	}
	if c.Gemini.PriceInputPerMillion == current.input && c.Gemini.PriceOutputPerMillion == current.output {
		return nil
	}
	for _, p := range listPrices {
		if p.model == c.Gemini.Model && p.from.Before(current.from) &&
			c.Gemini.PriceInputPerMillion == p.input && c.Gemini.PriceOutputPerMillion == p.output {
			return []string{fmt.Sprintf(
				"gemini.price_input_per_million %g and gemini.price_output_per_million %g are the list prices of %s before %s; since then they are %g and %g: cost estimates are too low until they are updated",
				p.input, p.output, c.Gemini.Model, current.from.Format(time.DateOnly), current.input, current.output)}
		}
	}
	return nil
}
