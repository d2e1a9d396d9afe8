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
	problems, warnings := preflight(cfg, keyOptional, time.Now())
	for _, w := range append(c.warnings, warnings...) {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
	if problems != nil {
		return fmt.Errorf("invalid configuration:\n%w", problems)
	}
	fields := config.Fields(&cfg)
	lines := make([]string, len(fields))
	cols := 0
	for i, f := range fields {
		_, key, _ := strings.Cut(f.Key, ".")
		lines[i] = fmt.Sprintf("  %s: %s", key, quote(f.String()))
		cols = max(cols, columns(lines[i]))
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
		pad := cols - columns(lines[i]) + 2
		fmt.Fprintf(&b, "%s%s# %s\n", lines[i], strings.Repeat(" ", pad), f.Env)
	}
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, "configuration is valid")
	return nil
}

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
