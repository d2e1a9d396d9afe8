package web

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkLabels fails the test unless every control of page has a label (a
// <label for> or aria-label), every button says what it does, and no two
// elements share an id.
func checkLabels(t *testing.T, name, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	labels, ids := map[string]bool{}, map[string]int{}
	var controls []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
			switch n.Data {
			case "label":
				labels[attr(n, "for")] = true
			case "input":
				if ty := attr(n, "type"); ty != "hidden" && ty != "submit" && ty != "button" {
					controls = append(controls, n)
				}
			case "textarea", "select":
				controls = append(controls, n)
			case "button":
				if strings.TrimSpace(textOfNode(n)) == "" && attr(n, "aria-label") == "" {
					t.Errorf("%s: a button without a name: %s", name, render(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, c := range controls {
		if id := attr(c, "id"); (id == "" || !labels[id]) && attr(c, "aria-label") == "" {
			t.Errorf("%s: a control without a label: %s", name, render(c))
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q is used %d times", name, id, n)
		}
	}
}

// textOfNode is the text of n and all below it.
func textOfNode(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
