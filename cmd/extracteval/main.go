// Command extracteval measures the article extractors of package
// candidates, extractor.Default first, against a corpus of pages with
// known article text, and prints markdown tables: shingle precision,
// recall and F1 over all pages, F1 on the even-indexed (tuning) and
// odd-indexed (held-out) halves, failures and CPU time per page; then the
// same for go-trafilatura's snippet set when -snippets is given; then what
// each rule of the default combination adds, measured by leaving it out.
//
//	go run ./cmd/extracteval -snippets "$(go list -m -f '{{.Dir}}' github.com/markusmobius/go-trafilatura)" ../shared/corpus/readability/pages
//
// The truth of a page is its expected.html rendered by extractor.Render,
// the same conversion every extractor's output goes through. A page whose
// extraction fails scores as an empty prediction. CPU time is the
// process's (all threads, garbage collection included) while one
// extractor runs over the pages on one goroutine after a short warm-up;
// BenchmarkExtract in package candidates measures it more carefully.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/candidates"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
)

const defaultCorpus = "../shared/corpus/readability/pages"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "extracteval:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	out := &report{w: stdout}
	fs := flag.NewFlagSet("extracteval", flag.ContinueOnError)
	fs.Usage = func() {
		(&report{w: fs.Output()}).printf("usage: extracteval [-pages] [-snippets DIR] [CORPUS_DIR]\n\nCORPUS_DIR defaults to %s.\n", defaultCorpus)
		fs.PrintDefaults()
	}
	perPage := fs.Bool("pages", false, "also print every corpus page's F1 per extractor (tab-separated)")
	snippets := fs.String("snippets", "", "also score go-trafilatura's snippet set, read from this module `dir`\n(go list -m -f '{{.Dir}}' github.com/markusmobius/go-trafilatura)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir := defaultCorpus
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	c, err := loadCorpus(dir)
	if err != nil {
		return err
	}
	var snip []snippetPage
	if *snippets != "" {
		if snip, err = loadSnippetPages(*snippets); err != nil {
			return err
		}
	}

	xs := candidates.All()
	rules := extractor.Rules()
	// The first extractor measured would also pay for growing the heap.
	warmUp(c.bodies, func(int) string { return evaluation.PageURL })
	var results []result
	for _, x := range xs {
		results = append(results, c.evaluate(x))
	}
	corpusRules := ruleRows{full: results[0].row}
	for _, r := range rules {
		corpusRules.without = append(corpusRules.without, c.evaluate(extractor.Combine(r)).row)
	}
	printTable(out, results, len(c.cases))
	if *perPage {
		printPages(out, results, c.cases)
	}

	var snipRules *ruleRows
	if snip != nil {
		warmUp(snipBodies(snip), func(i int) string { return snip[i].url })
		var rows []row
		for _, x := range xs {
			rows = append(rows, evaluateSnippets(x, snip))
		}
		snipRules = &ruleRows{full: rows[0]}
		for _, r := range rules {
			snipRules.without = append(snipRules.without, evaluateSnippets(extractor.Combine(r), snip))
		}
		out.printf("\nSnippet set: %d pages (sorted by URL; tuning = even-indexed, held-out = odd-indexed)\n\n", len(snip))
		writeTable(out, rows, len(snip))
	}
	out.printf("\nRules of %s, each measured by leaving it out\n\n", extractor.Default.Name)
	writeRules(out, rules, corpusRules, snipRules)
	if out.err != nil {
		return fmt.Errorf("writing the report: %w", out.err)
	}
	return nil
}

// corpus is a loaded corpus with the rendered truth of every page.
type corpus struct {
	cases  []evaluation.Case
	bodies [][]byte
	truths []string
}

func loadCorpus(dir string) (*corpus, error) {
	cases, err := evaluation.LoadCorpus(dir)
	if err != nil {
		return nil, err
	}
	c := &corpus{cases: cases, bodies: make([][]byte, len(cases)), truths: make([]string, len(cases))}
	for i, cs := range cases {
		c.bodies[i] = cs.Source
		if c.truths[i], err = truth(cs.Expected); err != nil {
			return nil, fmt.Errorf("%s: %w", cs.Name, err)
		}
	}
	return c, nil
}

// truth renders a page's expected article as text.
func truth(expected []byte) (string, error) {
	doc, err := html.Parse(bytes.NewReader(expected))
	if err != nil {
		return "", err
	}
	return extractor.Render(doc), nil
}

// result is one extractor's scores on the corpus.
type result struct {
	row
	pages []evaluation.Page
}

func (c *corpus) evaluate(x extractor.Extractor) result {
	ex := extractAll(x, c.bodies, func(int) string { return evaluation.PageURL })
	r := result{pages: make([]evaluation.Page, len(c.bodies))}
	var tuning, held []evaluation.Page
	for i, text := range ex.texts {
		r.pages[i] = evaluation.Score(text, c.truths[i])
		if evaluation.HeldOut(i) {
			held = append(held, r.pages[i])
		} else {
			tuning = append(tuning, r.pages[i])
		}
	}
	all := evaluation.Summarize(r.pages)
	r.row = row{
		name: x.Name, f1: all.F1, precision: all.Precision, recall: all.Recall,
		tuningF1: evaluation.Summarize(tuning).F1, heldF1: evaluation.Summarize(held).F1,
		extraction: ex,
	}
	return r
}

func printTable(w *report, results []result, n int) {
	held := 0
	for i := range n {
		if evaluation.HeldOut(i) {
			held++
		}
	}
	w.printf("Readability.js corpus: %d pages; tuning = even-indexed %d, held-out = odd-indexed %d\n\n", n, n-held, held)
	rows := make([]row, len(results))
	for i, r := range results {
		rows[i] = r.row
	}
	writeTable(w, rows, n)
}

func printPages(w *report, results []result, cases []evaluation.Case) {
	tw := tabwriter.NewWriter(w.w, 0, 4, 1, ' ', 0)
	t := &report{w: tw}
	names := make([]string, len(results))
	for i, r := range results {
		names[i] = r.name
	}
	t.printf("\npage\t%s\n", strings.Join(names, "\t"))
	for i, c := range cases {
		t.printf("%s", c.Name)
		for _, r := range results {
			p := r.pages[i]
			f1 := 0.0
			if p.Precision+p.Recall > 0 {
				f1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
			}
			t.printf("\t%.3f", f1)
		}
		t.printf("\n")
	}
	if t.err == nil {
		t.err = tw.Flush()
	}
	w.fail(t.err)
}
