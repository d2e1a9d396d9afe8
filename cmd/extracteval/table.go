package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/godevcommunity/newsletter/extractor"
)

// warmUpPages are extracted once, untimed, before an extractor is timed.
const warmUpPages = 5

// extraction is what one extractor returned for a list of pages.
type extraction struct {
	texts               []string // "" where nothing was extracted
	noContent, failures int
	elapsed             time.Duration
}

// extractAll runs x over every page on one goroutine, timing it after a
// short untimed warm-up. A page whose extraction fails has an empty text.
func extractAll(x extractor.Extractor, bodies [][]byte, pageURL func(i int) string) extraction {
	for i := range min(warmUpPages, len(bodies)) {
		_, _ = x.Extract(bodies[i], pageURL(i), "text/html")
	}
	e := extraction{texts: make([]string, len(bodies))}
	for i, body := range bodies {
		start := time.Now()
		a, err := x.Extract(body, pageURL(i), "text/html")
		e.elapsed += time.Since(start)
		switch {
		case errors.Is(err, extractor.ErrNoContent):
			e.noContent++
		case err != nil:
			e.failures++
		default:
			e.texts[i] = a.Text
		}
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

// writeTable prints rows as a markdown table, the first row being the
// default extractor; pages is the number of pages each extractor saw.
func writeTable(w io.Writer, rows []row, pages int) {
	fmt.Fprintln(w, "| extractor | F1 | precision | recall | F1 tuning | F1 held-out | empty | errors | pages/s |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for i, r := range rows {
		name := r.name
		if i == 0 {
			name += " (default)"
		}
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %d | %.1f |\n",
			name, r.f1, r.precision, r.recall, r.tuningF1, r.heldF1,
			r.noContent, r.failures, float64(pages)/r.elapsed.Seconds())
	}
}
