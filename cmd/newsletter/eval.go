package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/summarizer/eval"
)

func init() { commands["eval"] = (*app).evalCmd }

// evalCmd is `newsletter eval`: every article of a directory summarised
// by each configured provider with each prompt template, and the figures
// printed side by side (package eval).
func (a *app) evalCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "eval", "--pages DIR [--providers P,P] [--prompts DIR,DIR] [--tier standard|flex] [--limit N] [--json]",
		append(fetchFlags, geminiFlags...)...)
	pages := c.fs.String("pages", "", "a `DIR` of pages (HTML, markdown, text, PDF), or of corpus directories each with a source.html")
	providers := c.fs.String("providers", "", "the providers to compare, a comma-separated `LIST` (default: summarizer.provider and summarizer.fallback)")
	prompts := c.fs.String("prompts", "", "prompt template directories to compare, a comma-separated `LIST`, \"embedded\" for the built-in one (default: gemini.prompts_dir)")
	tier := c.fs.String("tier", config.TierStandard, "Gemini's service `TIER`: standard, or flex as the worker uses away from an issue's deadline (a flex refusal then counts as a failure and the latency includes the queueing)")
	limit := c.fs.Int("limit", 0, "summarise at most `N` articles (0: all)")
	asJSON := c.fs.Bool("json", false, "print the report as JSON")
	if err := c.parse(args); err != nil {
		return err
	}
	if *pages == "" || len(c.Args()) > 0 {
		return c.usageError("--pages DIR is required (and eval takes no other arguments)")
	}
	if *tier != config.TierStandard && *tier != config.TierFlex {
		return c.usageError("--tier %q: want %s or %s", *tier, config.TierStandard, config.TierFlex)
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck // best effort on exit
	files, err := evalFiles(*pages)
	if err != nil {
		return err
	}
	if *limit > 0 && len(files) > *limit {
		files = files[:*limit]
	}
	names := splitList(*providers)
	if len(names) == 0 {
		names = []string{cfg.Summarizer.Provider}
		if cfg.Summarizer.Fallback != "" {
			names = append(names, cfg.Summarizer.Fallback)
		}
	}
	dirs := splitList(*prompts)
	if len(dirs) == 0 {
		dirs = []string{cfg.Gemini.PromptsDir}
	}
	var runs []eval.Run
	for _, p := range names {
		if p == config.ProviderGemini && cfg.Gemini.APIKey == "" {
			return errNoAPIKey(" to evaluate Gemini")
		}
		for _, dir := range dirs {
			run := cfg
			if *tier == config.TierFlex {
				run.Gemini.ServiceTier = config.TierFlex
			}
			if dir == "embedded" {
				dir = ""
			}
			run.Gemini.PromptsDir = dir
			s, err := summarizer.Build(ctx, run, p, nil, log)
			if err != nil {
				return err
			}
			label := dir
			if label == "" {
				label = "embedded"
			}
			runs = append(runs, eval.Run{Prompt: label, S: s, Flex: *tier == config.TierFlex && p == config.ProviderGemini})
		}
	}

	env := pipeline.Env{Log: log, Extract: extractFunc(cfg.Extractor)}
	var articles []eval.Article
	for _, f := range files {
		if env.Fetcher, err = articleSource(cfg.Fetcher, log, f); err != nil {
			return err
		}
		art, err := pipeline.NewProcessor(env, cfg.Worker).Prepare(ctx, f)
		if err != nil {
			tell(a.stderr, "skipped %s: %v\n", f, err)
			continue
		}
		articles = append(articles, eval.Article{Name: evalName(*pages, f), In: pipeline.SummaryInput(art)})
	}
	if len(articles) == 0 {
		return fmt.Errorf("eval: no readable article in %s", *pages)
	}
	tell(a.stderr, "evaluating %d articles with %d runs\n", len(articles), len(runs))
	rep, err := eval.Evaluate(ctx, runs, articles, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	return rep.Markdown(a.stdout)
}

// evalFiles lists the articles of dir: its pages, or the source.html of
// each of its directories (the corpus's layout), sorted.
func evalFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	var out []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if src := filepath.Join(p, "source.html"); fileExists(src) {
				out = append(out, src)
			}
			continue
		}
		if fileName(e.Name()) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("eval: %s holds no page (.html, .md, .txt, .pdf) and no directory with a source.html", dir)
	}
	return out, nil
}

// evalName names an article by its path under dir.
func evalName(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil {
		return strings.TrimSuffix(rel, string(filepath.Separator)+"source.html")
	}
	return path
}

// splitList splits a comma-separated flag, dropping empty items.
func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
