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
//
// Each section checks its own keys; the list below keeps the order the
// messages have always had, which is why the positive durations of several
// sections come first and server.url and server.public_url sit between
// other sections.
func (c *Config) Validate() error {
	return errors.Join(slices.Concat(
		c.Log.problems(),
		c.durationProblems(),
		c.Extractor.problems(),
		c.Fetcher.problems(),
		urlProblems("gemini.base_url", c.Gemini.BaseURL, true),
		urlProblems("server.url", c.Server.URL, false),
		c.Gemini.problems(),
		c.Summarizer.problems(),
		c.OpenAI.problems(c.Uses(ProviderOpenAI)),
		c.Store.problems(),
		c.Server.problems(),
		c.Worker.problems(),
		c.Schedule.problems(),
		c.Publisher.problems(),
		urlProblems("server.public_url", c.Server.PublicURL, true),
		c.Publisher.Hashnode.problems(),
		c.Publisher.Listmonk.problems(),
		c.Publisher.recipientProblems(),
		c.Notify.problems(),
		validateSources(c.Sources),
	)...)
}

// problems collects the invalid values of a section, each message led by
// its key.
type problems []error

func (p *problems) add(key, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
}

// price reports a price in US dollars a million tokens that is negative
// (0: free, as a local model is).
func (p *problems) price(key string, v float64) {
	if v < 0 {
		p.add(key, "must not be negative (US dollars a million tokens; 0 for a free model)")
	}
}

// oneOf reports v unless it is one of allowed, naming them all.
func (p *problems) oneOf(key, v string, allowed ...string) {
	if slices.Contains(allowed, v) {
		return
	}
	last := len(allowed) - 1
	p.add(key, "must be %s or %s, not %q", strings.Join(allowed[:last], ", "), allowed[last], v)
}

func (p *problems) positiveDuration(key string, d time.Duration) {
	if d <= 0 {
		p.add(key, "must be a positive duration")
	}
}

func (p *problems) atLeast(key string, n, lowest int) {
	if n < lowest {
		p.add(key, "must be at least %d", lowest)
	}
}

// rate reports a negative limit; 0 means unlimited.
func (p *problems) rate(key string, n int) {
	if n < 0 {
		p.add(key, "must not be negative (0 means unlimited)")
	}
}

// nonBlank reports a value that holds nothing but white space.
func (p *problems) nonBlank(key, s string) {
	if strings.TrimSpace(s) == "" {
		p.add(key, "must not be empty")
	}
}

// httpURL reports s unless it is an http(s) URL; an optional one may be
// empty.
func (p *problems) httpURL(key, s string, optional bool) {
	if s == "" && optional {
		return
	}
	if !isHTTPURL(s) {
		p.add(key, "must be an http(s) URL, not %q", s)
	}
}

