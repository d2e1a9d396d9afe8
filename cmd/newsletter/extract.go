package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
)

func init() { commands["extract"] = (*app).extractCmd }

// extractCmd is `newsletter extract URL|FILE [--json]`.
func (a *app) extractCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "extract", "URL|FILE [--json]")
	asJSON := c.fs.Bool("json", false, "print every field as JSON")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.Args()) != 1 {
		return c.usageError("extract takes exactly one URL or FILE, got %d arguments", len(c.Args()))
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck // best effort on exit
	art, err := loadArticle(ctx, cfg.Fetcher, log, c.Args()[0])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(art)
	}
	fmt.Fprintf(a.stdout, "# %s\n\n%s\n", art.Title, strings.TrimSpace(art.Text))
	return nil
}

// loadArticle fetches and extracts target, a URL, or reads and extracts a
// local file.
func loadArticle(ctx context.Context, cfg config.Fetcher, log *zap.Logger, target string) (*extractor.Article, error) {
	if !strings.Contains(target, "://") {
		return extractFile(target)
	}
	f, err := fetcher.New(cfg, log)
	if err != nil {
		return nil, err
	}
	page, err := f.Fetch(ctx, target)
	if err != nil {
		return nil, err
	}
	return extractor.Extract(page.Body, page.FinalURL, page.MediaType)
}

func extractFile(path string) (*extractor.Article, error) {
	body, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && looksLikeHost(path) {
		return nil, fmt.Errorf("%w; to fetch a page, give its URL with the scheme: https://%s", err, path)
	}
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	mediaType := "text/html"
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		mediaType = "text/markdown"
	case ".txt":
		mediaType = "text/plain"
	}
	// Errors name the file by its file:// URL.
	return extractor.Extract(body, "file://"+filepath.ToSlash(abs), mediaType)
}

// looksLikeHost reports whether a missing file's name reads as a URL typed
// without its scheme ("go.dev/blog/unique").
func looksLikeHost(path string) bool {
	host, _, _ := strings.Cut(path, "/")
	return strings.Contains(host, ".") && !strings.HasPrefix(path, ".") &&
		!strings.Contains(filepath.Base(path), ".htm") && filepath.Ext(host) != ".md"
}
