package publisher

import "strings"

// dropLinks replaces every inline link and image in line with its text
// (an image with its alt text) and escapes every other '[', so that nothing
// in the line links anywhere, whatever the destination: the article's one
// link is its 참고 section, written from the canonical URL, and a link in a
// field is either a copy of that or a guess, broken outside its source site
// when it is site-relative (defect 4 of the seed issue). With no '[' left
// to open one, reference links and their definitions ("[x]: /path") are text
// too. Code spans and the autolinks escapeHTML keeps (http(s) URLs and
// e-mail addresses, which show where they go) are left as they are.
//
// Links are found as CommonMark finds them: a ']' closes the nearest open
// '[', which is a link when "(destination "title")" follows; a link inside
// the text of another makes the outer one text.
func dropLinks(line string) string {
	type opener struct {
		at    int // index in parts of its escaped bracket
		image bool
	}
	var (
		sc    = inlineScanner{s: line}
		parts linkParts
		open  []opener
		// A link deactivates the '[' openers before it, which is all of
		// open[:dead] that are not images.
		dead int
	)
	for sc.i < len(line) {
		if lit, ok := sc.literal(); ok {
			parts.add(lit)
			continue
		}
		switch c := line[sc.i]; {
		case c == '!' && strings.HasPrefix(line[sc.i:], "!["):
			open = append(open, opener{at: len(parts), image: true})
			parts.add(`!\[`)
			sc.i += 2
		case c == '[':
			open = append(open, opener{at: len(parts)})
			parts.add(`\[`)
			sc.i++
		case c == ']' && len(open) > 0:
			k := len(open) - 1
			o, active := open[k], open[k].image || k >= dead
			open, dead = open[:k], min(dead, k)
			if end := linkTail(line, sc.i+1); active && end >= 0 {
				parts[o.at] = seam
				parts.add(seam)
				sc.i = end
				if !o.image {
					dead = len(open)
				}
				continue
			}
			parts.add("]")
			sc.i++
		default:
			end := sc.plainEnd("\\`<![]")
			parts.add(line[sc.i:end])
			sc.i = end
		}
	}
	return parts.join()
}

// linkParts is a line under rewriting: pieces of output text and seams,
// where dropped link syntax was.
type linkParts []string

// seam marks where text was dropped.
const seam = ""

func (p *linkParts) add(s string) { *p = append(*p, s) }

// join concatenates the parts. Where backticks would meet across a seam, a
// space keeps them apart: one run of backticks made of two would close or
// open code spans differently from the ones the line was read with.
func (p linkParts) join() string {
	var (
		b      strings.Builder
		atSeam bool
	)
	for _, s := range p {
		if s == seam {
			atSeam = true
			continue
		}
		if atSeam && b.Len() > 0 && b.String()[b.Len()-1] == '`' && s[0] == '`' {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		atSeam = false
	}
	return b.String()
}

// linkTail returns the offset just past the "(destination "title")" of an
// inline link that starts at s[i], or -1 when there is none there. The
// destination is <...> or a run of non-space characters with balanced
// parentheses, and may be empty; the title, set apart by white space, is
// in double quotes, single quotes or parentheses.
func linkTail(s string, i int) int {
	if i >= len(s) || s[i] != '(' {
		return -1
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '<' {
		end := delimitedEnd(s, i+1, '>', '<')
		if end < 0 {
			return -1
		}
		i = end
	} else {
		depth := 0
	dest:
		for ; i < len(s); i++ {
			switch c := s[i]; {
			case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
				i++
			case c == '(':
				depth++
			case c == ')':
				if depth == 0 {
					break dest
				}
				depth--
			case c <= ' ' || c == 0x7f:
				break dest
			}
		}
		if depth != 0 {
			return -1
		}
	}
	j := skipSpace(s, i)
	if j > i && j < len(s) && (s[j] == '"' || s[j] == '\'' || s[j] == '(') {
		closer, forbidden := s[j], byte(0)
		if closer == '(' {
			closer, forbidden = ')', '('
		}
		end := delimitedEnd(s, j+1, closer, forbidden)
		if end < 0 {
			return -1
		}
		j = skipSpace(s, end)
	}
	if j < len(s) && s[j] == ')' {
		return j + 1
	}
	return -1
}

// delimitedEnd returns the offset just past the first unescaped closer in s
// from offset i, or -1 when there is none or an unescaped forbidden byte
// (when not 0) comes first.
func delimitedEnd(s string, i int, closer, forbidden byte) int {
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			i++
		case c == closer:
			return i + 1
		case forbidden != 0 && c == forbidden:
			return -1
		}
	}
	return -1
}

// skipSpace returns the offset of the first byte in s from offset i that is
// not a space or tab.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}
