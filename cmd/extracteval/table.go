package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/evaluation"
)

// warmUpPages are extracted once, untimed, before an extractor is timed.
const warmUpPages = 5

// extraction is what one extractor returned for a list of pages.
type extraction struct {
	texts               []string // "" where nothing was extracted
	noContent, failures int
	cpu                 time.Duration // process CPU time, 0 when unknown
}

// warmUp extracts every page once with the default extractor, untimed, so
// that the first extractor measured does not also pay for growing the
// heap.
func warmUp(bodies [][]byte, pageURL func(i int) string) {
	for i, b := range bodies {
		_, _ = extractor.Default.Extract(b, pageURL(i), "text/html")
	}
}

// extractAll runs x over every page on one goroutine, measuring the
// process's CPU time after a short untimed warm-up. A page whose
// extraction fails has an empty text.
func extractAll(x extractor.Extractor, bodies [][]byte, pageURL func(i int) string) extraction {
	for i := range min(warmUpPages, len(bodies)) {
		_, _ = x.Extract(bodies[i], pageURL(i), "text/html")
	}
	e := extraction{texts: make([]string, len(bodies))}
	cpu0, ok0 := evaluation.CPUTime()
	for i, body := range bodies {
		a, err := x.Extract(body, pageURL(i), "text/html")
		switch {
		case errors.Is(err, extractor.ErrNoContent):
			e.noContent++
		case err != nil:
			e.failures++
		default:
			e.texts[i] = a.Text
		}
	}
	if cpu1, ok1 := evaluation.CPUTime(); ok0 && ok1 {
		e.cpu = cpu1 - cpu0
	}
	return e
}

// row is one extractor's line in a results table.
type row struct {
	name                  string
	f1, precision, recall float64
	tuningF1, heldF1      float64
	extraction
}

// report writes the evaluation's text and keeps the first error of its
// writes, for run to return once at the end.
type report struct {
	w   io.Writer
	err error
}

// printf writes unless a write failed before.
func (r *report) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

// fail keeps err if it is the first.
func (r *report) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// writeTable prints rows as a markdown table, the first row being the
// default extractor; pages is the number of pages each extractor saw.
func writeTable(w *report, rows []row, pages int) {
	w.printf("| extractor | F1 | precision | recall | F1 tuning | F1 held-out | empty | errors | CPU ms/page |\n")
	w.printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for i, r := range rows {
		name := r.name
		if i == 0 {
			name += " (default)"
		}
		w.printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %d | %s |\n",
			name, r.f1, r.precision, r.recall, r.tuningF1, r.heldF1,
			r.noContent, r.failures, cpuPerPage(r.cpu, pages))
	}
}

func cpuPerPage(cpu time.Duration, pages int) string {
	if cpu == 0 || pages == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(cpu)/1e6/float64(pages))
}

// writeRules prints what each rule of the combination adds: the held-out
// F1 of the whole combination, then, for each rule, the held-out F1 of the
// combination without it and the gain the rule brings (held-out, then on
// the tuning half), on the corpus and on the snippet set. snip is nil when
// the snippet set was not scored.
func writeRules(w *report, rules []string, corpus ruleRows, snip *ruleRows) {
	full := corpus.full
	w.printf("| rule | corpus F1 held-out | gain held-out | gain tuning | snippets F1 held-out | gain held-out | gain tuning |\n")
	w.printf("|---|---:|---:|---:|---:|---:|---:|\n")
	na := "| n/a | n/a | n/a |"
	if snip != nil {
		na = fmt.Sprintf("| %.4f | | |", snip.full.heldF1)
	}
	w.printf("| all rules | %.4f | | %s\n", full.heldF1, na)
	for i, rule := range rules {
		r := corpus.without[i]
		s := "| n/a | n/a | n/a |"
		if snip != nil {
			o := snip.without[i]
			s = fmt.Sprintf("| %.4f | %+.4f | %+.4f |", o.heldF1, snip.full.heldF1-o.heldF1, snip.full.tuningF1-o.tuningF1)
		}
		w.printf("| without %s | %.4f | %+.4f | %+.4f %s\n", rule, r.heldF1, full.heldF1-r.heldF1, full.tuningF1-r.tuningF1, s)
	}
}

// ruleRows are the rows of the whole combination and of the combination
// without each rule (without[i] leaves out rules[i]), on one corpus.
type ruleRows struct {
	full    row
	without []row
}
