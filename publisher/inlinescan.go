package publisher

import "strings"

// inlineScanner reads one line of prose, or one table cell, the way a
// CommonMark renderer reads inline content, for the guards that rewrite it.
// What the guards must not look into is copied as it is: backslash escapes,
// code spans (a run of N backticks up to the next run of exactly N) and the
// autolinks they keep. A run of backticks that closes no code span on its
// line is escaped, so no code span in the output goes on to another line and
// a line's code spans are the same read alone or within its paragraph.
type inlineScanner struct {
	s string
	i int // offset of the next byte to read
	// noCloser[n] is an offset in s after which no run of exactly n
	// backticks starts: a later search for one can stop at once.
	noCloser map[int]int
}

// literal returns the text at the scanner's position that is copied without
// looking inside, and moves past it. ok is false, and the position kept,
// when the text there is none of that.
func (sc *inlineScanner) literal() (text string, ok bool) {
	s, i := sc.s, sc.i
	switch s[i] {
	case '\\':
		if i+1 < len(s) && isASCIIPunct(s[i+1]) {
			sc.i += 2
			return s[i : i+2], true
		}
	case '`':
		n := runLength(s, i, '`')
		if end := sc.codeSpanEnd(i+n, n); end >= 0 {
			sc.i = end
			return s[i:end], true
		}
		sc.i += n
		return strings.Repeat("\\`", n), true
	case '<':
		if n := keptAutolink(s[i:]); n > 0 {
			sc.i += n
			return s[i : i+n], true
		}
	}
	return "", false
}

// codeSpanEnd returns the offset just past the code span whose opening run
// of n backticks ends at from: past the next run of exactly n backticks, or
// -1 when there is none and the opening run is text. Backslashes do not
// escape inside a code span, so the closing run may follow one.
func (sc *inlineScanner) codeSpanEnd(from, n int) int {
	if p, ok := sc.noCloser[n]; ok && from >= p {
		return -1
	}
	for j := from; ; {
		k := strings.IndexByte(sc.s[j:], '`')
		if k < 0 {
			break
		}
		j += k
		m := runLength(sc.s, j, '`')
		if m == n {
			return j + m
		}
		j += m
	}
	if sc.noCloser == nil {
		sc.noCloser = make(map[int]int)
	}
	if p, ok := sc.noCloser[n]; !ok || from < p {
		sc.noCloser[n] = from
	}
	return -1
}

// plainEnd returns the end of the run of bytes from the scanner's position
// that holds none of special; the byte at the position itself is always in
// the run.
func (sc *inlineScanner) plainEnd(special string) int {
	if k := strings.IndexAny(sc.s[sc.i+1:], special); k >= 0 {
		return sc.i + 1 + k
	}
	return len(sc.s)
}

// runLength returns how many times c repeats in s from offset i.
func runLength(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// isASCIIPunct reports whether a backslash before c escapes it in markdown.
func isASCIIPunct(c byte) bool {
	return '!' <= c && c <= '/' || ':' <= c && c <= '@' || '[' <= c && c <= '`' || '{' <= c && c <= '~'
}
