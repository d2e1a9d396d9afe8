package fetcher

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/retry"
)

// fileTypes maps the extensions of local files to the type they are read
// as; other files are sniffed.
var fileTypes = map[string]string{
	".html":     "text/html",
	".htm":      "text/html",
	".xhtml":    "text/html",
	".md":       "text/markdown",
	".markdown": "text/markdown",
	".txt":      "text/plain",
	".pdf":      "application/pdf",
}

// ReadFile reads a local file as a page, for the commands that extract or
// summarise a file instead of a URL. It applies the rules of a fetched
// body: the size cap, the accepted types, and the checks for compressed
// and binary bytes. FinalURL is the file's file:// URL. Errors name the
// file and are permanent.
func (f *Fetcher) ReadFile(path string) (*Page, error) {
	page, err := f.readFile(path)
	if err != nil {
		return nil, retry.Never(fmt.Errorf("fetcher: %s: %w", path, err))
	}
	return page, nil
}

func (f *Fetcher) readFile(path string) (*Page, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer quiet.Close(file) // only read
	if st, err := file.Stat(); err == nil && st.Size() > f.cfg.MaxBodyBytes {
		return nil, tooLarge(f.cfg.MaxBodyBytes)
	}
	body, err := io.ReadAll(&capReader{r: file, left: f.cfg.MaxBodyBytes, limit: f.cfg.MaxBodyBytes})
	if err != nil {
		return nil, err
	}
	mediaType := fileTypes[strings.ToLower(filepath.Ext(path))]
	if mediaType == "" {
		mediaType = resolveType("", body, path)
	}
	mediaType, text, err := f.convert(body, mediaType, "")
	if err != nil {
		return nil, err
	}
	u := "file://" + filepath.ToSlash(abs)
	return &Page{RequestURL: u, FinalURL: u, MediaType: mediaType, Body: text, FetchedAt: f.clock.Now()}, nil
}
