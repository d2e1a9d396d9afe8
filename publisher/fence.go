package publisher

import "strings"

// codeFence is an open fenced code block; the zero value is none.
type codeFence struct {
	mark   byte // '`' or '~'
	size   int  // length of the opening run
	indent int  // columns the opening line was indented
}

func (f codeFence) open() bool { return f.size > 0 }

// closedBy reports whether line closes f: a run of the fence character at
// least as long as the opening one, and nothing else.
func (f codeFence) closedBy(line string) bool {
	s := strings.TrimSpace(line)
	return len(s) >= f.size && strings.Trim(s, string(f.mark)) == ""
}

func (f codeFence) closer() string { return strings.Repeat(string(f.mark), f.size) }

// openingFence reports whether line opens a fenced code block: three or more
// backticks or tildes, at any indentation; a backtick fence's info string may
// not contain a backtick (that would be an inline code span).
func openingFence(line string) (codeFence, bool) {
	w, rest := splitIndent(line)
	if rest == "" || (rest[0] != '`' && rest[0] != '~') {
		return codeFence{}, false
	}
	mark := rest[0]
	n := len(rest) - len(strings.TrimLeft(rest, string(mark)))
	if n < 3 || (mark == '`' && strings.Contains(rest[n:], "`")) {
		return codeFence{}, false
	}
	return codeFence{mark: mark, size: n, indent: w}, true
}

// splitIndent returns the width in columns of line's leading spaces and tabs
// (tab stops every 4 columns) and the rest of the line.
func splitIndent(line string) (int, string) {
	w := 0
	for i := range len(line) {
		switch line[i] {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w, line[i:]
		}
	}
	return w, ""
}

func indentWidth(line string) int {
	w, _ := splitIndent(line)
	return w
}

// dedent removes up to n columns of leading white space from line.
func dedent(line string, n int) string {
	w := 0
	for i := 0; i < len(line) && w < n; i++ {
		switch line[i] {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return line[i:]
		}
		if w >= n {
			return line[i+1:]
		}
	}
	return line
}
