package publisher

import "strings"

// escapeHTML escapes the '<' of the raw HTML in line, outside code spans, so
// that it shows as the text it is (defect 4 of the seed issue: tags copied
// from the source page, with links relative to its site). Raw HTML is what
// CommonMark reads as such: an open tag "<name attr=...>", a closing tag
// "</name>", a comment "<!--", a processing instruction "<?", a declaration
// "<!X" or CDATA; a tag that runs to the end of the line is escaped too, as
// it may close on the next one. An autolink stays when it goes to an
// absolute http(s) URL or is an e-mail address; one with any other scheme
// (<javascript:...>) is escaped. A '<' that starts none of these, as in
// "a < b" or "x<3", is left alone.
func escapeHTML(line string) string {
	var (
		sc = inlineScanner{s: line}
		b  strings.Builder
	)
	b.Grow(len(line))
	for sc.i < len(line) {
		if lit, ok := sc.literal(); ok {
			b.WriteString(lit)
			continue
		}
		if rest := line[sc.i:]; rest[0] == '<' && (autolinkLen(rest) > 0 || isRawHTML(rest)) {
			b.WriteString(`\<`)
			sc.i++
			continue
		}
		end := sc.plainEnd("\\`<")
		b.WriteString(line[sc.i:end])
		sc.i = end
	}
	return b.String()
}

// autolinkLen returns the length of the URI or e-mail autolink that s starts
// with ("<https://go.dev>", "<gopher@example.com>"), or 0.
func autolinkLen(s string) int {
	return len(autolink.FindString(s))
}

// keptAutolink returns the length of the autolink that s starts with when it
// may stay a link: one to an absolute http(s) URL or an e-mail address.
func keptAutolink(s string) int {
	n := autolinkLen(s)
	if n == 0 {
		return 0
	}
	if target := s[1 : n-1]; strings.Contains(target, ":") && !absoluteHTTP(target) {
		return 0
	}
	return n
}

// isRawHTML reports whether s starts with raw inline HTML, or with an open
// or closing tag that the end of s cuts short.
func isRawHTML(s string) bool {
	switch {
	case strings.HasPrefix(s, "<!--"), strings.HasPrefix(s, "<?"), strings.HasPrefix(s, "<![CDATA["):
		return true
	case strings.HasPrefix(s, "<!"):
		return len(s) > 2 && isASCIILetter(s[2])
	case strings.HasPrefix(s, "</"):
		i := tagNameEnd(s, 2)
		if i < 0 {
			return false
		}
		i = skipSpace(s, i)
		return i == len(s) || s[i] == '>'
	}
	i := tagNameEnd(s, 1)
	if i < 0 {
		return false
	}
	for {
		j := skipSpace(s, i)
		switch {
		case j == len(s) || s[j] == '>':
			return true
		case s[j] == '/':
			return j+1 == len(s) || s[j+1] == '>'
		case j == i || !isAttrNameStart(s[j]):
			return false // an attribute starts after white space, with a name
		}
		for j++; j < len(s) && isAttrNameByte(s[j]); j++ {
		}
		i = j
		j = skipSpace(s, j)
		if j == len(s) {
			return true
		}
		if s[j] != '=' {
			continue // an attribute without a value
		}
		j = skipSpace(s, j+1)
		switch {
		case j == len(s):
			return true
		case s[j] == '"' || s[j] == '\'':
			k := strings.IndexByte(s[j+1:], s[j])
			if k < 0 {
				return true
			}
			i = j + 1 + k + 1
		default:
			k := j
			for k < len(s) && !strings.ContainsRune(" \t\"'=<>`", rune(s[k])) {
				k++
			}
			if k == j {
				return false
			}
			i = k
		}
	}
}

// tagNameEnd returns the offset just past the HTML tag name that starts at
// s[i] (an ASCII letter, then letters, digits and '-'), or -1.
func tagNameEnd(s string, i int) int {
	if i >= len(s) || !isASCIILetter(s[i]) {
		return -1
	}
	for i++; i < len(s) && (isASCIILetter(s[i]) || isDigit(s[i]) || s[i] == '-'); i++ {
	}
	return i
}

func isAttrNameStart(c byte) bool { return isASCIILetter(c) || c == '_' || c == ':' }

func isAttrNameByte(c byte) bool {
	return isAttrNameStart(c) || isDigit(c) || c == '.' || c == '-'
}
