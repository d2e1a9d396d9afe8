package extractor

import (
	"bytes"
	"net/url"
	"slices"
	"strings"

	readeck "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/godevcommunity/newsletter/extractor/internal/words"
)

// The rules of the combination, in the order they apply. Each was
// proposed on the tuning half of both corpora and kept because leaving it
// out lowers the held-out F1 of one corpus and raises neither's; see
// cmd/extracteval, which measures each by leaving it out, and docs/extraction.md.
const (
	// RuleNamesCredits drops small elements named as copyright lines or
	// photo credits (see furnitureNameGroups for the words of every
	// names rule).
	RuleNamesCredits = "names-credits"
	// RuleNamesRelated drops small elements named as related links.
	RuleNamesRelated = "names-related"
	// RuleLeadInMetadata drops short lines that open as post metadata
	// ("This entry was posted in", "Kategorie:", "Aktualisiert").
	RuleLeadInMetadata = "lead-in-metadata"
	// RuleDateLines drops blocks that hold nothing but a date.
	RuleDateLines = "date-lines"
	// RuleShortFallback takes the page's paragraphs, quotes and code
	// blocks when Readeck finds fewer than shortWords words and they hold
	// more.
	RuleShortFallback = "short-fallback"
)

// Rules lists the rules of Combined in the order they apply.
func Rules() []string {
	return []string{
		RuleNamesCredits, RuleNamesRelated, RuleLeadInMetadata, RuleDateLines, RuleShortFallback,
	}
}

// Combined is Readeck's content pruned by measured boilerplate rules, with
// the page's paragraphs as the fallback when Readeck finds next to nothing.
// See Rules, and cmd/extracteval for how each rule was measured.
var Combined = Combine()

// Combine returns Combined with the named rules left out, for measuring
// what each one adds. Unknown names are ignored.
func Combine(without ...string) Extractor {
	c := combination{on: make(map[string]bool)}
	for _, r := range Rules() {
		c.on[r] = !slices.Contains(without, r)
	}
	for group, ws := range furnitureNameGroups {
		if c.on[group] {
			c.names = append(c.names, ws...)
		}
	}
	for group, ps := range leadInGroups {
		if c.on[group] {
			c.leadIns = append(c.leadIns, ps...)
		}
	}
	name := "combined"
	if len(without) > 0 {
		name += " without " + strings.Join(without, ", ")
	}
	return Extractor{Name: name, consume: c.content}
}

// combination is the set of rules one Combine extractor applies.
type combination struct {
	on      map[string]bool // by rule name
	names   []string        // furniture name words of the enabled names rules
	leadIns []string        // lead-in phrases of the enabled lead-in rules
}

// shortWords is the least text Readeck must find for its content to be
// kept without looking at the page's paragraphs.
const shortWords = 50

// content is the combination's consume function (see Extractor): Readeck
// works on doc itself, and the fallback parses src again.
func (c combination) content(doc *html.Node, src []byte, page *url.URL) (*html.Node, error) {
	ps := readeck.NewParser()
	ps.KeepClasses = true // for the names rules; dropped after them
	a, err := ps.ParseAndMutate(doc, page)
	n := a.Node
	if err != nil {
		n = nil
	}
	if n != nil {
		c.prune(n)
		dropClasses(n)
	}
	if c.on[RuleShortFallback] {
		if fb := c.fallback(src, n); fb != nil {
			return fb, nil
		}
	}
	return n, err
}

// fallback returns the paragraphs, quotes and code blocks of the page
// whose source is src, pruned, when primary (nil when Readeck found
// nothing) renders fewer than shortWords words and they render more;
// otherwise nil.
func (c combination) fallback(src []byte, primary *html.Node) *html.Node {
	got := 0
	if primary != nil {
		if got = words.Count(Render(primary)); got >= shortWords {
			return nil
		}
	}
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil
	}
	fb := paragraphs(doc)
	c.prune(fb)
	if words.Count(Render(fb)) <= got {
		return nil
	}
	return fb
}

