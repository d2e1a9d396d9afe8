// Package suggest decides which candidates are the same story and how
// candidates rank: near-duplicate titles (Hangul character bigrams and
// lower-cased Latin words, compared by Jaccard similarity) and a score of
// source weight × saturating engagement × recency, with its reasons in
// Korean. Canonical URLs are compared before titles, by the caller, with
// urlnorm.
package suggest

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Threshold is the Jaccard similarity at and above which two titles are
// one story. Chosen on testdata/titles.tsv (101 labelled pairs, see
// TestThreshold): precision 0.86 and recall 0.84 there, the best balance
// (0.50: 0.78 and 0.89; 0.70: 0.93 and 0.60). A false duplicate does not
// hide a story: it joins the other's candidate as one more source.
const Threshold = 0.55

// Title is a title read for comparison.
type Title struct {
	// Tokens are its words: runs of Hangul as character bigrams (a lone
	// syllable as itself), other letters and digits as lower-cased words
	// (version numbers whole: "1.24"; "v5.7.0" is "5.7"; a plural's s
	// dropped), a few English stop words left out.
	Tokens map[string]bool
	// Names are the Latin words written with a capital or a digit
	// ("Docker", "gRPC", "1.24"), as tokens: what tells two stories
	// written to the same pattern apart.
	Names map[string]bool
	// tokens and names are the same as sorted hashes, for comparing
	// many titles fast.
	tokens, names []uint64
}

// Parse reads a title.
func Parse(title string) Title {
	out := Title{Tokens: map[string]bool{}, Names: map[string]bool{}}
	var word, hangul []rune
	flushWord := func() {
		raw := strings.Trim(string(word), ".")
		word = word[:0]
		w := strings.ToLower(raw)
		if w == "" || stopWords[w] {
			return
		}
		w = stem(w)
		out.Tokens[w] = true
		if strings.IndexFunc(raw, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsDigit(r) }) >= 0 {
			out.Names[w] = true
		}
	}
	flushHangul := func() {
		switch {
		case len(hangul) == 1:
			out.Tokens[string(hangul)] = true
		case len(hangul) > 1:
			for i := 0; i+1 < len(hangul); i++ {
				out.Tokens[string(hangul[i:i+2])] = true
			}
		}
		hangul = hangul[:0]
	}
	for _, r := range title {
		switch {
		case unicode.Is(unicode.Hangul, r):
			flushWord()
			hangul = append(hangul, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '.' && len(word) > 0):
			flushHangul()
			word = append(word, r)
		default:
			flushWord()
			flushHangul()
		}
	}
	flushWord()
	flushHangul()
	out.tokens, out.names = hashes(out.Tokens), hashes(out.Names)
	return out
}

// hashes are the FNV-1a hashes of set's words, sorted.
func hashes(set map[string]bool) []uint64 {
	out := make([]uint64, 0, len(set))
	for w := range set {
		h := fnv.New64a()
		_, _ = h.Write([]byte(w))
		out = append(out, h.Sum64())
	}
	slices.Sort(out)
	return out
}

// shared counts the hashes a and b (sorted) have in common.
func shared(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// Tokens are the tokens of a title (Parse).
func Tokens(title string) map[string]bool { return Parse(title).Tokens }

// stem writes a word one way: a version number without its "v" and
// trailing ".0" ("v5.7.0" is "5.7"), a plural without its s.
func stem(w string) string {
	if hasDigit(w) {
		w = strings.TrimPrefix(w, "v")
		for strings.HasSuffix(w, ".0") {
			w = strings.TrimSuffix(w, ".0")
		}
		return w
	}
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "in": true, "to": true, "for": true, "and": true,
	"is": true, "are": true, "with": true, "on": true, "by": true, "from": true, "at": true, "as": true,
	"now": true, "new": true, "show": true, "hn": true, "gn": true,
}

// Similarity is the Jaccard similarity of two token sets: the tokens they
// share over the tokens either has; 0 when both are empty.
func Similarity(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	shared := 0
	for t := range a {
		if b[t] {
			shared++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}

// Match is the similarity of two titles' tokens (Similarity), 0 when each
// names something the other does not: "Go 1.24 is released" is not "Go
// 1.23 is released", nor "Docker 팁" "Kubernetes 팁", however alike the
// other words.
func Match(a, b Title) float64 {
	if len(a.tokens) == 0 && len(b.tokens) == 0 {
		return 0
	}
	n := shared(a.tokens, b.tokens)
	if n == 0 {
		return 0
	}
	// Each has a name the other lacks.
	if shared(a.names, b.tokens) < len(a.names) && shared(b.names, a.tokens) < len(b.names) {
		return 0
	}
	return float64(n) / float64(len(a.tokens)+len(b.tokens)-n)
}

// Near reports whether two titles could reach the threshold at all: their
// Jaccard similarity is at most the smaller token count over the larger,
// so most pairs are ruled out without comparing a token.
func Near(a, b Title) bool {
	la, lb := len(a.tokens), len(b.tokens)
	return min(la, lb) > 0 && float64(min(la, lb)) >= Threshold*float64(max(la, lb))
}

// Same reports whether two titles are one story.
func Same(a, b string) bool { return Match(Parse(a), Parse(b)) >= Threshold }

// Signals are what a candidate's rank is made of.
type Signals struct {
	// Weight is the highest weight of the sources that offered it (1 when
	// zero).
	Weight float64
	// Points and Comments are its engagement where the source has it
	// (Hacker News).
	Points, Comments int
	// PointsFrom names where the points are from ("HN").
	PointsFrom string
	// Sources is how many sources offered it.
	Sources int
	// Age is how long ago it was published (or first seen).
	Age time.Duration
}

// halfLife is the age at which recency halves a candidate's score: a
// weekly newsletter wants this week's news first.
const halfLife = 72 * time.Hour

// Score ranks a candidate: source weight × engagement × recency.
// Engagement saturates (1 to 2 with points and comments, 100 of them
// giving 1.5) and each further source adds 0.5, up to three; recency
// halves every three days.
func Score(s Signals) float64 {
	w := s.Weight
	if w <= 0 {
		w = 1
	}
	x := float64(s.Points + 2*s.Comments)
	engagement := 1 + x/(x+100) + 0.5*float64(min(max(s.Sources-1, 0), 3))
	recency := math.Exp2(-max(s.Age.Hours(), 0) / halfLife.Hours())
	return w * engagement * recency
}

// Reasons say in Korean why a candidate ranks where it does:
// "HN 312점 · 댓글 45개 · 3개 출처".
func Reasons(s Signals) string {
	var rs []string
	if s.Points > 0 {
		from := s.PointsFrom
		if from == "" {
			from = "추천"
		}
		rs = append(rs, fmt.Sprintf("%s %d점", from, s.Points))
	}
	if s.Comments > 0 {
		rs = append(rs, fmt.Sprintf("댓글 %d개", s.Comments))
	}
	if s.Sources > 1 {
		rs = append(rs, fmt.Sprintf("%d개 출처", s.Sources))
	}
	if s.Weight > 1 {
		rs = append(rs, fmt.Sprintf("출처 가중치 %g", s.Weight))
	}
	return strings.Join(rs, " · ")
}
