package publisher

import "context"

// Publisher delivers a rendered issue to where readers get it.
//
// content is the whole document from Issue.Markdown, front matter included.
// Publishing must be idempotent per issue: publishing the same issue again
// (same Slug and publication date) replaces what was published before and
// never adds a second copy, so a retried weekly run is safe.
//
// A Hashnode publisher would implement this with Hashnode's GraphQL API:
// publishPost for a new issue, or updatePost when a post with the issue's
// slug already exists, sending Title, Slug, Tags and the markdown body
// without the front matter, and returning the post's URL in Location.URL.
type Publisher interface {
	Publish(ctx context.Context, issue *Issue, content []byte) (Location, error)
}

// Location is where a Publisher put an issue: a URL for one that serves it
// over HTTP, a file path for one that writes it to disk.
type Location struct {
	URL  string
	Path string
	// KeptCopy is where a copy changed by hand since it was last written
	// was kept, instead of being replaced silently; "" when none was.
	KeptCopy string
}

// String returns the URL, or the path when there is no URL.
func (l Location) String() string {
	if l.URL != "" {
		return l.URL
	}
	return l.Path
}
