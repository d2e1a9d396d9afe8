// Package evaluation scores extracted article text against a reference text
// with the metric of the article-extraction benchmark: word 4-gram shingles
// matched by count, normalised per page so that long pages weigh no more
// than short ones, then averaged over pages.
//
// Tokens are maximal runs of Unicode letters, digits and underscores
// (Python's `\w+`). A text of fewer than four tokens is a single shingle of
// all its tokens.
//
// Empty texts follow a strict rule. When both the prediction and the truth
// are empty the page scores precision 1 and recall 1. When exactly one side
// is empty the page scores precision 0 and recall 0, and it still counts in
// both means: an extractor that returns nothing, or text for a page that has
// none, is never rewarded. (The benchmark's own script drops such pages from
// the mean whose denominator is zero, which favours extractors that give up.)
package evaluation

import (
	"strings"

	"github.com/godevcommunity/newsletter/extractor/internal/words"
)

// ShingleSize is the number of tokens in a shingle.
const ShingleSize = 4

// Shingles returns the counts of the size-token shingles of text. A text
// with at least one but fewer than size tokens yields one shingle of all of
// them; an empty text yields none.
func Shingles(text string, size int) map[string]int {
	toks := words.Split(text)
	out := make(map[string]int)
	if len(toks) == 0 {
		return out
	}
	if len(toks) < size {
		out[strings.Join(toks, " ")]++
		return out
	}
	for i := 0; i+size <= len(toks); i++ {
		out[strings.Join(toks[i:i+size], " ")]++
	}
	return out
}

// Page is the score of one page. TP, FP and FN are shingle counts
// normalised by their sum, so they add up to 1 unless both texts are empty.
type Page struct {
	TP, FP, FN float64
	Precision  float64
	Recall     float64
}

// Score compares a predicted text with the true text of one page.
func Score(pred, truth string) Page {
	p := Shingles(pred, ShingleSize)
	t := Shingles(truth, ShingleSize)
	switch {
	case len(p) == 0 && len(t) == 0:
		return Page{Precision: 1, Recall: 1}
	case len(p) == 0 || len(t) == 0:
		var s Page
		for _, n := range p {
			s.FP += float64(n)
		}
		for _, n := range t {
			s.FN += float64(n)
		}
		s.FP, s.FN = s.FP/(s.FP+s.FN), s.FN/(s.FP+s.FN)
		return s
	}
	var tp, fp, fn int
	for k, pn := range p {
		tn := t[k]
		tp += min(pn, tn)
		fp += max(pn-tn, 0)
	}
	for k, tn := range t {
		fn += max(tn-p[k], 0)
	}
	sum := float64(tp + fp + fn)
	s := Page{TP: float64(tp) / sum, FP: float64(fp) / sum, FN: float64(fn) / sum}
	if s.TP+s.FP > 0 {
		s.Precision = s.TP / (s.TP + s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = s.TP / (s.TP + s.FN)
	}
	return s
}

// Summary is the score of an extractor over a set of pages.
type Summary struct {
	Pages     int
	Precision float64 // mean of the pages' precision
	Recall    float64 // mean of the pages' recall
	F1        float64 // harmonic mean of Precision and Recall
}

// Summarize averages page scores. The zero Summary is returned for no pages.
func Summarize(pages []Page) Summary {
	if len(pages) == 0 {
		return Summary{}
	}
	var s Summary
	for _, p := range pages {
		s.Precision += p.Precision
		s.Recall += p.Recall
	}
	s.Pages = len(pages)
	s.Precision /= float64(len(pages))
	s.Recall /= float64(len(pages))
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}
