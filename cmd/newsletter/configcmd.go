package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/godevcommunity/newsletter/config"
)

// configCheck validates the effective configuration and prints every key
// with its value (secrets masked) and the variable that sets it.
func (a *app) configCheck(args []string) error {
	c := newFlags(a, "config check", "")
	if err := c.parse(args); err != nil {
		return err
	}
	cfg, err := c.load(a)
	if err != nil {
		return err
	}
	fields := config.Fields(&cfg)
	lines := make([]string, len(fields))
	width := 0
	for i, f := range fields {
		_, key, _ := strings.Cut(f.Key, ".")
		lines[i] = fmt.Sprintf("  %s: %s", key, quote(f.String()))
		width = max(width, utf8.RuneCountInString(lines[i]))
	}
	var b strings.Builder
	section := ""
	for i, f := range fields {
		if s, _, _ := strings.Cut(f.Key, "."); s != section {
			if section != "" {
				b.WriteString("\n")
			}
			b.WriteString(s + ":\n")
			section = s
		}
		pad := width - utf8.RuneCountInString(lines[i]) + 2
		fmt.Fprintf(&b, "%s%s# %s\n", lines[i], strings.Repeat(" ", pad), f.Env)
	}
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, "configuration is valid")
	return nil
}

func quote(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[]'\" *&!|>%@,") {
		return strconv.Quote(s)
	}
	return s
}
