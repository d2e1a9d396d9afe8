package evaluation

import (
	"maps"
	"math"
	"testing"
)

func TestShingles(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]int
	}{
		{"empty", " ... ", map[string]int{}},
		{"short text is one shingle", "Hello, world!", map[string]int{"Hello world": 1}},
		{"exactly four", "a b c d", map[string]int{"a b c d": 1}},
		{"sliding window", "a b c d e", map[string]int{"a b c d": 1, "b c d e": 1}},
		{"repeats are counted", "x y z w x y z w", map[string]int{
			"x y z w": 2, "y z w x": 1, "z w x y": 1, "w x y z": 1,
		}},
		{"korean", "고 언어 뉴스 레터 발행", map[string]int{"고 언어 뉴스 레터": 1, "언어 뉴스 레터 발행": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Shingles(tt.text, ShingleSize); !maps.Equal(got, tt.want) {
				t.Errorf("Shingles(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The expected values are worked out by hand in each case's comment.
func TestScore(t *testing.T) {
	tests := []struct {
		name        string
		pred, truth string
		want        Page
	}{
		// Identical: tp=2, fp=fn=0 → normalised tp=1.
		{"identical", "a b c d e", "a b c d e", Page{TP: 1, Precision: 1, Recall: 1}},
		// truth shingles: abcd bcde cdef (3); pred: abcd bcde (2).
		// tp=2 fp=0 fn=1, sum 3 → tp=2/3 fn=1/3; P=1, R=2/3.
		{"prediction misses the end", "a b c d e", "a b c d e f", Page{TP: 2. / 3, FN: 1. / 3, Precision: 1, Recall: 2. / 3}},
		// pred shingles: xabc abcd bcde (3); truth: abcd bcde (2).
		// tp=2 fp=1 fn=0, sum 3 → P=2/3, R=1.
		{"prediction adds boilerplate", "x a b c d e", "a b c d e", Page{TP: 2. / 3, FP: 1. / 3, Precision: 2. / 3, Recall: 1}},
		// pred: abcd×2 bcda cdab dabc (5); truth: abcd (1).
		// tp=1 fp=4 fn=0, sum 5 → P=1/5, R=1.
		{"duplicated paragraph", "a b c d a b c d", "a b c d", Page{TP: 1. / 5, FP: 4. / 5, Precision: 1. / 5, Recall: 1}},
		// Disjoint: tp=0 fp=1 fn=1 → P=R=0.
		{"disjoint", "p q r s", "a b c d", Page{FP: 0.5, FN: 0.5}},
		{"both empty", "", "  ", Page{Precision: 1, Recall: 1}},
		{"empty prediction", "", "a b c d e", Page{FN: 1}},
		{"empty truth", "a b c d e", "", Page{FP: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.pred, tt.truth)
			if !near(got.TP, tt.want.TP) || !near(got.FP, tt.want.FP) || !near(got.FN, tt.want.FN) ||
				!near(got.Precision, tt.want.Precision) || !near(got.Recall, tt.want.Recall) {
				t.Errorf("Score(%q, %q) = %+v, want %+v", tt.pred, tt.truth, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	// Means over pages: P=(1+0.5+0)/3=0.5, R=(1+1+0)/3=2/3;
	// F1 = 2·0.5·(2/3)/(0.5+2/3) = (2/3)/(7/6) = 4/7.
	got := Summarize([]Page{
		{Precision: 1, Recall: 1},
		{Precision: 0.5, Recall: 1},
		{},
	})
	want := Summary{Pages: 3, Precision: 0.5, Recall: 2. / 3, F1: 4. / 7}
	if got.Pages != want.Pages || !near(got.Precision, want.Precision) || !near(got.Recall, want.Recall) || !near(got.F1, want.F1) {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if got := Summarize(nil); got != (Summary{}) {
		t.Errorf("Summarize(nil) = %+v, want zero", got)
	}
}
