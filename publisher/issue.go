package publisher

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

// Issue is one weekly newsletter issue.
type Issue struct {
	Title     string    // "[GDC] Weekly Newsletter September 1st"
	Slug      string    // "gdc-weekly-newsletter-september-1st"
	CUID      string    // cuid-like id, the same every time the issue is built
	Published time.Time // in the schedule's time zone, which names the day
	Tags      string    // Hashnode tags, comma separated
	Model     string    // model id that wrote the articles, named in the disclaimer
	Articles  []Article
}

// NewIssue assembles the issue published at published, whose location (the
// configured schedule time zone) decides the day in its title, slug and file
// name. model is the id of the model that actually wrote the articles.
func NewIssue(cfg config.Publisher, published time.Time, model string, articles []Article) *Issue {
	title := issueTitle(cfg.TitlePrefix, published)
	i := &Issue{
		Title:     title,
		Slug:      slugify(title),
		Published: published,
		Tags:      inlineText(cfg.Tags),
		Model:     strings.TrimSpace(model),
		Articles:  slices.Clone(articles),
	}
	i.CUID = deriveCUID(i.stem())
	return i
}

// FileName is the issue's file name, "<YYYY-MM-DD>-<slug>.md", dated in the
// location of Published.
func (i *Issue) FileName() string { return i.stem() + ".md" }

// stem identifies the issue: its date and slug. The slug alone repeats every
// year.
func (i *Issue) stem() string { return i.Published.Format(time.DateOnly) + "-" + i.Slug }

// Markdown renders the whole issue: front matter, one block per article and
// the closing 주의 section with cfg.Disclaimer, where {model} stands for
// i.Model (appended when the disclaimer lacks it). An empty disclaimer falls back to the default one; the issue never
// goes out without it. The document ends with exactly one newline.
func (i *Issue) Markdown(cfg config.Publisher) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	b.WriteString("title: " + yamlQuoted(i.Title) + "\n")
	b.WriteString("datePublished: " + formatDatePublished(i.Published) + "\n")
	b.WriteString("cuid: " + yamlScalar(i.CUID) + "\n")
	b.WriteString("slug: " + yamlScalar(i.Slug) + "\n")
	b.WriteString("tags: " + yamlScalar(i.Tags) + "\n")
	b.WriteString("\n---\n\n")
	for _, a := range i.Articles {
		b.WriteString(RenderArticle(a))
		b.WriteString("\n")
	}
	b.WriteString("## " + headingCaution + "\n\n")
	b.WriteString(guardLine("- "+disclaimer(cfg.Disclaimer, i.Model), true))
	b.WriteString("\n")
	return b.Bytes()
}

// disclaimer is the closing line naming the model. A template without
// {model} gets the model id appended, so the issue always says which model
// wrote it.
func disclaimer(template, model string) string {
	if strings.TrimSpace(template) == "" {
		template = config.Default().Publisher.Disclaimer
	}
	if !strings.Contains(template, "{model}") && strings.TrimSpace(model) != "" {
		template += " (모델: {model})"
	}
	return inlineText(strings.ReplaceAll(template, "{model}", model))
}

// formatDatePublished writes t in UTC the way Hashnode exports it:
// "Sun Sep 01 2024 21:15:52 GMT+0000 (Coordinated Universal Time)".
func formatDatePublished(t time.Time) string {
	return t.UTC().Format("Mon Jan 02 2006 15:04:05 GMT-0700") + " (Coordinated Universal Time)"
}
