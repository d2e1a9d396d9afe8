package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/extractor/candidates"
)

func writeCase(t *testing.T, dir, name, source, expected string) {
	t.Helper()
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, body := range map[string]string{"source.html": source, "expected.html": expected} {
		if err := os.WriteFile(filepath.Join(d, file), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunPrintsOneRowPerCandidate(t *testing.T) {
	dir := t.TempDir()
	article := "<p>" + strings.Repeat("Gophers write clear code and measure before they optimise. ", 20) + "</p>"
	writeCase(t, dir, "a", "<html><body><nav>Home</nav><article>"+article+"</article></body></html>", article)
	writeCase(t, dir, "b", "<html><body></body></html>", "<p>lost text</p>")
	var out bytes.Buffer
	if err := run([]string{"-pages", dir}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "| extractor | F1 | precision | recall |") {
		t.Errorf("no table header:\n%s", got)
	}
	for i, x := range candidates.All() {
		name := x.Name
		if i == 0 {
			name += " (default)"
		}
		if !strings.Contains(got, "| "+name+" | ") {
			t.Errorf("no row for %s:\n%s", name, got)
		}
	}
	// Page a is extracted perfectly and page b not at all, so precision
	// and recall are both (1+0)/2 for the default.
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
