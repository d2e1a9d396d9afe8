package candidates_test

import (
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/candidates"
)

func TestAllStartsWithDefault(t *testing.T) {
	all := candidates.All()
	if len(all) < 2 || all[0].Name != extractor.Default.Name {
		t.Fatalf("All() = %v, want extractor.Default (%s) first among several", names(all), extractor.Default.Name)
	}
	seen := make(map[string]bool)
	for _, x := range all {
		if x.Name == "" || seen[x.Name] {
			t.Errorf("candidate name %q is empty or repeated in %v", x.Name, names(all))
		}
		seen[x.Name] = true
	}
}

func names(xs []extractor.Extractor) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.Name
	}
	return out
}

// Every candidate extracts a plain article.
func TestCandidatesExtractArticle(t *testing.T) {
	para := strings.Repeat("Gophers write clear code and measure before they optimise. ", 12)
	page := "<html><head><title>Measure first</title></head><body><nav><a href=/>Home</a></nav><article><h1>Measure first</h1><p>" +
		para + "</p><p>" + para + "</p></article><footer>© 2024</footer></body></html>"
	for _, x := range candidates.All() {
		a, err := x.Extract([]byte(page), "https://example.com/measure", "text/html")
		if err != nil {
			t.Errorf("%s: %v", x.Name, err)
			continue
		}
		if !strings.Contains(a.Text, strings.TrimSpace(para)) {
			t.Errorf("%s: text lacks the paragraph:\n%s", x.Name, a.Text)
		}
	}
}

// Every candidate must survive hostile markup without panicking.
func TestCandidatesSurviveHostileHTML(t *testing.T) {
	pages := []string{
		strings.Repeat("<div>", 5000) + "deep" + strings.Repeat("</div>", 10),
		"<table><tr><td><table><td><pre><code><li><ol start=-99999999999999999999>x",
		"<html><head><base href=\"::::\"><link rel=canonical href=\"http://[::1\"></head><body><p>text</p></body></html>",
		"<svg><foreignObject><math><mi><p>mixed</p></mi></math></foreignObject></svg>",
		"\xff\xfe<\x00h\x00t\x00m\x00l\x00>",
	}
	for _, x := range candidates.All() {
		for _, p := range pages {
			_, err := x.Extract([]byte(p), "https://example.com/hostile", "text/html")
			if err != nil && strings.Contains(err.Error(), "panicked") {
				t.Errorf("%s panicked: %v", x.Name, err)
			}
		}
	}
}
