// Package words splits text into word tokens the way the article-extraction
// benchmark does: maximal runs of Unicode letters, digits and underscores,
// which is what Python's `\w+` matches on str.
package words

import (
	"unicode"
	"unicode/utf8"
)

// IsWordRune reports whether r belongs to a word token.
func IsWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Split returns the word tokens of s in order.
func Split(s string) []string {
	var out []string
	Each(s, func(w string) { out = append(out, w) })
	return out
}

// Count returns the number of word tokens in s without allocating.
func Count(s string) int {
	n := 0
	Each(s, func(string) { n++ })
	return n
}

// Each calls fn for every word token of s, in order.
func Each(s string, fn func(word string)) {
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if IsWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			fn(s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(s[start:])
	}
}
