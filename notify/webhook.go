package notify

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Format is the wire format a webhook speaks.
type Format int

// Formats.
const (
	// Discord: an execute-webhook request, content and embeds.
	Discord Format = iota + 1
	// Slack: an incoming-webhook request, text and blocks.
	Slack
)

func (f Format) String() string {
	switch f {
	case Discord:
		return "discord"
	case Slack:
		return "slack"
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// webhook is one configured URL. The URL is a secret: it carries the token.
// Only the format, the position in the list and the host are ever shown.
type webhook struct {
	format Format
	index  int // 1-based position in the configured list
	host   string
	url    string
	// secrets are the parts of url to cut out of anything shown: the
	// path, query, user info and long path segments (the token).
	secrets []string
}

func (h *webhook) String() string {
	return fmt.Sprintf("%s webhook %d (%s)", h.format, h.index, h.host)
}

// redact replaces every secret part of h's URL in s.
func (h *webhook) redact(s string) string {
	for _, secret := range h.secrets {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}

// parseWebhook reads one configured webhook: a URL whose host names its
// format, or a URL after a "discord:" or "slack:" prefix, which forces the
// format (for a proxy or a self-hosted gateway). Errors name the host only.
func parseWebhook(index int, raw string) (*webhook, error) {
	raw = strings.TrimSpace(raw)
	var forced Format
	for _, p := range []struct {
		prefix string
		format Format
	}{{"discord:", Discord}, {"slack:", Slack}} {
		if len(raw) > len(p.prefix) && strings.EqualFold(raw[:len(p.prefix)], p.prefix) {
			forced, raw = p.format, strings.TrimSpace(raw[len(p.prefix):])
			break
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		// url.Parse's error repeats the whole URL: say only what is wrong.
		return nil, fmt.Errorf("notify: webhook %d: not an absolute http(s) URL", index)
	}
	host := u.Hostname()
	format := formatOf(host)
	switch {
	case forced != 0:
		format = forced
	case format == 0:
		return nil, fmt.Errorf("notify: webhook %d (%s): unknown webhook host; prefix the URL with discord: or slack: to choose its format", index, host)
	case u.Scheme != "https":
		return nil, fmt.Errorf("notify: webhook %d (%s): %s webhooks need https", index, host, format)
	}
	h := &webhook{format: format, index: index, host: host, url: u.String()}
	h.secrets = secretParts(u)
	return h, nil
}

// formatOf names the format of a known webhook host.
func formatOf(host string) Format {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"discord.com", "discordapp.com"} {
		if host == d || strings.HasSuffix(host, "."+d) { // ptb.discord.com, canary.discord.com
			return Discord
		}
	}
	if host == "hooks.slack.com" {
		return Slack
	}
	return 0
}

// secretParts lists what of u must never be shown, longest first so a part
// inside another is replaced after it.
func secretParts(u *url.URL) []string {
	var parts []string
	add := func(s string) {
		if len(s) > 1 {
			parts = append(parts, s)
		}
	}
	add(u.String())
	add(u.EscapedPath())
	add(u.Path)
	add(u.RawQuery)
	if u.User != nil {
		add(u.User.String())
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		// Ids and tokens are long; words like "webhooks" and "services"
		// are not secret.
		if len(seg) > 8 {
			parts = append(parts, seg)
		}
	}
	slices.SortFunc(parts, func(a, b string) int { return len(b) - len(a) })
	return parts
}

// scrub returns err without the request URL that net/http puts in it, and
// with any other secret part of h's URL cut out.
func (h *webhook) scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if msg := err.Error(); h.redact(msg) != msg {
		return errors.New(h.redact(msg))
	}
	return err
}
