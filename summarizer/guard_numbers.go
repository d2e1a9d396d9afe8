package summarizer

import (
	"math/big"
	"regexp"
	"strings"

	"github.com/godevcommunity/newsletter/entry"
)

var (
	// numberToken is a Korean numeral (30만, 1.5억, 2만 5천, 1억 2천만) or
	// a run of digits with inner dots or commas: 2023, 1.23, 3.1.4, 2,000.
	// A "v" or "go" before it is not part of it, so v1.23 and go1.23 both
	// yield 1.23.
	numberToken = regexp.MustCompile(koreanNumeral + `(?:\s?` + koreanNumeral + `)*|\d+(?:[.,]\d+)*`)
	// koreanPart is one part of a Korean numeral: digits, then 백 or 천,
	// then 만, 억 or 조, at least one of the two.
	koreanPart = regexp.MustCompile(koreanNumeral)
	// thousands is a number grouped with commas.
	thousands = regexp.MustCompile(`^\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
	// dottedDate is a Korean-style date, 2021.01.21 or 2021.1.
	dottedDate = regexp.MustCompile(`^(?:19|20)\d{2}\.\d{1,2}(?:\.\d{1,2})?$`)
	// listMarker is an ordered-list number opening a line.
	listMarker = regexp.MustCompile(`(?m)^\s*\d+[.)]\s`)
)

// koreanNumeral is one part of a number written with Korean units.
const koreanNumeral = `(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[백천][만억조]?|[만억조])`

// koreanUnit maps the Korean units to their multipliers, so that "30만"
// matches "300,000" in the source and "2만 5천" matches "25,000".
var koreanUnit = map[rune]int64{'백': 100, '천': 1e3, '만': 1e4, '억': 1e8, '조': 1e12}

// checkGrounding: every number in the answer, code included, appears in the
// source: years, versions, counts, percentages. Comparison is on normalised
// values (2,000 = 2000; 2.0 = 2; 1.23 matches 1.23.4; 30만 = 300000;
// 2만 5천 = 25000), and numbers the source spells out in English count
// (December = 12, a dozen = 12, 1.5 million = 1500000).
// Integers below 10 are exempt: Korean prose counts with them ("3가지",
// "1월") where the article spells the number out or implies it, and a wrong
// one is far less harmful than a wrong year or version. Ordered-list
// markers are not numbers.
func checkGrounding(s entry.Sections, src *source) []Violation {
	var out []Violation
	for _, f := range fields(s) {
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
	for _, raw := range numberToken.FindAllString(s, -1) {
		if n, ok := koreanNumber(raw); ok {
			out = append(out, n)
			continue
		}
		if thousands.MatchString(raw) {
			out = append(out, number{text: raw, values: []string{normalizeDigits(strings.ReplaceAll(raw, ",", ""))}})
			continue
		}
		parts := strings.Split(raw, ",")
		for _, p := range parts {
			n := number{text: p, values: []string{normalizeDigits(p)}}
			if len(parts) == 1 {
				n.text = raw
			}
			out = append(out, n)
		}
	}
	return out
}

// koreanNumber reads a number written with Korean units, such as "30만",
// "1.5억" or "2만 5천": its value is the sum of its parts. A number of one
// part also matches its digits alone, as in "30만" for a source's "30".
func koreanNumber(raw string) (number, bool) {
	parts := koreanPart.FindAllString(raw, -1)
	if len(parts) == 0 {
		return number{}, false
	}
	n := number{text: raw}
	sum := new(big.Rat)
	for _, p := range parts {
		head := strings.TrimRightFunc(p, func(r rune) bool { return koreanUnit[r] != 0 })
		digits := strings.ReplaceAll(head, ",", "")
		v, ok := new(big.Rat).SetString(digits)
		if !ok {
			return number{}, false
		}
		for _, r := range p[len(head):] {
			v.Mul(v, new(big.Rat).SetInt64(koreanUnit[r]))
		}
		sum.Add(sum, v)
		if len(parts) == 1 {
			n.values = append(n.values, normalizeDigits(digits))
		}
	}
	if sum.IsInt() {
		n.values = append(n.values, sum.Num().String())
	}
	return n, true
}

// sourceNumbers indexes every normalised number of the source, with the
// shorter forms an answer may fairly use: 2.0 as 2, and 1.23 for 1.23.4,
// and the numbers it spells out in words (see wordNumbers).
func sourceNumbers(text string) map[string]bool {
	set := map[string]bool{}
	for _, v := range wordNumbers(text) {
		set[v] = true
	}
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
