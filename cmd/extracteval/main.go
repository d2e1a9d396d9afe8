// Command extracteval measures the article extractors of package candidates
// against a corpus of pages with known article text and prints one
// markdown table: shingle precision, recall and F1 over all pages, F1 on
// the even-indexed (tuning) and odd-indexed (held-out) halves, failures and
// throughput.
//
//	go run ./cmd/extracteval ../shared/corpus/readability/pages
//
// The truth of a page is its expected.html rendered by extractor.Render,
// the same conversion every extractor's output goes through. A page whose
// extraction fails scores as an empty prediction. Throughput is measured
// on one goroutine after a short warm-up; on a busy machine prefer
// BenchmarkExtract.
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
	fs := flag.NewFlagSet("extracteval", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: extracteval [-pages] [-snippets DIR] [CORPUS_DIR]\n\nCORPUS_DIR defaults to %s.\n", defaultCorpus)
		fs.PrintDefaults()
	}
	perPage := fs.Bool("pages", false, "also print every page's F1 per extractor (tab-separated)")
	snippets := fs.String("snippets", "", "also score go-trafilatura's snippet set, read from this module `dir`\n(go list -m -f '{{.Dir}}' github.com/markusmobius/go-trafilatura)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir := defaultCorpus
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	cases, err := evaluation.LoadCorpus(dir)
	if err != nil {
		return err
	}
	bodies := make([][]byte, len(cases))
	truths := make([]string, len(cases))
	for i, c := range cases {
		bodies[i] = c.Source
		if truths[i], err = truth(c.Expected); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	var results []result
	for _, x := range candidates.All() {
		results = append(results, evaluate(x, bodies, truths))
	}
	printTable(stdout, results, len(cases))
	if *perPage {
		printPages(stdout, results, cases)
	}
	if *snippets != "" {
		return runSnippets(stdout, *snippets)
	}
	return nil
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

func evaluate(x extractor.Extractor, bodies [][]byte, truths []string) result {
	ex := extractAll(x, bodies, func(int) string { return evaluation.PageURL })
	r := result{pages: make([]evaluation.Page, len(bodies))}
	var tuning, held []evaluation.Page
	for i, text := range ex.texts {
		r.pages[i] = evaluation.Score(text, truths[i])
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

func printTable(w io.Writer, results []result, n int) {
	held := 0
	for i := range n {
		if evaluation.HeldOut(i) {
			held++
		}
	}
	fmt.Fprintf(w, "%d pages; tuning = even-indexed %d, held-out = odd-indexed %d\n\n", n, n-held, held)
	rows := make([]row, len(results))
	for i, r := range results {
		rows[i] = r.row
	}
	writeTable(w, rows, n)
}

func printPages(w io.Writer, results []result, cases []evaluation.Case) {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	names := make([]string, len(results))
	for i, r := range results {
		names[i] = r.name
	}
	fmt.Fprintf(tw, "\npage\t%s\n", strings.Join(names, "\t"))
	for i, c := range cases {
		fmt.Fprint(tw, c.Name)
		for _, r := range results {
			p := r.pages[i]
			f1 := 0.0
			if p.Precision+p.Recall > 0 {
				f1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
			}
			fmt.Fprintf(tw, "\t%.3f", f1)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
