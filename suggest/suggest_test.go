package suggest

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

type pair struct {
	same bool
	a, b string
}

func readPairs(t *testing.T) []pair {
	t.Helper()
	f, err := os.Open("testdata/titles.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() //nolint:errcheck // read-only
	var out []pair
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("titles.tsv: %q: want label, title, title", line)
		}
		out = append(out, pair{same: cols[0] == "1", a: cols[1], b: cols[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// measure is precision and recall of "same story" at threshold th.
func measure(ps []pair, th float64) (precision, recall float64, tp, fp, fn int) {
	for _, p := range ps {
		got := Match(Parse(p.a), Parse(p.b)) >= th
		switch {
		case got && p.same:
			tp++
		case got && !p.same:
			fp++
		case !got && p.same:
			fn++
		}
	}
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	return precision, recall, tp, fp, fn
}

// TestThreshold measures the labelled title pairs at several thresholds
// (go test -v -run TestThreshold ./suggest prints the table) and holds the
// chosen one to its figures.
func TestThreshold(t *testing.T) {
	ps := readPairs(t)
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7} {
		p, r, tp, fp, fn := measure(ps, th)
		t.Logf("threshold %.2f: precision %.2f recall %.2f (tp %d fp %d fn %d, %d pairs)", th, p, r, tp, fp, fn, len(ps))
	}
	p, r, _, _, _ := measure(ps, Threshold)
	if p < 0.85 || r < 0.8 {
		t.Errorf("at the threshold %.2f precision %.2f recall %.2f, want ≥ 0.85 and ≥ 0.8", Threshold, p, r)
	}
	for _, q := range ps {
		if s := Match(Parse(q.a), Parse(q.b)); (s >= Threshold) != q.same {
			t.Logf("wrong at %.2f (same: %v): %q, %q", s, q.same, q.a, q.b)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		title string
		want  []string
	}{
		{"Go 1.24 is released", []string{"go", "1.24", "released"}},
		{"pgx v5.7.0 maps", []string{"pgx", "5.7", "map"}},
		{"Go 맵을 더 빠르게", []string{"go", "맵을", "빠르", "르게", "더"}},
		{"testing/synctest로", []string{"testing", "synctest", "로"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := Tokens(tt.title)
		if len(got) != len(tt.want) {
			t.Errorf("Tokens(%q) = %v, want %v", tt.title, got, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("Tokens(%q) = %v, lacks %q", tt.title, got, w)
			}
		}
	}
}

func TestScore(t *testing.T) {
	fresh := Score(Signals{Weight: 1, Age: time.Hour})
	tests := []struct {
		name string
		s    Signals
		cmp  func(float64) bool
	}{
		{"points raise", Signals{Weight: 1, Points: 300, Age: time.Hour}, func(v float64) bool { return v > fresh }},
		{"points saturate", Signals{Weight: 1, Points: 100000, Age: time.Hour}, func(v float64) bool { return v < 2*fresh }},
		{"sources raise", Signals{Weight: 1, Sources: 3, Age: time.Hour}, func(v float64) bool { return v > fresh }},
		{"weight multiplies", Signals{Weight: 2, Age: time.Hour}, func(v float64) bool { return v > 1.99*fresh }},
		{"three days halve", Signals{Weight: 1, Age: 73 * time.Hour}, func(v float64) bool { return v < 0.51*fresh && v > 0.49*fresh }},
	}
	for _, tt := range tests {
		if v := Score(tt.s); !tt.cmp(v) {
			t.Errorf("%s: Score = %.3f (fresh %.3f)", tt.name, v, fresh)
		}
	}
	if got, want := Reasons(Signals{Points: 312, PointsFrom: "HN", Sources: 3}), "HN 312점 · 3개 출처"; got != want {
		t.Errorf("Reasons = %q, want %q", got, want)
	}
}
