package summarizer

import (
	"regexp"
	"strconv"
	"strings"
)

// An English article often spells out what a Korean summary writes in
// digits: "December 2023" is "2023년 12월", "ten years" is "10년", "a
// dozen tips" is "12가지 팁", "10k stars" is "1만 개", "1.5 million
// downloads" is "150만 다운로드". wordNumbers finds those values so that the
// grounding rule accepts them.

// wordToken is a lower-case word or a decimal number.
var wordToken = regexp.MustCompile(`[a-z]+|\d+(?:\.\d+)?`)

// numberWords are cardinal and ordinal words from ten upwards (smaller
// counts are exempt from grounding anyway) and the months.
var numberWords = map[string]int64{
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
	"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"dozen": 12, "dozens": 12, "decade": 10, "decades": 10,
	"hundred": 100, "hundredth": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// tensWords take a following unit word: "twenty-five" is 25.
var tensWords = map[string]int64{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
	"sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}

var unitWords = map[string]int64{
	"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
	"sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}

// scaleWords multiply the number before them: "1.5 million", "10k". The
// one-letter ones count only right after digits, so "a.m." is no number.
var scaleWords = map[string]int64{
	"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9,
}

// wordNumbers returns the normalised values of the numbers text spells out
// in English words, month names or digits with a scale word.
func wordNumbers(text string) []string {
	text = strings.ToLower(text)
	locs := wordToken.FindAllStringIndex(text, -1)
	word := func(i int) string {
		if i >= len(locs) {
			return ""
		}
		return text[locs[i][0]:locs[i][1]]
	}
	var out []string
	for i := 0; i < len(locs); i++ {
		w := word(i)
		var v int64
		switch {
		case numberWords[w] != 0:
			v = numberWords[w]
		case tensWords[w] != 0:
			v = tensWords[w]
			if u := word(i + 1); u != "a" && unitWords[u] != 0 {
				v += unitWords[u]
				i++
			}
		case unitWords[w] != 0:
			v = unitWords[w]
		}
		digits := v == 0
		s := strconv.FormatInt(v, 10)
		if digits {
			if w[0] < '0' || w[0] > '9' {
				continue
			}
			s = normalizeDigits(w)
		}
		next := word(i + 1)
		if m := scaleWords[next]; m != 0 && (len(next) > 2 || digits && locs[i][1] == locs[i+1][0]) {
			if scaled := scale(s, m); scaled != "" {
				s = scaled
				i++
			}
		}
		out = append(out, s)
	}
	return out
}
