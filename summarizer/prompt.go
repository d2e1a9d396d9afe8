package summarizer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/template"

	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/prompts"
)

// promptSet is the parsed summarisation template and its version.
type promptSet struct {
	tmpl    *template.Template
	version string
}

// loadPrompts parses the embedded template, or the one in dir when dir is
// set.
func loadPrompts(dir string) (*promptSet, error) {
	var fsys fs.FS = prompts.FS
	where := "embedded prompts"
	if dir != "" {
		fsys, where = os.DirFS(dir), dir
	}
	b, err := fs.ReadFile(fsys, prompts.Summarize)
	if err != nil {
		return nil, fmt.Errorf("summarizer: read %s from %s: %w", prompts.Summarize, where, err)
	}
	t, err := template.New(prompts.Summarize).Option("missingkey=error").Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("summarizer: parse %s from %s: %w", prompts.Summarize, where, err)
	}
	for _, name := range []string{"system", "user", "correction"} {
		if t.Lookup(name) == nil {
			return nil, fmt.Errorf("summarizer: %s from %s does not define the %q template", prompts.Summarize, where, name)
		}
	}
	return &promptSet{tmpl: t, version: promptVersion(b, responseSchema())}, nil
}

// promptVersion is the first 12 hex digits of the SHA-256 of the template
// file and the response schema, which carries the field limits the
// template quotes: a change to either is a new prompt.
func promptVersion(template []byte, schema *genai.Schema) string {
	h := sha256.New()
	h.Write(template)
	// A Schema of plain fields always marshals; its maps are sorted.
	sb, _ := json.Marshal(schema)
	h.Write(sb)
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// promptData is what the templates see.
type promptData struct {
	Title, URL, SiteName, Language, Text string
	Instruction                          string
	Truncated                            bool
	Limits                               fieldLimits
	Violations                           []string
}

// prompt is one article's request text.
type prompt struct {
	System, User string
	// Text is the article text after trimming, and TextHash its SHA-256.
	Text, TextHash string
	Truncated      bool
}

// tokens estimates the system and user text together.
func (p *prompt) tokens() int { return EstimateTokens(p.System) + EstimateTokens(p.User) }

// build renders the prompt for in with the article text trimmed to budget
// estimated tokens.
func (ps *promptSet) build(in Input, budget int) (*prompt, error) {
	text := strings.ToValidUTF8(in.Text, "")
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmptyInput
	}
	text, truncated := fitText(text, budget)
	data := promptData{
		Title:       oneLine(in.Title),
		URL:         oneLine(in.URL),
		SiteName:    oneLine(in.SiteName),
		Language:    oneLine(in.Language),
		Text:        text,
		Instruction: strings.TrimSpace(strings.ToValidUTF8(in.Instruction, "")),
		Truncated:   truncated,
		Limits:      limits,
	}
	system, err := ps.render("system", data)
	if err != nil {
		return nil, err
	}
	user, err := ps.render("user", data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(text))
	return &prompt{
		System:    system,
		User:      user,
		Text:      text,
		TextHash:  hex.EncodeToString(sum[:]),
		Truncated: truncated,
	}, nil
}

// correction renders the follow-up turn listing what an answer got wrong.
func (ps *promptSet) correction(problems []string) (string, error) {
	return ps.render("correction", promptData{Limits: limits, Violations: problems})
}

func (ps *promptSet) render(name string, data promptData) (string, error) {
	var buf bytes.Buffer
	if err := ps.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("summarizer: render %q prompt: %w", name, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

// oneLine keeps a metadata value on the line the template gives it.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// PromptPreview is the exact request Summarize would send for an article,
// built without an API key or network access, for --dry-run.
type PromptPreview struct {
	Model         string
	PromptVersion string
	System        string
	User          string
	// EstimatedTokens estimates System and User together (see EstimateTokens).
	EstimatedTokens int
	// TextTokens estimates the article text after trimming to
	// gemini.input_token_budget; Truncated reports whether it was cut.
	TextTokens int
	Truncated  bool
}

// Preview renders the prompt Summarize would send for in under cfg.
func Preview(cfg config.Gemini, in Input) (*PromptPreview, error) {
	ps, err := loadPrompts(cfg.PromptsDir)
	if err != nil {
		return nil, err
	}
	p, err := ps.build(in, cfg.InputTokenBudget)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", in.URL, err)
	}
	return &PromptPreview{
		Model:           cfg.Model,
		PromptVersion:   ps.version,
		System:          p.System,
		User:            p.User,
		EstimatedTokens: p.tokens(),
		TextTokens:      EstimateTokens(p.Text),
		Truncated:       p.Truncated,
	}, nil
}
