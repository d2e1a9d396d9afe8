package publisher

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/godevcommunity/newsletter/entry"
)

// Section headings, written by code and always in Korean.
const (
	headingSummary        = "요약"
	headingIntroduction   = "소개"
	headingRecommendation = "추천"
	headingReference      = "참고"
	headingCaution        = "주의"
	// creditLabel starts the line crediting who submitted an article.
	creditLabel = "보내 주신 분:"
	// tocHeading is the text before the list of the week's titles.
	tocLead = "이번 호에 실린 글:"
)

// Article is one summarised article of an issue: its sections (TitleKo
// for the "## " heading, then 요약, 소개, 추천 and 주의) and its link.
type Article struct {
	entry.Sections
	Link     string // canonical URL (absolute http/https)
	LinkText string // source title; the renderer falls back to the URL when empty
	// SubmittedBy, when set, is credited under the link.
	SubmittedBy string
}

// Validate reports what keeps a from being published: a missing title,
// summary or introduction, or a link that is not an absolute http(s) URL.
// RenderArticle renders any Article safely; Validate is for the caller that
// wants to refuse an incomplete one instead.
func (a Article) Validate() error {
	var errs []error
	for _, f := range entry.Fields {
		if f.Required() && strings.TrimSpace(a.Get(f)) == "" {
			errs = append(errs, fmt.Errorf("missing %s", f))
		}
	}
	if !absoluteHTTP(a.Link) {
		errs = append(errs, errors.New("link is not an absolute http(s) URL"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("article %q: %w", a.Link, err)
	}
	return nil
}

// absoluteHTTP reports whether link is an absolute http or https URL.
func absoluteHTTP(link string) bool {
	u, err := url.Parse(strings.TrimSpace(link))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// RenderArticle renders a as exactly one markdown block: a "## " heading with
// the title, then the 요약, 소개, 추천, 참고 and 주의 sections, one blank line
// between blocks, ending with a single "\n". A section whose text is empty is
// left out; the 참고 section holds the link, written from Link and LinkText.
// A Link that is not an absolute http(s) URL is shown as text, never linked:
// a site-relative link would be broken outside its site.
func RenderArticle(a Article) string {
	var b strings.Builder
	b.WriteString("## ")
	b.WriteString(headingText(a))
	b.WriteString("\n")
	writeSection(&b, headingSummary, fieldText(a.Summary))
	writeSection(&b, headingIntroduction, fieldText(a.Introduction))
	writeSection(&b, headingRecommendation, fieldText(a.Recommendation))
	ref := referenceLink(a.Link, a.LinkText)
	if by := inlineText(a.SubmittedBy); by != "" {
		ref += "\n\n" + creditLabel + " " + escapeLiteral(by)
	}
	writeSection(&b, headingReference, ref)
	writeSection(&b, headingCaution, fieldText(a.Caution))
	return b.String()
}

func writeSection(b *strings.Builder, heading, body string) {
	if body == "" {
		return
	}
	b.WriteString("\n### ")
	b.WriteString(heading)
	b.WriteString("\n\n")
	b.WriteString(body)
	b.WriteString("\n")
}