// secret reports an empty secret that a feature needs, naming the
// environment variable that sets it.
func (p *problems) secret(key, value, env, when string) {
	if value == "" {
		p.add(key, "must be set (env %s) when %s", env, when)
	}
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func urlProblems(key, s string, optional bool) []error {
	var p problems
	p.httpURL(key, s, optional)
	return p
}

func (l Log) problems() []error {
	var p problems
	p.oneOf("log.level", l.Level, "debug", "info", "warn", "error")
	p.oneOf("log.format", l.Format, "auto", "console", "json")
	return p
}

// durationProblems checks the timeouts and intervals of every section that
// must be positive; their messages come before the other checks.
func (c *Config) durationProblems() []error {
	var p problems
	p.positiveDuration("fetcher.timeout", c.Fetcher.Timeout)
	p.positiveDuration("fetcher.connect_timeout", c.Fetcher.ConnectTimeout)
	p.positiveDuration("fetcher.tls_timeout", c.Fetcher.TLSTimeout)
	p.positiveDuration("fetcher.header_timeout", c.Fetcher.HeaderTimeout)
	p.positiveDuration("gemini.timeout", c.Gemini.Timeout)
	p.positiveDuration("gemini.flex_timeout", c.Gemini.FlexTimeout)
	p.positiveDuration("worker.poll_interval", c.Worker.PollInterval)
	p.positiveDuration("worker.retry_backoff", c.Worker.RetryBackoff)
	p.positiveDuration("schedule.run_deadline", c.Schedule.RunDeadline)
	p.positiveDuration("extractor.pdf_timeout", c.Extractor.PDFTimeout)
	return p
}

func (e Extractor) problems() []error {
	var p problems
	p.atLeast("extractor.pdf_max_pages", e.PDFMaxPages, 1)
	return p
}

func (f Fetcher) problems() []error {
	var p problems
	if f.MaxBodyBytes <= 0 {
		p.add("fetcher.max_body_bytes", "must be positive")
	}
	if f.MaxRedirects < 0 {
		p.add("fetcher.max_redirects", "must not be negative")
	}
	if f.MaxRetries < 0 {
		p.add("fetcher.max_retries", "must not be negative")
	}
	p.atLeast("fetcher.per_host_concurrency", f.PerHostConcurrency, 1)
	for _, n := range f.AllowedNetworks {
		if _, err := netip.ParsePrefix(n); err != nil {
			p.add("fetcher.allowed_networks", "invalid CIDR prefix %q", n)
		}
	}
	p.httpURL("fetcher.github_api_url", f.GitHubAPIURL, false)
	return p
}

func (g Gemini) problems() []error {
	var p problems
	p.nonBlank("gemini.model", g.Model)
	p.atLeast("gemini.max_attempts", g.MaxAttempts, 1)
	p.rate("gemini.requests_per_minute", g.RequestsPerMinute)
	p.rate("gemini.tokens_per_minute", g.TokensPerMinute)
	p.atLeast("gemini.input_token_budget", g.InputTokenBudget, 500)
	p.atLeast("gemini.max_output_tokens", g.MaxOutputTokens, 256)
	p.oneOf("gemini.service_tier", g.ServiceTier, TierStandard, TierFlex)
	if g.Temperature < 0 || g.Temperature > 2 {
		p.add("gemini.temperature", "must be between 0 and 2")
	}
	p.price("gemini.price_input_per_million", g.PriceInputPerMillion)
	p.price("gemini.price_output_per_million", g.PriceOutputPerMillion)
	return p
}

func (s Summarizer) problems() []error {
	var p problems
	p.oneOf("summarizer.provider", s.Provider, ProviderGemini, ProviderOpenAI)
	switch f := s.Fallback; {
	case f == "":
	case f != ProviderGemini && f != ProviderOpenAI:
		p.add("summarizer.fallback", "must be empty, %s or %s, not %q", ProviderGemini, ProviderOpenAI, f)
	case f == s.Provider:
		p.add("summarizer.fallback", "must be the other provider than summarizer.provider (%s)", f)
	}
	for _, g := range s.Glossary {
		if _, _, err := ParseGlossaryEntry(g); err != nil {
			p.add("summarizer.glossary", "%v", err)
		}
	}
	return p
}

// problems checks the OpenAI section; its endpoint and model only when
// the summarizer uses it.
func (o OpenAI) problems(used bool) []error {
	var p problems
	if used {
		p.httpURL("openai.base_url", o.BaseURL, false)
		p.nonBlank("openai.model", o.Model)
	}
	p.positiveDuration("openai.timeout", o.Timeout)
	p.rate("openai.requests_per_minute", o.RequestsPerMinute)
	p.price("openai.price_input_per_million", o.PriceInputPerMillion)
	p.price("openai.price_output_per_million", o.PriceOutputPerMillion)
	return p
}

func (s Store) problems() []error {
	var p problems
	if s.Path == "" {
		p.add("store.path", "must not be empty")
	}
	return p
}

// problems checks the server section but for its URLs, which Validate
// checks in their place.
func (s Server) problems() []error {
	var p problems
	if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		p.add("server.listen", "must be host:port, not %q", s.Listen)
	}
	if t := s.ArchiveTitle; strings.TrimSpace(t) == "" || strings.ContainsAny(t, "\r\n") {
		p.add("server.archive_title", "must be one line of text")
	}
	if s.MaxBodyBytes <= 0 {
		p.add("server.max_body_bytes", "must be positive")
	}
	if s.SubmissionsPerHourPerToken < 0 {
		p.add("server.submissions_per_hour_per_token", "must be 0 (no limit) or more")
	}
	if s.SubmissionsPerHourPerAddress < 0 {
		p.add("server.submissions_per_hour_per_address", "must be 0 (no limit) or more")
	}
	for _, msg := range checkEditors(s) {
		p.add("server.editors", "%s", msg)
	}
	return p
}

func (w Worker) problems() []error {
	var p problems
	p.atLeast("worker.concurrency", w.Concurrency, 1)
	p.atLeast("worker.max_attempts", w.MaxAttempts, 1)
	return p
}

func (s Schedule) problems() []error {
	var p problems
	p.oneOf("schedule.mode", s.Mode, ModeReview, ModeAuto)
	if s.PublishAfter < 0 {
		p.add("schedule.publish_after", "must not be negative (0 means never on its own)")
	}
	p.nonBlank("schedule.cron", s.Cron)
	if _, err := time.LoadLocation(s.Timezone); err != nil {
		p.add("schedule.timezone", "unknown time zone %q", s.Timezone)
	}
	return p
}

