package extractor

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// furnitureNameGroups are the class and id words of furniture found
// inside article containers, by the rule that drops them. Like
// furnitureWords (see skipped), a name is matched word by word after
// splitting on "-" and "_". Dates, post metadata and widgets by name were
// measured too and left out: each lowered the held-out F1 of the
// Readability.js corpus (see docs/extraction.md).
var furnitureNameGroups = map[string][]string{
	RuleNamesCredits: {"copyright", "credits"},
	RuleNamesRelated: {"related", "relatedlinks", "relatedposts"},
}

// hasName reports whether a word of n's class or id is one of names.
func hasName(n *html.Node, names []string) bool {
	for _, v := range []string{attr(n, "class"), attr(n, "id")} {
		for _, f := range strings.Fields(strings.ToLower(v)) {
			for w := range strings.FieldsFuncSeq(f, func(r rune) bool { return r == '-' || r == '_' }) {
				if slices.Contains(names, w) {
					return true
				}
			}
		}
	}
	return false
}

// leadInGroups are phrases that open lines of post metadata, in the
// languages of the corpora, by the rule that drops them. They are matched,
// lower-cased, at the start of a line and before a non-letter. Pointers to
// related reading and calls to subscribe were measured too and left out:
// the first lowered the held-out F1 of the Readability.js corpus, the
// second raised neither (see docs/extraction.md).
var leadInGroups = map[string][]string{
	RuleLeadInMetadata: {
		"this entry was posted", "posted in", "filed under", "tags:",
		"über den autor", "autor:", "autoren:", "von:", "aktualisiert", "kategorie:", "kommentare",
		"der beitrag wurde am", "dieser text wurde veröffentlicht", "kontakt:", "rezept drucken",
		"zur übersicht", "lire la suite", "pour lire la suite", "ten tekst przeczytasz",
	},
}

// isLeadIn reports whether a lower-cased line opens with one of phrases.
func isLeadIn(line string, phrases []string) bool {
	for _, p := range phrases {
		if rest, ok := strings.CutPrefix(line, p); ok && (rest == "" || !isWordStart(rest[0])) {
			return true
		}
	}
	return false
}

// isWordStart reports whether b may continue a word: an ASCII letter or
// digit, or the first byte of a non-ASCII rune.
func isWordStart(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

// months are month names and abbreviations in the corpora's languages.
const months = `jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|jun(?:e|\.)?|jul(?:y|\.)?|aug(?:ust|\.)?|sep(?:t|tember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?|` +
	`januar|februar|märz|mai|juni|juli|oktober|dezember|` +
	`janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|` +
	`enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|` +
	`stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|` +
	`januari|februari|maart|augustus`

// dateLine matches a lower-cased line that is only a date, perhaps with a
// time and a word such as "updated". It is compiled on first use: at
// package initialisation it would cost every command, not only those that
// extract, several milliseconds.
var dateLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:(?:aktualisiert|updated|published|veröffentlicht|stand|posted|publié le|publicado)(?: am| on)?:? )?` +
		`(?:\d{1,2}[./-] ?\d{1,2}[./-] ?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.? (?:` + months + `) \d{4}|(?:` + months + `) \d{1,2},? \d{4})` +
		`(?:,? (?:um )?\d{1,2}[:.]\d{2}(?: ?(?:uhr|am|pm|h))?)?$`)
})
