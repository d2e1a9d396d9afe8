package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/candidates"
)

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeCase(t *testing.T, dir, name, source, expected string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, name, "source.html"), source)
	writeFile(t, filepath.Join(dir, name, "expected.html"), expected)
}

func TestRunPrintsEveryTable(t *testing.T) {
	corpusDir := t.TempDir()
	article := "<p>" + strings.Repeat("Gophers write clear code and measure before they optimise. ", 20) + "</p>"
	writeCase(t, corpusDir, "a", "<html><body><nav>Home</nav><article>"+article+"</article></body></html>", article)
	writeCase(t, corpusDir, "b", "<html><body></body></html>", "<p>lost text</p>")
	moduleDir := t.TempDir()
	writeFile(t, filepath.Join(moduleDir, "scripts", "comparison", "data.go"), `package main

var comparisonData = map[string]ComparisonEntry{
	"https://example.com/post": {File: "post.html", With: []string{"measure before"}, Without: []string{"Subscribe now"}},
}
`)
	writeFile(t, filepath.Join(moduleDir, "test-files", "comparison", "post.html"),
		"<html><body><article>"+article+"</article><footer>Subscribe now</footer></body></html>")

	var out bytes.Buffer
	if err := run([]string{"-pages", "-snippets", moduleDir, corpusDir}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Readability.js corpus: 2 pages",
		"Snippet set: 1 pages",
		"| extractor | F1 | precision | recall | F1 tuning | F1 held-out | empty | errors | CPU ms/page |",
		"| rule | corpus F1 held-out | gain held-out | gain tuning | snippets F1 held-out | gain held-out | gain tuning |",
		"| all rules | ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for i, x := range candidates.All() {
		name := x.Name
		if i == 0 {
			name += " (default)"
		}
		if n := strings.Count(got, "| "+name+" | "); n != 2 {
			t.Errorf("%d rows for %s, want one per set:\n%s", n, name, got)
		}
	}
	for _, r := range extractor.Rules() {
		if !strings.Contains(got, "| without "+r+" | ") {
			t.Errorf("no rule row for %s:\n%s", r, got)
		}
	}
	// Page a is extracted perfectly and page b not at all, so precision
	// and recall are both (1+0)/2 for the default; the held-out half is
	// page b alone.
	if !strings.Contains(got, " (default) | 0.500 | 0.500 | 0.500 | 1.000 | 0.000 | 1 | 0 |") {
		t.Errorf("unexpected default row:\n%s", got)
	}
}

func TestRunMissingCorpus(t *testing.T) {
	err := run([]string{filepath.Join(t.TempDir(), "absent")}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "absent") {
		t.Errorf("run = %v, want an error naming the directory", err)
	}
}
