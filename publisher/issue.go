package publisher

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

// Issue is one weekly newsletter issue.
type Issue struct {
	Title     string    // "[GDC] Weekly Newsletter September 1st"
	Slug      string    // "gdc-weekly-newsletter-september-1st-2024": unique across years
	CUID      string    // Hashnode's 25-character id, made once per issue (NewCUID)
	Published time.Time // in the schedule's time zone, which names the day
	Tags      string    // Hashnode tags, comma separated
	Model     string    // model id that wrote the articles, named in the disclaimer
	// Intro is the editors' opening paragraph, "" for none.
	Intro    string
	Articles []Article
	// Written is the SHA-256 (hex) of the file as last written, "" for an
	// issue never written: a file that differs from it was edited by hand.
	Written string
}

// NewIssue assembles the issue published at published, whose location (the
// configured schedule time zone) decides the day in its title, slug and file
// name. model is the id of the model that actually wrote the articles.
// A new issue gets a random CUID (NewCUID); an issue built again keeps the
// Slug and CUID it was first given.
func NewIssue(cfg config.Publisher, published time.Time, model string, articles []Article) *Issue {
	title := issueTitle(cfg.TitlePrefix, published)
	return &Issue{
		Title:     title,
		Slug:      IssueSlug(title, published),
		CUID:      NewCUID(),
		Published: published,
		Tags:      inlineText(cfg.Tags),
		Model:     strings.TrimSpace(model),
		Articles:  slices.Clone(articles),
	}
}

// IssueSlug is the slug of an issue titled title published on date: the
// title's words and the year, so that September 1st of one year does not
// collide with the next's.
func IssueSlug(title string, date time.Time) string {
	return slugify(title) + "-" + strconv.Itoa(date.Year())
}

// FileName is the issue's file name, "<YYYY-MM-DD>-<title words>.md", dated
// in the location of Published.
func (i *Issue) FileName() string {
	return i.Published.Format(time.DateOnly) + "-" + slugify(i.Title) + ".md"
}

// Markdown renders the whole issue: front matter, the editors' opening
// paragraph, the list of the week's titles (cfg.TOC), one block per article
// (crediting its submitter with cfg.CreditSubmitter) and the closing 주의
// section with cfg.Disclaimer, where {model} stands for
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
	if intro := fieldText(i.Intro); intro != "" {
		b.WriteString(intro + "\n\n")
	}
	if cfg.TOC && len(i.Articles) > 0 {
		b.WriteString(tocLead + "\n\n")
		for _, a := range i.Articles {
			b.WriteString(fieldText("- "+headingText(a)) + "\n")
		}
		b.WriteString("\n")
	}
	for _, a := range i.Articles {
		if !cfg.CreditSubmitter {
			a.SubmittedBy = ""
		}
		b.WriteString(RenderArticle(a))
		b.WriteString("\n")
	}
	b.WriteString("## " + headingCaution + "\n\n")
	b.WriteString(fieldText("- " + disclaimer(cfg.Disclaimer, i.Model)))
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
