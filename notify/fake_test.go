package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// Secrets of the fake webhooks' URLs: they must never be logged or shown.
const (
	discordID     = "123456789012345678"
	discordToken  = "s3cr3t-DiscordToken-abcdefghijklmnopqrstuvwxyz0123456789"
	slackSecret   = "s3cr3tSlackSecret0123456"
	slackServices = "/services/T0123ABCD/B0456EFGH/" + slackSecret
)

// discordWire is an execute-webhook request body as Discord documents it,
// limited to what a notification may use; unknown fields are refused.
type discordWire struct {
	Content string `json:"content"`
	Embeds  []struct {
		Title  string `json:"title"`
		URL    string `json:"url"`
		Color  int    `json:"color"`
		Fields []struct {
			Name   string `json:"name"`
			Value  string `json:"value"`
			Inline bool   `json:"inline"`
		} `json:"fields"`
	} `json:"embeds"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
}

// slackWire is an incoming-webhook request body as Slack documents it, with
// section blocks only.
type slackWire struct {
	Text   string `json:"text"`
	Blocks []struct {
		Type string `json:"type"`
		Text *struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"text"`
		Fields []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"fields"`
	} `json:"blocks"`
}

// answer is one scripted reply of a fake webhook.
type answer func(w http.ResponseWriter)

// status answers code with body as plain text, as Slack does.
func status(code int, body string) answer {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// discordError answers code with Discord's JSON error body.
func discordError(code, errCode int, message string) answer {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message": %q, "code": %d}`, message, errCode)
	}
}

// discordRateLimited answers 429 as Discord does: JSON with retry_after in
// seconds and global, and Retry-After when header is not empty.
func discordRateLimited(retryAfter, header string) answer {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		if header != "" {
			w.Header().Set("Retry-After", header)
		}
		w.Header().Set("X-RateLimit-Scope", "shared")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprintf(w, `{"message": "You are being rate limited.", "retry_after": %s, "global": false}`, retryAfter)
	}
}

// fakeWebhook is a Discord or Slack incoming webhook on loopback. It checks
// every request against the format's wire rules, answers from its script
// and then accepts: Discord with 204 No Content, Slack with 200 "ok".
type fakeWebhook struct {
	t      *testing.T
	format Format
	path   string
	srv    *httptest.Server

	mu       sync.Mutex
	script   []answer
	accepted [][]byte
	requests int
	// gate, when set, holds every request until it is closed.
	gate chan struct{}
}

func newFakeWebhook(t *testing.T, format Format, script ...answer) *fakeWebhook {
	f := &fakeWebhook{t: t, format: format, script: script}
	f.path = "/api/webhooks/" + discordID + "/" + discordToken
	if format == Slack {
		f.path = slackServices
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// url is the webhook as configured, with the prefix that chooses its
// format for a host that is not Discord's or Slack's.
func (f *fakeWebhook) url() string { return f.format.String() + ":" + f.srv.URL + f.path }

func (f *fakeWebhook) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests++
	gate := f.gate
	var reply answer
	if len(f.script) > 0 {
		reply, f.script = f.script[0], f.script[1:]
	}
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	if problem := f.check(r, body); problem != "" {
		f.t.Errorf("%s webhook: %s: %s", f.format, problem, body)
		if f.format == Slack {
			status(http.StatusBadRequest, "invalid_payload")(w)
		} else {
			discordError(http.StatusBadRequest, 50035, "Invalid Form Body")(w)
		}
		return
	}
	if reply != nil {
		reply(w)
		return
	}
	f.mu.Lock()
	f.accepted = append(f.accepted, body)
	f.mu.Unlock()
	if f.format == Slack {
		status(http.StatusOK, "ok")(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// check returns what is wrong with a request, or "".
func (f *fakeWebhook) check(r *http.Request, body []byte) string {
	if r.Method != http.MethodPost || r.URL.Path != f.path {
		return fmt.Sprintf("%s %s, want POST to the webhook's path", r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		return "Content-Type " + ct
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	tooLong := func(s string, n int) bool { return s == "" || utf8.RuneCountInString(s) > n }
	if f.format == Discord {
		var m discordWire
		if err := d.Decode(&m); err != nil {
			return err.Error()
		}
		if m.Content == "" && len(m.Embeds) == 0 {
			return "empty message"
		}
		if utf8.RuneCountInString(m.Content) > 2000 || len(m.Embeds) > 10 {
			return "content over 2000 characters or over 10 embeds"
		}
		if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
			return "allowed_mentions does not forbid every mention"
		}
		for _, e := range m.Embeds {
			if utf8.RuneCountInString(e.Title) > 256 || len(e.Fields) > 25 {
				return "embed title over 256 characters or over 25 fields"
			}
			for _, fl := range e.Fields {
				if tooLong(fl.Name, 256) || tooLong(fl.Value, 1024) {
					return "field name or value empty or too long"
				}
			}
		}
		return ""
	}
	var m slackWire
	if err := d.Decode(&m); err != nil {
		return err.Error()
	}
	if m.Text == "" && len(m.Blocks) == 0 {
		return "no text"
	}
	for _, b := range m.Blocks {
		if b.Type != "section" || (b.Text == nil && len(b.Fields) == 0) || len(b.Fields) > 10 {
			return "a block that is not a section with text or at most 10 fields"
		}
		if b.Text != nil && (b.Text.Type != "mrkdwn" || tooLong(b.Text.Text, 3000)) {
			return "section text not mrkdwn, empty or too long"
		}
		for _, fl := range b.Fields {
			if fl.Type != "mrkdwn" || tooLong(fl.Text, 2000) {
				return "field not mrkdwn, empty or too long"
			}
		}
	}
	return ""
}

// hold makes every request wait until the returned function is called.
func (f *fakeWebhook) hold() (release func()) {
	gate := make(chan struct{})
	f.mu.Lock()
	f.gate = gate
	f.mu.Unlock()
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	f.t.Cleanup(release)
	return release
}

// counts returns how many requests arrived and how many were accepted.
func (f *fakeWebhook) counts() (requests, accepted int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, len(f.accepted)
}

// headlines returns the accepted messages' headlines: Discord's content,
// Slack's text.
func (f *fakeWebhook) headlines() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, b := range f.accepted {
		if f.format == Slack {
			var m slackWire
			_ = json.Unmarshal(b, &m)
			out = append(out, m.Text)
			continue
		}
		var m discordWire
		_ = json.Unmarshal(b, &m)
		out = append(out, m.Content)
	}
	return out
}

// plain undoes discordEscape, for comparing Discord text with the words
// sent.
func plain(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
