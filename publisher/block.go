package publisher

import (
	"strings"
	"unicode"
)

// blockText cleans s, a field of prose, into the body of one section.
//
// It normalises line endings, trims the field, strips trailing white space
// from every line and collapses runs of blank lines into one. It keeps the
// field inside its section: a line that markdown would read as a heading
// (ATX or setext) or as the start of an HTML block is escaped, and a code
// fence left open is closed. Outside code, links are reduced to their text
// and raw HTML inside a line is escaped too (guardInline). Fences are moved
// to column 0 (their content dedented to match) so that where a code block
// ends does not depend on the list or indentation around it, and set apart
// by blank lines. A list that directly follows a paragraph line gets a blank
// line before it, so every renderer shows it as a list.
func blockText(s string) string {
	s = strings.TrimSpace(cleanText(s))
	if s == "" {
		return ""
	}

	var (
		out        []string
		fence      codeFence
		afterFence bool // the previous line closed a fence
		listOpen   bool
	)
	lines := strings.Split(s, "\n")
	table := tableRuns(lines)
	for i, line := range lines {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		prevBlank := len(out) == 0 || out[len(out)-1] == ""
		if line == "" {
			if !prevBlank {
				out = append(out, "")
			}
			continue
		}
		if fence.open() {
			if fence.closedBy(line) {
				out = append(out, strings.TrimSpace(line))
				fence, afterFence = codeFence{}, true
			} else {
				out = append(out, dedent(line, fence.indent))
			}
			continue
		}
		if f, ok := openingFence(line); ok {
			if !prevBlank {
				out = append(out, "")
			}
			fence, listOpen, afterFence = f, false, false
			out = append(out, strings.TrimLeft(line, " \t"))
			continue
		}

		if line = guardInline(line, table[i]); line == "" {
			continue // nothing was on it but links without text
		}
		if !prevBlank && afterFence {
			out, prevBlank = append(out, ""), true
		}
		afterFence = false
		line = guardLine(line, prevBlank)
		switch kind := listItemKind(line); {
		case kind == bulletItem || kind == orderedFirstItem:
			if !prevBlank && !listOpen {
				out = append(out, "")
			}
			listOpen = true
		case kind == orderedItem && (listOpen || prevBlank):
			listOpen = true
		case prevBlank && indentWidth(line) < 2:
			listOpen = false
		}
		out = append(out, line)
	}
	if fence.open() {
		out = append(out, fence.closer())
	}
	return strings.Join(out, "\n")
}

// cleanText makes s valid UTF-8 with "\n" line endings and drops the
// control characters other than tab and newline, which prose never needs.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// List item kinds, as far as blank-line placement needs them.
const (
	notListItem      = iota
	bulletItem       // "- ", "* ", "+ "
	orderedFirstItem // "1. " or "1) ": may start a list after a paragraph line
	orderedItem      // any other number
)

// listItemKind classifies a line indented at most 3 columns that starts a
// list item.
func listItemKind(line string) int {
	w, rest := splitIndent(line)
	if w > 3 || rest == "" || isThematicBreak(line) {
		return notListItem
	}
	if c := rest[0]; c == '-' || c == '*' || c == '+' {
		if markerEnds(rest, 1) {
			return bulletItem
		}
		return notListItem
	}
	j, n := 0, 0
	for j < len(rest) && j < 9 && isDigit(rest[j]) {
		n = n*10 + int(rest[j]-'0')
		j++
	}
	if j == 0 || j == len(rest) || (rest[j] != '.' && rest[j] != ')') || !markerEnds(rest, j+1) {
		return notListItem
	}
	if n == 1 {
		return orderedFirstItem
	}
	return orderedItem
}
