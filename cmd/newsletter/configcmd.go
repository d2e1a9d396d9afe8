package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

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
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	section := ""
	for _, f := range config.Fields(&cfg) {
		s, key, _ := strings.Cut(f.Key, ".")
		if s != section {
			if section != "" {
				fmt.Fprintln(tw, "\t\t")
			}
			fmt.Fprintf(tw, "%s:\t\t\n", s)
			section = s
		}
		fmt.Fprintf(tw, "  %s: %s\t# %s\n", key, quote(f.String()), f.Env)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, "configuration is valid")
	return nil
}

func quote(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[]'\" ") {
		return strconv.Quote(s)
	}
	return s
}
