package summarizer

import (
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	// numberToken is a run of digits with inner dots or commas: 2023, 1.23,
	// 3.1.4, 2,000. A "v" or "go" before it is not part of it, so v1.23 and
	// go1.23 both yield 1.23.
	numberToken = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
	// thousands is a number grouped with commas.
	thousands = regexp.MustCompile(`^\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
	// dottedDate is a Korean-style date, 2021.01.21 or 2021.1.
	dottedDate = regexp.MustCompile(`^(?:19|20)\d{2}\.\d{1,2}(?:\.\d{1,2})?$`)
	// listMarker is an ordered-list number opening a line.
	listMarker = regexp.MustCompile(`(?m)^\s*\d+[.)]\s`)
)

// koreanScale maps the Korean myriad suffixes to their multipliers, so that
// "30만" matches "300,000" in the source.
var koreanScale = map[rune]int64{'천': 1e3, '만': 1e4, '억': 1e8, '조': 1e12}

// checkGrounding: every number in the answer, code included, appears in the
// source: years, versions, counts, percentages. Comparison is on normalised
// values (2,000 = 2000; 2.0 = 2; 1.23 matches 1.23.4; 30만 = 300000).
// Integers below 10 are exempt: Korean prose counts with them ("3가지",
// "1월") where the article spells the number out or implies it, and a wrong
// one is far less harmful than a wrong year or version. Ordered-list
// markers are not numbers.
func checkGrounding(s Sections, src *source) []Violation {
	var out []Violation
	for _, f := range s.fields() {
		reported := map[string]bool{}
		for _, n := range answerNumbers(f.value) {
			if n.exempt() || reported[n.text] || src.has(n) {
				continue
			}
			reported[n.text] = true
			out = append(out, Violation{Field: f.name, Detail: "number " + quote(n.text) + " does not appear in the article; use only numbers the article states"})
		}
	}
	return out
}

// number is one numeric value found in text: its spelling and the
// normalised values it may match.
type number struct {
	text   string
	values []string
}

func (n number) exempt() bool {
	for _, v := range n.values {
		if strings.Contains(v, ".") || len(v) > 1 {
			return false
		}
	}
	return true
}

func (src *source) has(n number) bool {
	for _, v := range n.values {
		if src.numbers[v] || src.numbers[trimZeroParts(v)] {
			return true
		}
	}
	return false
}

// answerNumbers finds the numbers of an answer field. A dotted date is
// split into its parts, which are checked one by one.
func answerNumbers(s string) []number {
	s = listMarker.ReplaceAllString(s, "")
	var out []number
	for _, n := range findNumbers(s) {
		if dottedDate.MatchString(n.text) {
			for _, part := range strings.Split(n.text, ".") {
				out = append(out, number{text: part, values: []string{normalizeDigits(part)}})
			}
			continue
		}
		out = append(out, n)
	}
	return out
}

// findNumbers returns each number token of s with its normalised values.
func findNumbers(s string) []number {
	var out []number
	for _, loc := range numberToken.FindAllStringIndex(s, -1) {
		raw := s[loc[0]:loc[1]]
		var parts []string
		if thousands.MatchString(raw) {
			parts = []string{strings.ReplaceAll(raw, ",", "")}
		} else {
			parts = strings.Split(raw, ",")
		}
		next, _ := utf8.DecodeRuneInString(s[loc[1]:])
		for _, p := range parts {
			n := number{text: p, values: []string{normalizeDigits(p)}}
			if len(parts) == 1 {
				n.text = raw
			}
			if mult, ok := koreanScale[next]; ok && len(parts) == 1 {
				if scaled := scale(n.values[0], mult); scaled != "" {
					n.values = append(n.values, scaled)
				}
			}
			out = append(out, n)
		}
	}
	return out
}

// sourceNumbers indexes every normalised number of the source, with the
// shorter forms an answer may fairly use: 2.0 as 2, and 1.23 for 1.23.4.
func sourceNumbers(text string) map[string]bool {
	set := map[string]bool{}
	for _, n := range findNumbers(text) {
		for _, v := range n.values {
			set[v] = true
			set[trimZeroParts(v)] = true
			parts := strings.Split(v, ".")
			for k := 2; k < len(parts); k++ {
				set[strings.Join(parts[:k], ".")] = true
			}
		}
		if dottedDate.MatchString(n.text) {
			for _, part := range strings.Split(n.text, ".") {
				set[normalizeDigits(part)] = true
			}
		}
	}
	return set
}

// normalizeDigits drops leading zeros of the first component: 08 → 8.
func normalizeDigits(s string) string {
	head, tail, dotted := strings.Cut(s, ".")
	head = strings.TrimLeft(head, "0")
	if head == "" {
		head = "0"
	}
	if dotted {
		return head + "." + tail
	}
	return head
}

// trimZeroParts drops trailing ".0" components: 2.0 → 2, 1.20.0 → 1.20.
func trimZeroParts(s string) string {
	for strings.HasSuffix(s, ".0") {
		s = strings.TrimSuffix(s, ".0")
	}
	return s
}

// scale multiplies a decimal string by mult, returning "" when the result
// is not a whole number.
func scale(v string, mult int64) string {
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return ""
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	if !r.IsInt() {
		return ""
	}
	return r.Num().String()
}