// problems checks the publisher's own keys; Validate checks its outlets
// and test recipients after them.
func (pub Publisher) problems() []error {
	var p problems
	if pub.RetryBackoff <= 0 {
		p.add("publisher.retry_backoff", "must be positive, e.g. 30s")
	}
	p.atLeast("publisher.max_attempts", pub.MaxAttempts, 1)
	if pub.Dir == "" {
		p.add("publisher.dir", "must not be empty")
	}
	if strings.TrimSpace(pub.Disclaimer) == "" {
		p.add("publisher.disclaimer", "must not be empty: every issue says which model wrote it")
	}
	return p
}

func (pub Publisher) recipientProblems() []error {
	var p problems
	for _, a := range pub.TestRecipients {
		if at := strings.LastIndex(a, "@"); at < 1 || at == len(a)-1 || strings.ContainsAny(a, " \t<>,") {
			p.add("publisher.test_recipients", "%q is not an email address", a)
		}
	}
	return p
}

// problems checks Hashnode when a publication is set; nothing otherwise.
func (h Hashnode) problems() []error {
	if h.PublicationID == "" {
		return nil
	}
	var p problems
	p.httpURL("publisher.hashnode.endpoint", h.Endpoint, false)
	p.oneOf("publisher.hashnode.mode", h.Mode, HashnodeDraft, HashnodePublish)
	p.secret("publisher.hashnode.token", h.Token, "HASHNODE_PAT", "publication_id is")
	if h.Timeout <= 0 {
		p.add("publisher.hashnode.timeout", "must be positive, e.g. 30s")
	}
	if h.CacheWindow < 0 {
		p.add("publisher.hashnode.cache_window", "must not be negative")
	}
	return p
}

// problems checks listmonk when its url is set; nothing otherwise.
func (l Listmonk) problems() []error {
	if l.URL == "" {
		return nil
	}
	var p problems
	p.httpURL("publisher.listmonk.url", l.URL, false)
	p.oneOf("publisher.listmonk.mode", l.Mode, ListmonkDraft, ListmonkSchedule, ListmonkSend)
	if strings.TrimSpace(l.User) == "" {
		p.add("publisher.listmonk.user", "must name the listmonk API user when url is set")
	}
	p.secret("publisher.listmonk.token", l.Token, "LISTMONK_TOKEN", "url is set")
	if len(l.Lists) == 0 {
		p.add("publisher.listmonk.lists", "must list at least one list id when url is set")
	}
	for _, id := range l.Lists {
		if id <= 0 {
			p.add("publisher.listmonk.lists", "list id %d is not positive", id)
		}
	}
	if l.TemplateID < 0 {
		p.add("publisher.listmonk.template_id", "must not be negative (0 is listmonk's default template)")
	}
	return p
}

func (n Notify) problems() []error {
	var p problems
	for _, w := range n.Webhooks {
		if !isHTTPURL(strings.TrimPrefix(strings.TrimPrefix(w, "discord:"), "slack:")) {
			p.add("notify.webhooks", "an entry is not an http(s) URL") // never quoted: it holds a token
		}
	}
	return p
}

// validateSources checks the sources list: names unique and plain, a
// known kind, an http(s) URL, a query for hackernews, sane numbers.
func validateSources(srcs []Source) []error {
	var errs []error
	names := map[string]bool{}
	for i, s := range srcs {
		errs = append(errs, s.problems(fmt.Sprintf("sources[%d]", i), names)...)
		names[s.Name] = true
	}
	return errs
}

// problems checks the source at key; names holds the names of the sources
// before it.
func (s Source) problems(key string, names map[string]bool) []error {
	var p problems
	bad := func(field, format string, args ...any) {
		p.add(key+"."+field, format, args...)
	}
	s.nameProblem(&p, key+".name", names)
	switch s.Kind {
	case SourceFeed, SourceHackerNews, SourceGitHub:
	default:
		bad("kind", "must be feed, hackernews or github, not %q", s.Kind)
	}
	if !isHTTPURL(s.URL) {
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
	return p
}

// nameProblem reports a missing, malformed or repeated source name.
func (s Source) nameProblem(p *problems, key string, names map[string]bool) {
	switch {
	case strings.TrimSpace(s.Name) == "":
		p.add(key, "is required")
	case len(s.Name) > 40 || strings.ContainsAny(s.Name, ",\n\t"):
		p.add(key, "must be at most 40 characters without commas or line breaks, not %q", s.Name)
	case names[s.Name]:
		p.add(key, "%q is used by another source", s.Name)
	}
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
