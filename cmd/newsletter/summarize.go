package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/urlnorm"
)

func init() { commands["summarize"] = (*app).summarizeSubCmd }

// summarizeCmd is the one-off `newsletter --url URL`: the worker's steps
// (fetch, extract, summarise) for one article, and its block printed.
func (a *app) summarizeCmd(ctx context.Context, args []string) error {
	return a.summarize(ctx, args, false)
}

// summarizeSubCmd is `newsletter summarize URL`, the same as --url URL.
func (a *app) summarizeSubCmd(ctx context.Context, args []string) error {
	return a.summarize(ctx, args, true)
}

func (a *app) summarize(ctx context.Context, args []string, sub bool) error {
	name, synopsis := "--url URL", "[--json] [--dry-run] [--no-cache]"
	if sub {
		name, synopsis = "summarize", "URL|FILE [--json] [--dry-run] [--no-cache]"
	}
	c := newFlags(a, name, synopsis, append(append([]string{"db"}, fetchFlags...), geminiFlags...)...)
	target := new(string)
	if !sub {
		target = c.fs.String("url", "", "article `URL`, or a local HTML, markdown or text file")
	}
	asJSON := c.fs.Bool("json", false, "print the sections, usage and model as JSON")
	dryRun := c.fs.Bool("dry-run", false, "stop before Gemini: print the prompt and its token estimate")
	noCache := c.fs.Bool("no-cache", false, "do not read or write the summary cache in the database (store.path)")
	if err := c.parse(args); err != nil {
		return err
	}
	switch {
	case sub && len(c.Args()) == 1:
		*target = c.Args()[0]
	case sub:
		return c.usageError("summarize takes one URL or FILE, got %d arguments", len(c.Args()))
	case *target == "" || len(c.Args()) > 0:
		return c.usageError("--url URL is required (and takes no other arguments)")
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck // best effort on exit
	if !*dryRun && needsGeminiKey(cfg) {
		return errNoAPIKey("; --dry-run works without one")
	}
	env := pipeline.Env{Log: log, Extract: extractFunc(cfg.Extractor)}
	if env.Fetcher, err = articleSource(cfg.Fetcher, log, *target); err != nil {
		return err
	}
	if !*dryRun {
		var cache summarizer.Cache
		if !*noCache {
			db, err := store.Open(ctx, cfg.Store.Path)
			if err != nil {
				return err
			}
			defer quiet.Close(db) // the cache's writes are committed; closing only releases it
			cache = db
		}
		s, err := summarizer.Build(ctx, cfg, cfg.Summarizer.Provider, cache, log)
		if err != nil {
			return err
		}
		if err := s.Check(ctx); retry.IsOutage(err) {
			return exitError{code: 2, err: err} // a refused key or an unknown model
		}
		env.Summarizer = s
	}
	proc := pipeline.NewProcessor(env, cfg.Worker)

	tell(a.stderr, "fetching %s\n", *target)
	art, err := proc.Prepare(ctx, *target)
	if err != nil {
		return err
	}
	if *dryRun {
		return a.printPrompt(cfg, pipeline.SummaryInput(art))
	}
	tell(a.stderr, "summarising %q with %s\n", art.Title, summarizer.ModelOf(cfg, cfg.Summarizer.Provider))
	res, err := proc.Summarize(ctx, art, "", true)
	if err != nil {
		return err // "summarize URL: reason"
	}
	cached := ""
	if res.Cached {
		cached = " (cached)"
	}
	tell(a.stderr, "done: %d prompt + %d output tokens, about $%.4f%s\n",
		res.Usage.PromptTokens, res.Usage.OutputTokens, res.Usage.CostUSD, cached)
	if !*asJSON {
		_, err := fmt.Fprint(a.stdout, publisher.RenderArticle(pipeline.Entry(art, pipeline.SummaryOf(0, art, res))))
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		entry.Sections
		Link          string           `json:"link"`
		SourceTitle   string           `json:"source_title"`
		Model         string           `json:"model"`
		PromptVersion string           `json:"prompt_version"`
		Usage         summarizer.Usage `json:"usage"`
		CostUSD       float64          `json:"cost_usd"`
		Cached        bool             `json:"cached"`
	}{res.Sections, art.CanonicalURL, art.Title, res.Model, res.PromptVersion, res.Usage, res.Usage.CostUSD, res.Cached})
}

// printPrompt prints the request --url would send, for --dry-run.
func (a *app) printPrompt(all config.Config, in summarizer.Input) error {
	cfg := all.Gemini // the prompts and budgets, whichever provider answers
	p, err := summarizer.Preview(cfg, in)
	if err != nil {
		return err
	}
	p.Model = summarizer.ModelOf(all, all.Summarizer.Provider)
	if _, err := fmt.Fprintf(a.stdout, "=== system\n%s\n\n=== user\n%s\n", p.System, p.User); err != nil {
		return err
	}
	trimmed := ""
	if p.Truncated {
		trimmed = ", article text trimmed to the budget"
	}
	tell(a.stderr, "prompt: about %d tokens (article text %d, budget %d%s), model %s, prompt version %s\n",
		p.EstimatedTokens, p.TextTokens, cfg.InputTokenBudget, trimmed, p.Model, p.PromptVersion)
	return nil
}

// articleSource is where the one-off commands read target from: the
// fetcher for a URL, a local file otherwise, with the same checks.
func articleSource(cfg config.Fetcher, log *zap.Logger, target string) (pipeline.Fetcher, error) {
	f, err := fetcher.New(cfg, log.Named("fetcher"))
	if err != nil {
		return nil, err
	}
	if isURL(target) {
		return f, nil
	}
	return localFile{f}, nil
}

// localFile reads a local file as a page (fetcher.ReadFile).
type localFile struct{ f *fetcher.Fetcher }

// A name that is no file but reads as a link typed without its scheme
// ("go.dev/blog/unique") is fetched as urlnorm takes it, over https, as the
// API and the desk take such a link.
func (l localFile) Fetch(ctx context.Context, path string) (*fetcher.Page, error) {
	if !fileExists(path) && !strings.Contains(path, "://") && !fileName(path) {
		if u, err := urlnorm.Normalize(path); err == nil {
			return l.f.Fetch(ctx, u)
		}
	}
	return l.f.ReadFile(path)
}

// fileName reports whether path's first element reads as the name of a
// file ("page.html", "notes.md"), not of a host.
func fileName(path string) bool {
	first, _, _ := strings.Cut(filepath.ToSlash(path), "/")
	switch strings.ToLower(filepath.Ext(first)) {
	case ".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".pdf", ".xml", ".json":
		return true
	}
	return false
}
