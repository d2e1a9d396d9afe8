package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/godevcommunity/newsletter/config"
)

// configCheck validates the effective configuration and prints every key
// with its value (secrets masked) and the variable that sets it.
func (a *app) configCheck(args []string) error {
	c := newFlags(a, "config check", "", allFlags...)
	if err := c.parse(args); err != nil {
		return err
	}
	cfg, err := c.load(a)
	if err != nil {
		return err
	}
	warnings, problems := preflight(cfg, keyOptional, time.Now())
	for _, w := range append(c.warnings, warnings...) {
		tell(a.stderr, "warning: %s\n", w)
	}
	if problems != nil {
		return fmt.Errorf("invalid configuration:\n%w", problems)
	}
	// Keys are printed as YAML: a section, its keys, and groups of keys
	// inside it (publisher.hashnode) indented under their own line.
	fields := config.Fields(&cfg)
	type line struct{ head, text, env string }
	var lines []line
	cols := 0
	prev := []string{}
	for _, f := range fields {
		parts := strings.Split(f.Key, ".")
		for depth := 0; depth < len(parts)-1; depth++ {
			if depth < len(prev)-1 && prev[depth] == parts[depth] {
				continue
			}
			prev = nil // a new group: print the rest of the path
			lines = append(lines, line{head: strings.Repeat("  ", depth) + parts[depth] + ":"})
		}
		prev = parts
		value, env := quote(f.String()), f.Env
		if f.FileOnly() { // a list of settings: its names, set in the file only
			var names []string
			for _, n := range strings.Split(f.String(), ",") {
				if n != "" {
					names = append(names, quote(n))
				}
			}
			value, env = "["+strings.Join(names, ", ")+"]", "the configuration file only"
		}
		l := line{text: fmt.Sprintf("%s%s: %s", strings.Repeat("  ", len(parts)-1), parts[len(parts)-1], value), env: env}
		if w := columns(l.text); w <= maxAligned {
			cols = max(cols, w) // a long list stands out on its own
		}
		lines = append(lines, l)
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && (l.head != "" && !strings.HasPrefix(l.head, " ") || l.head == "" && !strings.HasPrefix(l.text, " ")) {
			b.WriteString("\n") // a blank line before each section and each top-level key
		}
		if l.head != "" {
			b.WriteString(l.head + "\n")
			continue
		}
		fmt.Fprintf(&b, "%s%s# %s\n", l.text, strings.Repeat(" ", max(cols-columns(l.text), 0)+2), l.env)
	}
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return err
	}
	tell(a.stderr, "configuration is valid\n")
	return nil
}

// maxAligned is the widest key line the comments are aligned after; a
// longer one (a list such as summarizer.glossary) has its comment right
// after it.
const maxAligned = 80

// columns is the width of s on a terminal: Hangul and other wide
// characters take two columns, so that the comments line up.
func columns(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func quote(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[]'\" *&!|>%@,") {
		return strconv.Quote(s)
	}
	return s
}
