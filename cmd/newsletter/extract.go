package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
)

func init() { commands["extract"] = (*app).extractCmd }

// extractCmd is `newsletter extract URL|FILE [--json]`: the worker's first
// step (fetch and extract) for one page, and its article printed.
func (a *app) extractCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "extract", "URL|FILE [--json]", fetchFlags...)
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
	src, err := articleSource(cfg.Fetcher, log, c.Args()[0])
	if err != nil {
		return err
	}
	art, err := pipeline.NewProcessor(pipeline.Env{Fetcher: src, Extract: extractFunc(cfg.Extractor), Log: log}, cfg.Worker).Prepare(ctx, c.Args()[0])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(articleJSON(art))
	}
	_, err = fmt.Fprintf(a.stdout, "# %s\n\n%s\n", art.Title, strings.TrimSpace(art.Text))
	return err
}

// isURL reports whether target names a URL rather than a local file.
func isURL(target string) bool { return strings.Contains(target, "://") }

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// extractedJSON is an extracted article as `extract --json` prints it.
type extractedJSON struct {
	URL          string     `json:"url"`
	CanonicalURL string     `json:"canonical_url"`
	Title        string     `json:"title"`
	SiteName     string     `json:"site_name,omitempty"`
	Author       string     `json:"author,omitempty"`
	Published    *time.Time `json:"published,omitempty"`
	Language     string     `json:"language,omitempty"`
	Text         string     `json:"text"`
	WordCount    int        `json:"word_count"`
	TextHash     string     `json:"text_hash"`
}

func articleJSON(a store.Article) extractedJSON {
	j := extractedJSON{URL: a.FinalURL, CanonicalURL: a.CanonicalURL, Title: a.Title, SiteName: a.SiteName,
		Author: a.Author, Language: a.Language, Text: a.Text, WordCount: a.WordCount, TextHash: a.TextHash}
	if !a.Published.IsZero() {
		t := a.Published
		j.Published = &t
	}
	return j
}
