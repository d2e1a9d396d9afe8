package hashnode

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTags is the most tags Hashnode takes on a post or draft.
const MaxTags = 15

// Mode is where Publish puts an issue.
type Mode string

// Modes.
const (
	// ModeDraft makes or updates a draft: the issue lands in the Hashnode
	// dashboard for a last look, and an editor publishes it there.
	ModeDraft Mode = "draft"
	// ModePublish makes or updates the published post.
	ModePublish Mode = "publish"
)

// ParseMode reads a configured mode; the empty string is ModeDraft.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return ModeDraft, nil
	case ModeDraft, ModePublish:
		return m, nil
	}
	return "", fmt.Errorf("hashnode: mode %q is neither %q nor %q", s, ModeDraft, ModePublish)
}

// Tag is a Hashnode tag: Hashnode finds it by Slug, or creates it with
// Name (the slug when empty).
type Tag struct {
	Slug string
	Name string
}

var (
	validSlug   = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	notSlugText = regexp.MustCompile(`[^a-z0-9]+`)
)

// ParseTags turns a comma-separated list ("newsletter, Go") into tags whose
// names are the trimmed entries and whose slugs are their lower-case ASCII
// letters and digits joined by hyphens ("newsletter", "go"). Empty entries
// and repeated slugs are dropped; an entry with no ASCII letter or digit
// keeps an empty slug, which Post validation reports.
func ParseTags(list string) []Tag {
	var out []Tag
	seen := map[string]bool{}
	for _, entry := range strings.Split(list, ",") {
		name := strings.TrimSpace(entry)
		if name == "" {
			continue
		}
		slug := strings.Trim(notSlugText.ReplaceAllString(strings.ToLower(name), "-"), "-")
		if slug != "" && seen[slug] {
			continue
		}
		seen[slug] = true
		out = append(out, Tag{Slug: slug, Name: name})
	}
	return out
}

// Post is what Publish sends for one issue.
type Post struct {
	Title string
	// Slug identifies the issue in the publication: Publish finds an
	// earlier post or draft of the issue by it.
	Slug string
	Tags []Tag
	// ContentMarkdown is the body without its front matter.
	ContentMarkdown string
	// PublishedAt is the publication date Hashnode shows.
	PublishedAt time.Time
}

// validate checks what Hashnode would refuse, or what would make the post
// impossible to find again, before anything is sent.
func (p Post) validate() error {
	var problems []string
	if strings.TrimSpace(p.Title) == "" {
		problems = append(problems, "no title")
	}
	if !validSlug.MatchString(p.Slug) {
		problems = append(problems, fmt.Sprintf("slug %q is not lower-case letters, digits and single hyphens", p.Slug))
	}
	if strings.TrimSpace(p.ContentMarkdown) == "" {
		problems = append(problems, "no content")
	} else if !utf8.ValidString(p.ContentMarkdown) {
		problems = append(problems, "content is not valid UTF-8")
	} else if strings.HasPrefix(p.ContentMarkdown, "---\n") {
		problems = append(problems, "content starts with front matter, which Hashnode would show as text")
	}
	if p.PublishedAt.IsZero() {
		problems = append(problems, "no publication date")
	}
	if len(p.Tags) > MaxTags {
		problems = append(problems, fmt.Sprintf("%d tags, Hashnode takes at most %d", len(p.Tags), MaxTags))
	}
	for _, t := range p.Tags {
		if !validSlug.MatchString(t.Slug) {
			problems = append(problems, fmt.Sprintf("tag %q has no valid slug (lower-case letters, digits and hyphens)", t.Name))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
