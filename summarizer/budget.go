package summarizer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EstimateTokens approximates how many tokens Gemini's tokenizer makes of s
// without calling the API. It errs on the high side so that text trimmed to a
// budget fits it:
//
//   - ASCII: one token per four bytes, Google's rule of thumb for English;
//   - Hangul syllables, Han characters and kana: one token each (the real
//     tokenizer often merges common Korean syllables, so this over-counts);
//   - any other rune (accented Latin, Cyrillic, symbols): one token per two.
//
// The estimate is additive within rounding: the estimate of a concatenation
// is never more than the sum of the estimates of its parts.
func EstimateTokens(s string) int {
	var ascii, wide, other int
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			ascii++
		case unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana):
			wide++
		default:
			other++
		}
	}
	return (ascii+3)/4 + wide + (other+1)/2
}

// omitted marks where trimmed text was cut, before the outline of the
// headings that follow.
const omitted = "[…]"

var (
	paragraphBreak = regexp.MustCompile(`\n[ \t]*\n\s*`)
	headingLine    = regexp.MustCompile(`^#{1,6}\s+\S`)
)

// fitText returns text cut to at most budget estimated tokens, and whether it
// was cut. It keeps the opening paragraphs whole, then, after a marker, the
// heading lines of the paragraphs it dropped, so the model still sees the
// article's structure. Up to a quarter of the budget is set aside for those
// headings. A first paragraph too long on its own is cut at a line, sentence
// or word boundary.
func fitText(text string, budget int) (string, bool) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if EstimateTokens(text) <= budget {
		return text, false
	}
	blocks := paragraphBreak.Split(text, -1)
	// Each block costs its estimate plus one token for the separator.
	cost := make([]int, len(blocks))
	heads := make([][]string, len(blocks))
	for i, b := range blocks {
		cost[i] = EstimateTokens(b) + 1
		for _, line := range strings.Split(b, "\n") {
			if headingLine.MatchString(strings.TrimSpace(line)) {
				heads[i] = append(heads[i], strings.TrimSpace(line))
			}
		}
	}
	// headCost[i] is the cost of the heading lines in blocks[i:].
	headCost := make([]int, len(blocks)+1)
	for i := len(blocks) - 1; i >= 0; i-- {
		headCost[i] = headCost[i+1]
		for _, h := range heads[i] {
			headCost[i] += EstimateTokens(h) + 1
		}
	}
	avail := budget - EstimateTokens(omitted) - 1
	if avail <= 0 {
		return "", true
	}
	reserve := func(from int) int { return min(headCost[from], avail/4) }

	n, used := 0, 0
	for n < len(blocks) && used+cost[n] <= avail {
		used += cost[n]
		n++
	}
	for n > 0 && used+reserve(n) > avail {
		n--
		used -= cost[n]
	}
	opening := blocks[:n:n]
	if n == 0 {
		first := cutToTokens(blocks[0], avail-reserve(1)-1)
		opening = []string{first}
		used = EstimateTokens(first) + 1
		n = 1
	}

	var outline []string
	for _, b := range heads[n:] {
		for _, h := range b {
			c := EstimateTokens(h) + 1
			if used+c > avail {
				break
			}
			outline = append(outline, h)
			used += c
		}
	}
	var sb strings.Builder
	sb.WriteString(strings.Join(opening, "\n\n"))
	sb.WriteString("\n\n" + omitted)
	if len(outline) > 0 {
		sb.WriteString("\n\n" + strings.Join(outline, "\n"))
	}
	return strings.TrimSpace(sb.String()), true
}

// cutToTokens returns the longest prefix of s within n estimated tokens,
// shortened to the last line break, sentence end or space when one falls in
// the second half of that prefix.
func cutToTokens(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if EstimateTokens(s) <= n {
		return s
	}
	// Binary search over byte offsets; estimates grow with the prefix.
	lo, hi := 0, len(s)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		for mid > lo && mid < len(s) && !utf8.RuneStart(s[mid]) {
			mid--
		}
		if mid == lo {
			break
		}
		if EstimateTokens(s[:mid]) <= n {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	prefix := s[:lo]
	for _, sep := range []string{"\n", ". ", " "} {
		if i := strings.LastIndex(prefix, sep); i >= len(prefix)/2 {
			return strings.TrimSpace(prefix[:i+len(sep)])
		}
	}
	return strings.TrimSpace(prefix)
}
