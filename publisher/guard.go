package publisher

import (
	"regexp"
	"strings"
)

// guardLine escapes the first character of a line that would otherwise end
// the section it belongs to: an ATX heading ("# ...", also inside a block
// quote or list item), a setext underline ("===" or "---" under a paragraph
// line) or the start of an HTML block. The backslash escape keeps the text
// visible as written. prevBlank reports whether the line before was blank.
func guardLine(line string, prevBlank bool) string {
	// Under a paragraph line, "---" is a setext underline, not a rule, and
	// "-" is one too, not an empty list item.
	if rest := strings.TrimLeft(line, " \t"); !prevBlank && isSetextUnderline(rest) {
		return line[:len(line)-len(rest)] + `\` + rest
	}
	if isThematicBreak(line) {
		return line
	}
	i := contentStart(line)
	rest := line[i:]
	if rest == "" {
		return line
	}
	if rest[0] == '#' || isHTMLBlockStart(rest) || (!prevBlank && isSetextUnderline(rest)) {
		return line[:i] + `\` + rest
	}
	return line
}

// contentStart returns the offset in line of its first character after
// indentation and any block quote ('>') or list item markers.
func contentStart(line string) int {
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			return i
		}
		switch c := line[i]; {
		case c == '>':
			i++
			continue
		case c == '-' || c == '*' || c == '+':
			if markerEnds(line, i+1) {
				i++
				continue
			}
		case isDigit(c):
			j := i
			for j < len(line) && j-i < 9 && isDigit(line[j]) {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && markerEnds(line, j+1) {
				i = j + 1
				continue
			}
		}
		return i
	}
}

// markerEnds reports whether a list marker ending before line[i] is followed
// by white space or the end of the line.
func markerEnds(line string, i int) bool {
	return i == len(line) || line[i] == ' ' || line[i] == '\t'
}

// isSetextUnderline reports whether s is a run of '=' or of '-' alone.
func isSetextUnderline(s string) bool {
	s = strings.TrimRight(s, " \t")
	return s != "" && (strings.Trim(s, "=") == "" || strings.Trim(s, "-") == "")
}

// isThematicBreak reports whether line is a thematic break: three or more
// '-', '*' or '_' (the same one), possibly spaced, indented at most 3 columns.
func isThematicBreak(line string) bool {
	w, rest := splitIndent(line)
	if w > 3 {
		return false
	}
	var mark byte
	n := 0
	for i := range len(rest) {
		switch c := rest[i]; {
		case c == ' ' || c == '\t':
		case mark == 0 && (c == '-' || c == '*' || c == '_'):
			mark, n = c, 1
		case c == mark:
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// autolink matches a URI or e-mail autolink ("<https://go.dev>"), which
// starts with '<' but is not HTML.
var autolink = regexp.MustCompile(`^<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\x00-\x20<>]*|[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>`)

// isHTMLBlockStart reports whether s, the content of a line, may start an
// HTML block: '<' followed by a letter, '/', '!' or '?'. An unclosed comment
// or <pre> would swallow the rest of the issue; a heading tag would add one.
func isHTMLBlockStart(s string) bool {
	if len(s) < 2 || s[0] != '<' {
		return false
	}
	c := s[1]
	if !isASCIILetter(c) && c != '/' && c != '!' && c != '?' {
		return false
	}
	return !autolink.MatchString(s)
}

func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
