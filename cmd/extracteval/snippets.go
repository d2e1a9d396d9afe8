package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
)

// The snippet set is go-trafilatura's own comparison corpus (983 pages,
// mostly German and English news and blogs), shipped in its module: each
// page lists snippets that the article text must contain ("with") and
// boilerplate it must not ("without"). It is trafilatura's home ground, as
// the Readability.js corpus is readability's, so the two together show
// whether a choice holds beyond the corpus it was made on.

// snippetCase is one page of the snippet set.
type snippetCase struct {
	url, file     string
	with, without []string
}

// loadSnippetSet reads the snippet set from a go-trafilatura module
// directory: the expectations from scripts/comparison/data.go (parsed, not
// compiled) and the pages from test-files/{comparison,mock}.
func loadSnippetSet(moduleDir string) ([]snippetCase, error) {
	dataFile := filepath.Join(moduleDir, "scripts", "comparison", "data.go")
	f, err := parser.ParseFile(token.NewFileSet(), dataFile, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("load snippet set: %w", err)
	}
	var cases []snippetCase
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		key, ok := stringLit(kv.Key)
		val, isLit := kv.Value.(*ast.CompositeLit)
		if !ok || !isLit || !strings.HasPrefix(key, "http") {
			return true
		}
		c := snippetCase{url: key}
		for _, e := range val.Elts {
			field, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			switch name := fmt.Sprint(field.Key); name {
			case "File":
				c.file, _ = stringLit(field.Value)
			case "With":
				c.with = stringList(field.Value)
			case "Without":
				c.without = stringList(field.Value)
			}
		}
		if c.file != "" {
			cases = append(cases, c)
		}
		return false
	})
	if len(cases) == 0 {
		return nil, fmt.Errorf("load snippet set: no entries in %s", dataFile)
	}
	slices.SortFunc(cases, func(a, b snippetCase) int { return strings.Compare(a.url, b.url) })
	return cases, nil
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func stringList(e ast.Expr) []string {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var out []string
	for _, el := range cl.Elts {
		if s, ok := stringLit(el); ok {
			out = append(out, normalizeSpace(s))
		}
	}
	return out
}

func readSnippetPage(moduleDir, file string) ([]byte, error) {
	for _, sub := range []string{"comparison", "mock"} {
		if b, err := os.ReadFile(filepath.Join(moduleDir, "test-files", sub, file)); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("page %s not found", file)
}

// snippetCounts are pooled over pages, as go-trafilatura's comparison
// script does.
type snippetCounts struct{ tp, fp, fn, tn int }

func (c *snippetCounts) add(o snippetCounts) {
	c.tp += o.tp
	c.fp += o.fp
	c.fn += o.fn
	c.tn += o.tn
}

func (c snippetCounts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c snippetCounts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c snippetCounts) f1() float64        { return ratio(2*c.tp, 2*c.tp+c.fp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// scoreSnippets counts the snippets found in text; an empty text finds
// none of either kind.
func scoreSnippets(c snippetCase, text string) snippetCounts {
	var s snippetCounts
	text = normalizeSpace(text)
	for _, w := range c.with {
		if text != "" && strings.Contains(text, w) {
			s.tp++
		} else {
			s.fn++
		}
	}
	for _, w := range c.without {
		if text != "" && strings.Contains(text, w) {
			s.fp++
		} else {
			s.tn++
		}
	}
	return s
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// snippetPage is a snippet-set entry with its page.
type snippetPage struct {
	snippetCase
	body []byte
}

// loadSnippetPages reads the snippet set and its pages from a
// go-trafilatura module directory. Entries whose page the module does not
// ship (a handful) are left out.
func loadSnippetPages(moduleDir string) ([]snippetPage, error) {
	cases, err := loadSnippetSet(moduleDir)
	if err != nil {
		return nil, err
	}
	var pages []snippetPage
	for _, c := range cases {
		if b, err := readSnippetPage(moduleDir, c.file); err == nil {
			pages = append(pages, snippetPage{c, b})
		}
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("load snippet set: no page of %d entries found under %s", len(cases), filepath.Join(moduleDir, "test-files"))
	}
	return pages, nil
}

func snipBodies(pages []snippetPage) [][]byte {
	bodies := make([][]byte, len(pages))
	for i, p := range pages {
		bodies[i] = p.body
	}
	return bodies
}

// evaluateSnippets scores x on the snippet set, counts pooled over pages.
func evaluateSnippets(x extractor.Extractor, pages []snippetPage) row {
	ex := extractAll(x, snipBodies(pages), func(i int) string { return pages[i].url })
	var all, tuning, held snippetCounts
	for i, text := range ex.texts {
		s := scoreSnippets(pages[i].snippetCase, text)
		all.add(s)
		if evaluation.HeldOut(i) {
			held.add(s)
		} else {
			tuning.add(s)
		}
	}
	return row{
		name: x.Name, f1: all.f1(), precision: all.precision(), recall: all.recall(),
		tuningF1: tuning.f1(), heldF1: held.f1(), extraction: ex,
	}
}