// prune removes the elements of root that a rule of c marks as
// boilerplate. Code is never looked into, and the line rules leave list
// items alone: a list is kept whole or, by name, dropped whole.
func (c combination) prune(root *html.Node) {
	var doomed []*html.Node
	var walk func(n *html.Node, inList bool)
	walk = func(n *html.Node, inList bool) {
		for e := n.FirstChild; e != nil; e = e.NextSibling {
			if e.Type != html.ElementNode {
				continue
			}
			switch tagOf(e) {
			case atom.Pre, atom.Code:
				continue
			}
			if c.boilerplate(e, inList) {
				doomed = append(doomed, e)
				continue
			}
			walk(e, inList || tagOf(e) == atom.Ul || tagOf(e) == atom.Ol)
		}
	}
	walk(root, false)
	for _, d := range doomed {
		d.Parent.RemoveChild(d)
	}
}

// dropClasses removes the class attributes under root, as Readeck does
// unless told to keep them, so that the content renders as Readeck's own
// would. (Keeping them for Render, whose widget check also reads classes,
// did not raise F1 on the tuning half of either corpus.)
func dropClasses(root *html.Node) {
	for n := range root.Descendants() {
		if n.Type == html.ElementNode {
			n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Namespace == "" && a.Key == "class" })
		}
	}
}

// maxFurnitureWords bounds the text of an element furniture-names may
// drop, and maxLineWords that of a line the line rules may drop, so that a
// misnamed container or a real paragraph is never lost.
const (
	maxFurnitureWords = 60
	maxLineWords      = 25
)

func (c combination) boilerplate(n *html.Node, inList bool) bool {
	count := -1 // words of n, counted on first use
	within := func(max int) bool {
		if count < 0 {
			count = wordsUpTo(n, max+1)
		}
		return count > 0 && count <= max
	}
	if len(c.names) > 0 && hasName(n, c.names) && within(maxFurnitureWords) {
		return true
	}
	if inList || len(c.leadIns) == 0 && !c.on[RuleDateLines] {
		return false
	}
	if !isLineBlock(n) || !within(maxLineWords) {
		return false
	}
	line := strings.ToLower(strings.Join(strings.Fields(textContent(n)), " "))
	dated := c.on[RuleDateLines] && isBlock(tagOf(n)) && dateLine().MatchString(line)
	if !isLeadIn(line, c.leadIns) && !dated {
		return false
	}
	return !hasList(n)
}

// hasList reports whether n holds a list.
func hasList(n *html.Node) bool {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && (tagOf(d) == atom.Ul || tagOf(d) == atom.Ol) {
			return true
		}
	}
	return false
}

// wordsUpTo counts the words of n's text, stopping once it passes limit.
func wordsUpTo(n *html.Node, limit int) int {
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				if count += words.Count(c.Data); count >= limit {
					return false
				}
			} else if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
	return count
}

// isLineBlock reports whether n may hold one line of text on its own: a
// paragraph, heading, list item, caption, division, or the inline wrapper
// of a whole line.
func isLineBlock(n *html.Node) bool {
	switch tagOf(n) {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Dt, atom.Dd,
		atom.Figcaption, atom.Div, atom.Section, atom.Span, atom.Strong, atom.B, atom.Em, atom.I,
		atom.Small, atom.Time:
		return true
	}
	return false
}

// paragraphs gathers the page's paragraphs, quotes and code blocks in
// document order, outside skipped markup (see Render). It is the fallback
// for pages whose content Readeck cannot find, such as an article inside
// a form.
func paragraphs(doc *html.Node) *html.Node {
	out := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipped(c) {
				continue
			}
			switch tagOf(c) {
			case atom.P, atom.Pre, atom.Blockquote:
				out.AppendChild(cloneTree(c))
				continue
			}
			walk(c)
		}
	}
	walk(doc)
	return out
}

// cloneTree returns a deep copy of n, detached from its tree.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: slices.Clone(n.Attr)}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(cloneTree(k))
	}
	return c
}
