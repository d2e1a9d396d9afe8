package extractor

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, body, title, text string
	}{
		{"trimmed, title from first line", "\r\n\n  Release notes\r\nGo 1.26 is out.\n\n", "Release notes", "Release notes\nGo 1.26 is out."},
		{"long first line shortened at a word", strings.Repeat("word ", 60), strings.TrimSpace(strings.Repeat("word ", 40)) + "…", strings.TrimSpace(strings.Repeat("word ", 60))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract([]byte(tt.body), "https://example.com/notes.txt", "text/plain; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.title || a.Text != tt.text {
				t.Errorf("got title %q text %q\nwant title %q text %q", a.Title, a.Text, tt.title, tt.text)
			}
		})
	}
}

func TestMarkdown(t *testing.T) {
	const readme = `<!-- generated: do not edit -->
<p align="center"><img src="logo.png" width="200"></p>

[![Build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example.com) [![Go Reference](https://pkg.go.dev/badge/x.svg)](https://pkg.go.dev/x)
![coverage][cov-badge]

# gopher-tool  #

A <b>fast</b> tool. Use ` + "`<T any>`" + ` generics.<!-- hidden
note spanning lines --> Visible again.



## Install

` + "```sh" + `
# not a title
go install example.com/gopher-tool@latest
<!-- kept: inside code -->
[![kept](x.svg)](y)
` + "```" + `

~~~
	indented   code
~~~
`
	const wantText = `# gopher-tool  #

A fast tool. Use ` + "`<T any>`" + ` generics.
 Visible again.

## Install

` + "```sh" + `
# not a title
go install example.com/gopher-tool@latest
<!-- kept: inside code -->
[![kept](x.svg)](y)
` + "```" + `

~~~
	indented   code
~~~`
	a, err := Extract([]byte(readme), "https://github.com/x/gopher-tool/blob/main/README.md", "text/markdown")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "gopher-tool" {
		t.Errorf("title = %q, want %q", a.Title, "gopher-tool")
	}
	if a.Text != wantText {
		t.Errorf("text:\n%s\n--- want:\n%s", a.Text, wantText)
	}
}

func TestMarkdownTitleFallsBackToFirstLine(t *testing.T) {
	a, err := Extract([]byte("## Changelog\n\n- fixed things\n"), "https://example.com/CHANGES.md", "text/x-markdown")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Changelog" {
		t.Errorf("title = %q, want %q", a.Title, "Changelog")
	}
}
