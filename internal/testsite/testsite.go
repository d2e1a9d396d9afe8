// Package testsite serves article pages on a loopback httptest server, for
// the tests of the packages that fetch, extract and summarise them.
package testsite

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Page is what the site answers at one path.
type Page struct {
	Title     string
	Canonical string // path of the canonical URL; empty for none
	Status    int    // 0 means 200
	Body      string // served as is instead of an article, when set
	// Block, if set, holds the response until it is closed or the request
	// ends; Entered, if set, is closed when the first request arrives.
	Block   chan struct{}
	Entered chan struct{}
}

// Site is a loopback server of article pages. Paths without a page are 404.
type Site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]Page
	hits  map[string]int
}

// New starts a site that is closed when the test ends.
func New(t testing.TB) *Site {
	s := &Site{pages: map[string]Page{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Add serves an article titled title at path and returns its URL.
func (s *Site) Add(path, title string) string { return s.Set(path, Page{Title: title}) }

// Set serves p at path and returns its URL.
func (s *Site) Set(path string, p Page) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
	return s.URL + path
}

// Hits is how many requests path has had.
func (s *Site) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.hits[r.URL.Path]++
	if p.Entered != nil {
		select {
		case <-p.Entered:
		default:
			close(p.Entered)
		}
	}
	s.mu.Unlock()
	if p.Block != nil {
		select {
		case <-p.Block:
		case <-r.Context().Done():
			return
		}
	}
	if !ok || p.Status == http.StatusNotFound {
		http.NotFound(w, r)
		return
	}
	if p.Status != 0 {
		http.Error(w, http.StatusText(p.Status), p.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	body := p.Body
	if body == "" {
		body = ArticleHTML(p.Title, s.URL, p.Canonical)
	}
	// A client that went away has what it read; the test judges that.
	_, _ = io.WriteString(w, body)
}

// ArticleHTML is the page of an article titled title, three paragraphs long,
// with a canonical link to base+canonical when canonical is set.
func ArticleHTML(title, base, canonical string) string {
	var link string
	if canonical != "" {
		link = `<link rel="canonical" href="` + base + canonical + `">`
	}
	t := html.EscapeString(title)
	return `<!doctype html><html lang="en"><head><title>` + t + `</title>` + link + `
<meta property="og:site_name" content="Example Blog"></head><body><article><h1>` + t + `</h1>
<p>` + t + ` is the subject of this post. It shows how to use it in everyday code, and where other tools remain the better choice for the job.</p>
<p>We start with a small program and continue with a larger service. Each example explains the trade-offs it makes and the alternatives considered.</p>
<p>Finally we look at the costs at build time and at run time, and at the rules that keep the code short and readable for the whole team.</p>
</article></body></html>`
}
