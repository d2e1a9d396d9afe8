package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// summarizeCmd is the one-off `newsletter --url URL`: fetch, extract,
// summarise and print one article's block.
func (a *app) summarizeCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "--url URL", "[--json] [--dry-run] [--no-cache]")
	target := c.fs.String("url", "", "article `URL`, or a local HTML, markdown or text file")
	asJSON := c.fs.Bool("json", false, "print the sections, usage and model as JSON")
	dryRun := c.fs.Bool("dry-run", false, "stop before Gemini: print the prompt and its token estimate")
	noCache := c.fs.Bool("no-cache", false, "do not read or write the summary cache in the database (store.path)")
	if err := c.parse(args); err != nil {
		return err
	}
	if *target == "" || len(c.Args()) > 0 {
		return c.usageError("--url URL is required (and takes no other arguments)")
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck // best effort on exit
	if !*dryRun && cfg.Gemini.APIKey == "" {
		return errNoAPIKey("; --dry-run works without one")
	}
	fmt.Fprintf(a.stderr, "fetching %s\n", *target)
	art, err := loadArticle(ctx, cfg.Fetcher, log, *target)
	if err != nil {
		return err
	}
	in := summarizer.Input{Title: art.Title, URL: art.CanonicalURL, SiteName: art.SiteName, Language: art.Language, Text: art.Text}
	if *dryRun {
		p, err := summarizer.Preview(cfg.Gemini, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "=== system\n%s\n\n=== user\n%s\n", p.System, p.User)
		trimmed := ""
		if p.Truncated {
			trimmed = ", article text trimmed to the budget"
		}
		fmt.Fprintf(a.stderr, "prompt: about %d tokens (article text %d, budget %d%s), model %s, prompt version %s\n",
			p.EstimatedTokens, p.TextTokens, cfg.Gemini.InputTokenBudget, trimmed, p.Model, p.PromptVersion)
		return nil
	}
	var cache summarizer.Cache
	if !*noCache {
		db, err := store.Open(ctx, cfg.Store.Path)
		if err != nil {
			return err
		}
		defer db.Close()
		cache = db
	}
	s, err := summarizer.New(ctx, cfg.Gemini, cache, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "summarising %q with %s\n", art.Title, s.Model())
	res, err := s.Summarize(ctx, in)
	if err != nil {
		return err // "summarize URL: reason"
	}
	cost, cached := s.Cost(res.Usage), ""
	if res.Cached {
		cached = " (cached)"
	}
	fmt.Fprintf(a.stderr, "done: %d prompt + %d output tokens, about $%.4f%s\n",
		res.Usage.PromptTokens, res.Usage.OutputTokens, cost, cached)
	block := publisher.Article{
		Title: res.TitleKo, Summary: res.Summary, Introduction: res.Introduction,
		Recommendation: res.Recommendation, Caution: res.Caution,
		Link: art.CanonicalURL, LinkText: art.Title,
	}
	if !*asJSON {
		_, err := fmt.Fprint(a.stdout, publisher.RenderArticle(block))
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		summarizer.Sections
		Link          string           `json:"link"`
		SourceTitle   string           `json:"source_title"`
		Model         string           `json:"model"`
		PromptVersion string           `json:"prompt_version"`
		Usage         summarizer.Usage `json:"usage"`
		CostUSD       float64          `json:"cost_usd"`
		Cached        bool             `json:"cached"`
	}{res.Sections, art.CanonicalURL, art.Title, res.Model, res.PromptVersion, res.Usage, cost, res.Cached})
}
