package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/publisher/feed"
)

// The public archive: the published issues as web pages and an Atom feed,
// for anyone, when server.public_archive is on. It never shows what is
// not published yet.

//go:embed archive/page.html
var archiveFS embed.FS

// feedEntries bounds the feed to the latest issues.
const feedEntries = 20

var archiveTemplates = func() map[string]*template.Template {
	base := template.Must(template.ParseFS(archiveFS, "archive/page.html"))
	pages := map[string]string{
		"list": `{{define "main"}}<h1>{{.Site}}</h1>{{if .Issues}}<ul>{{range .Issues}}<li><a href="/issues/{{.Slug}}">{{.Title}}</a> <span class="date">{{.Date}}</span></li>{{end}}</ul>{{else}}<p>아직 발행된 호가 없습니다.</p>{{end}}{{end}}`,
		"issue": `{{define "main"}}<h1>{{.Title}}</h1><p class="date">{{.Date}}</p>{{.Body}}` +
			`{{if or .Older .Newer}}<nav class="pager" aria-label="호 이동">` +
			`{{with .Older}}<a rel="prev" href="/issues/{{.Slug}}">← 이전 호: {{.Title}}</a>{{end}}` +
			`{{with .Newer}}<a rel="next" href="/issues/{{.Slug}}">다음 호: {{.Title}} →</a>{{end}}</nav>{{end}}{{end}}`,
	}
	out := map[string]*template.Template{}
	for name, main := range pages {
		out[name] = template.Must(template.Must(base.Clone()).Parse(main))
	}
	return out
}()

type archiveItem struct{ Title, Slug, Date string }

type archivePage struct {
	Site, Title, FeedURL, Date string
	Issues                     []archiveItem
	Body                       template.HTML
	// Older and Newer are the issues before and after this one, nil at
	// either end.
	Older, Newer *archiveItem
}

// site names the archive in its pages and feed (server.archive_title).
func (s *Server) site() string { return s.opts.Server.ArchiveTitle }

// day is an issue's date as readers see it: the desk dates issues in the
// schedule's time zone.
func (s *Server) day(is api.Issue) string {
	return is.Date.Format(time.DateOnly)
}

func (s *Server) archiveList(w http.ResponseWriter, r *http.Request) {
	issues, err := s.opts.Desk.PublishedIssues(r.Context(), 0)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	page := archivePage{Site: s.site(), Title: s.site(), FeedURL: "/feed.xml"}
	for _, is := range issues {
		page.Issues = append(page.Issues, archiveItem{Title: is.Title, Slug: is.Slug, Date: s.day(is)})
	}
	s.renderArchive(w, r, "list", page)
}

func (s *Server) archiveIssue(w http.ResponseWriter, r *http.Request) {
	is, ok := s.publishedIssue(w, r, r.PathValue("slug"))
	if !ok {
		return
	}
	body, _, err := publisher.IssueHTML([]byte(is.Markdown))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	page := archivePage{Site: s.site(), Title: is.Title, FeedURL: "/feed.xml", Date: s.day(is), Body: body}
	all, err := s.opts.Desk.PublishedIssues(r.Context(), 0) // newest first
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	for i, o := range all {
		if o.ID != is.ID {
			continue
		}
		if i > 0 {
			page.Newer = &archiveItem{Title: all[i-1].Title, Slug: all[i-1].Slug, Date: s.day(all[i-1])}
		}
		if i+1 < len(all) {
			page.Older = &archiveItem{Title: all[i+1].Title, Slug: all[i+1].Slug, Date: s.day(all[i+1])}
		}
	}
	s.renderArchive(w, r, "issue", page)
}

// archiveMarkdown is an issue's markdown, for download.
func (s *Server) archiveMarkdown(w http.ResponseWriter, r *http.Request) {
	slug, md := strings.CutSuffix(r.PathValue("file"), ".md")
	if !md {
		http.NotFound(w, r)
		return
	}
	is, ok := s.publishedIssue(w, r, slug)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.md"`, is.Slug))
	var modified time.Time
	if is.ContentAt != nil {
		modified = *is.ContentAt
	}
	http.ServeContent(w, r, "", modified, strings.NewReader(is.Markdown))
}

// publishedIssue reads the published issue with slug; false when it has
// answered instead (404 when there is none, 500 for a failure).
func (s *Server) publishedIssue(w http.ResponseWriter, r *http.Request, slug string) (api.Issue, bool) {
	is, err := s.opts.Desk.PublishedIssue(r.Context(), slug)
	switch {
	case desk.AsError(err).Kind == desk.NotFound:
		http.NotFound(w, r)
		return api.Issue{}, false
	case err != nil:
		s.internalError(w, r, err)
		return api.Issue{}, false
	}
	return is, true
}

func (s *Server) renderArchive(w http.ResponseWriter, r *http.Request, name string, page archivePage) {
	var b bytes.Buffer
	if err := archiveTemplates[name].ExecuteTemplate(&b, name, page); err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https:; "+frameDeny)
	_, _ = w.Write(b.Bytes())
}

// feedXML is the archive's Atom feed: the latest published issues, each
// with its whole content. Ids are tag: URIs made of the public host, a
// year and the issue's CUID, which never change: the feed's year is the
// year of the first issue, an entry's that of its issue.
func (s *Server) feedXML(w http.ResponseWriter, r *http.Request) {
	issues, err := s.opts.Desk.PublishedIssues(r.Context(), 0) // newest first
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	since := s.opts.Clock.Now().Year() // no issue yet: the first will be this year's
	if len(issues) > 0 {
		since = issues[len(issues)-1].Date.Year()
	}
	issues = issues[:min(len(issues), feedEntries)]
	base := strings.TrimRight(s.publicBase(), "/")
	host := "newsletter.invalid"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	f := feed.Feed{
		ID: fmt.Sprintf("tag:%s,%d:newsletter", host, since), Title: s.site(), Language: "ko",
		Author: feed.Person{Name: s.site()}, SelfURL: base + "/feed.xml", HTMLURL: base + "/issues",
	}
	if len(issues) == 0 {
		f.Updated = s.opts.Clock.Now() // an empty feed still says when it was read
	}
	for _, is := range issues {
		body, _, err := publisher.IssueHTML([]byte(is.Markdown))
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		var published, updated time.Time
		if is.PublishedAt != nil {
			published = *is.PublishedAt
		}
		if is.ContentAt != nil {
			updated = *is.ContentAt
		}
		f.Entries = append(f.Entries, feed.Entry{
			ID:    fmt.Sprintf("tag:%s,%d:issue:%s", host, is.Date.Year(), is.CUID),
			Title: is.Title, URL: base + "/issues/" + is.Slug,
			Published: published, Updated: updated, HTML: string(body),
		})
	}
	out, err := f.Marshal()
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", feed.ContentType)
	_, _ = w.Write(out)
}

// publicBase is where readers reach the server.
func (s *Server) publicBase() string {
	if s.opts.Server.PublicURL != "" {
		return s.opts.Server.PublicURL
	}
	return s.opts.Server.URL
}
