package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestValidateSources(t *testing.T) {
	ok := Source{Name: "Go 블로그", Kind: SourceFeed, URL: "https://go.dev/blog/feed.atom"}
	tests := []struct {
		name    string
		srcs    []Source
		wantErr string
	}{
		{"a feed", []Source{ok}, ""},
		{"hackernews", []Source{{Name: "HN", Kind: SourceHackerNews, URL: "https://hn.algolia.com/api/v1", Query: "golang", MinPoints: 50}}, ""},
		{"no name", []Source{{Kind: SourceFeed, URL: ok.URL}}, "sources[0].name: is required"},
		{"comma", []Source{{Name: "a,b", Kind: SourceFeed, URL: ok.URL}}, "sources[0].name: must be at most 40"},
		{"same name", []Source{ok, ok}, `sources[1].name: "Go 블로그" is used by another source`},
		{"kind", []Source{{Name: "r", Kind: "reddit", URL: ok.URL}}, `sources[0].kind: must be feed, hackernews or github, not "reddit"`},
		{"url", []Source{{Name: "x", Kind: SourceFeed, URL: "file:///etc/passwd"}}, "sources[0].url: must be an http or https URL"},
		{"query", []Source{{Name: "HN", Kind: SourceHackerNews, URL: "https://hn.algolia.com/api/v1"}}, "sources[0].query: is required"},
		{"points", []Source{{Name: "HN", Kind: SourceHackerNews, URL: "https://hn.algolia.com/api/v1", Query: "go", MinPoints: -1}}, "sources[0].min_points"},
		{"weight", []Source{{Name: "w", Kind: SourceFeed, URL: ok.URL, Weight: 11}}, "sources[0].weight"},
		{"every", []Source{{Name: "e", Kind: SourceFeed, URL: ok.URL, Every: time.Second}}, "sources[0].every: must be at least 1m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Sources = tt.srcs
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// The sources list is read from the file, its keys checked like any
// other section's; the environment cannot set it.
func TestLoadSources(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("sources:\n  - {name: HN, kind: hackernews, url: \"https://hn.algolia.com/api/v1\", query: golang, min_points: 50, every: 2h}\n")
	c, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 1 || c.Sources[0].Every != 2*time.Hour || c.Sources[0].MinPoints != 50 {
		t.Errorf("sources = %+v", c.Sources)
	}
	if f, _ := Lookup(&c, "sources"); f.String() != "HN" {
		t.Errorf("the effective configuration shows sources as %q", f.String())
	}
	write("sources:\n  - {name: HN, kind: hackernews, url: \"https://x\", qeury: golang, every: 30}\n")
	_, err = Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), `unknown key "qeury" in section "sources[0]"; did you mean "query"?`) ||
		!strings.Contains(err.Error(), "sources[0].every: 30 is a number, not a duration") {
		t.Errorf("Load of a misspelt source: %v", err)
	}
	write("")
	env := map[string]string{"NEWSLETTER_SOURCES": "x"}
	if _, err := Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err == nil ||
		!strings.Contains(err.Error(), "written in the configuration file") {
		t.Errorf("NEWSLETTER_SOURCES: %v", err)
	}
}
