package notify

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Discord's limits on an execute-webhook request, in characters.
const (
	discordContentMax    = 2000
	discordTitleMax      = 256
	discordFieldNameMax  = 256
	discordFieldValueMax = 1024
)

// Slack's limits on blocks, in characters.
const (
	slackSectionTextMax = 3000
	slackFieldTextMax   = 2000
)

type discordPayload struct {
	Content string         `json:"content"`
	Embeds  []discordEmbed `json:"embeds,omitempty"`
	// AllowedMentions with an empty list pings no one, whatever the text
	// holds ("@everyone" in a failure's reason).
	AllowedMentions discordMentions `json:"allowed_mentions"`
}

type discordMentions struct {
	Parse []string `json:"parse"`
}

type discordEmbed struct {
	Title  string         `json:"title,omitempty"`
	URL    string         `json:"url,omitempty"`
	Color  int            `json:"color,omitempty"`
	Fields []discordField `json:"fields,omitempty"`
}

type discordField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

type slackPayload struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks,omitempty"`
}

type slackBlock struct {
	Type   string      `json:"type"`
	Text   *slackText  `json:"text,omitempty"`
	Fields []slackText `json:"fields,omitempty"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// encode writes m as a request body in format f.
func encode(f Format, m message) ([]byte, error) {
	if f == Slack {
		return json.Marshal(slackMessage(m))
	}
	return json.Marshal(discordMessage(m))
}

// discordMessage puts the headline in content, shown in the notification,
// and the facts in one embed's fields. Text is escaped so that it cannot
// format, link or mention anything; URLs are written as they are, and
// Discord links them.
func discordMessage(m message) discordPayload {
	p := discordPayload{
		Content:         truncate(discordEscape(m.headline), discordContentMax),
		AllowedMentions: discordMentions{Parse: []string{}},
	}
	e := discordEmbed{Title: truncate(m.title, discordTitleMax), URL: m.link, Color: m.color}
	for _, f := range m.fields {
		v := discordEscape(f.value)
		if f.link && webURL(f.value) != "" {
			v = f.value
		}
		e.Fields = append(e.Fields, discordField{
			Name:  truncate(discordEscape(f.name), discordFieldNameMax),
			Value: truncate(v, discordFieldValueMax),
		})
	}
	if e.URL == "" {
		e.Title = "" // without a link the title repeats the headline
	}
	if e.Title != "" || len(e.Fields) > 0 {
		p.Embeds = []discordEmbed{e}
	}
	return p
}

// slackMessage puts the headline in text, shown in the notification, and
// again in a section with the title linked, then the facts as fields.
// Slack reads text as mrkdwn, where only '&', '<' and '>' must be escaped:
// with them escaped nothing can link or mention (<!channel>).
func slackMessage(m message) slackPayload {
	head := "*" + slackEscape(m.headline) + "*"
	if m.link != "" && m.title != "" {
		head += "\n<" + slackLinkURL(m.link) + "|" + strings.ReplaceAll(slackEscape(m.title), "|", "¦") + ">"
	}
	p := slackPayload{
		Text:   slackEscape(m.headline),
		Blocks: []slackBlock{{Type: "section", Text: &slackText{Type: "mrkdwn", Text: truncate(head, slackSectionTextMax)}}},
	}
	var fields []slackText
	for _, f := range m.fields {
		fields = append(fields, slackText{
			Type: "mrkdwn",
			Text: truncate("*"+slackEscape(f.name)+"*\n"+slackEscape(f.value), slackFieldTextMax),
		})
	}
	if len(fields) > 0 {
		p.Blocks = append(p.Blocks, slackBlock{Type: "section", Fields: fields})
	}
	return p
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackEscape(s string) string { return slackEscaper.Replace(s) }

// slackLinkURL writes an http(s) URL for <url|text>, where '|' and '>'
// would end it early.
func slackLinkURL(u string) string {
	return strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C").Replace(u)
}

// discordEscape puts a backslash before every character Discord's markdown
// reads as syntax: emphasis, code, spoilers, masked links and the '<' of
// mentions, channels and timestamps anywhere; headings, lists and quotes at
// the start of a line.
func discordEscape(s string) string {
	var b strings.Builder
	lineStart := true
	for _, r := range s {
		if strings.ContainsRune("\\*_~`|[]<", r) || lineStart && strings.ContainsRune("#->+", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		switch r {
		case '\n':
			lineStart = true
		case ' ', '\t':
		default:
			lineStart = false
		}
	}
	return b.String()
}

// truncate cuts s to at most n characters, ending with "…" when cut, and
// never inside a backslash escape.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n-1]
	if k := len(runes); k > 0 && runes[k-1] == '\\' {
		// An odd run of backslashes at the end would escape the "…".
		run := 0
		for i := k - 1; i >= 0 && runes[i] == '\\'; i-- {
			run++
		}
		if run%2 == 1 {
			runes = runes[:k-1]
		}
	}
	return string(runes) + "…"
}
