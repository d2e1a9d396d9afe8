package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/extractor"
)

func TestSnippetSet(t *testing.T) {
	dir := t.TempDir()
	data := `package main

var comparisonData = map[string]ComparisonEntry{
	"https://example.com/post": {
		File:    "post.html",
		With:    []string{"Gophers   write clear code", "measure before"},
		Without: []string{"Subscribe now"},
	},
	"https://example.com/missing": {
		File: "missing.html",
		With: []string{"x"},
	},
}
`
	page := "<html><body><article><p>" + strings.Repeat("Gophers write clear code and measure before they optimise. ", 10) +
		"</p></article><footer>Subscribe now</footer></body></html>"
	for path, body := range map[string]string{
		"scripts/comparison/data.go":      data,
		"test-files/comparison/post.html": page,
	} {
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases, err := loadSnippetSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[1].url != "https://example.com/post" || cases[1].with[0] != "Gophers write clear code" {
		t.Fatalf("cases = %+v", cases)
	}
	pages, err := loadSnippetPages(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages[0].url != "https://example.com/post" {
		t.Fatalf("pages = %+v, want only the entry whose file exists", pages)
	}
	// Both "with" snippets found, the footer left out: P = R = F1 = 1.
	r := evaluateSnippets(extractor.Default, pages)
	if r.f1 != 1 || r.precision != 1 || r.recall != 1 || r.noContent != 0 || r.failures != 0 {
		t.Errorf("row = %+v, want a perfect score", r)
	}
}

func TestScoreSnippets(t *testing.T) {
	c := snippetCase{with: []string{"a b", "c"}, without: []string{"junk"}}
	if got, want := scoreSnippets(c, "a  b junk"), (snippetCounts{tp: 1, fn: 1, fp: 1}); got != want {
		t.Errorf("scoreSnippets = %+v, want %+v", got, want)
	}
	if got, want := scoreSnippets(c, ""), (snippetCounts{fn: 2, tn: 1}); got != want {
		t.Errorf("scoreSnippets(empty) = %+v, want %+v", got, want)
	}
	// tp=1 fp=1 fn=1: P=R=F1=1/2.
	s := snippetCounts{tp: 1, fp: 1, fn: 1}
	if s.precision() != 0.5 || s.recall() != 0.5 || s.f1() != 0.5 {
		t.Errorf("P, R, F1 = %v, %v, %v", s.precision(), s.recall(), s.f1())
	}
}
