package publisher

import (
	"strings"
	"unicode"
)

// guardInline rewrites one line of prose so that it neither links anywhere
// nor holds raw HTML (see dropLinks and escapeHTML), outside code spans.
// table reports that the line may be a row of a GFM table, whose cells are
// read one by one: a code span does not go past a '|' there.
//
// Links are dropped first and HTML escaped in the result, so that text a
// dropped link leaves next to a '<' is read as it will be published. The
// guards work line by line: a code span, link or tag never goes on to the
// next line in the output. A dropped link can leave text at the start of the
// line that opens a block the raw line did not; a code fence or a table
// delimiter row is escaped here, and guardLine sees to the rest.
func guardInline(line string, table bool) string {
	guard := func(s string) string { return escapeHTML(dropLinks(s)) }
	var out string
	if table {
		cells := splitCells(line)
		for i, c := range cells {
			cells[i] = guard(c)
		}
		out = strings.Join(cells, "|")
	} else {
		out = guard(line)
	}
	out = strings.TrimRightFunc(out, unicode.IsSpace)
	if out == line {
		return out
	}
	if _, ok := openingFence(out); ok {
		i := len(out) - len(strings.TrimLeft(out, " \t"))
		return out[:i] + `\` + out[i:]
	}
	if i := contentStart(out); isDelimiterRow(out[i:]) && !isDelimiterRow(line[contentStart(line):]) {
		return out[:i] + `\` + out[i:]
	}
	return out
}

// tableRuns reports for each line whether it belongs to a run of non-blank
// lines holding a GFM table delimiter row ("| --- | :-: |"), and so may be a
// table row.
func tableRuns(lines []string) []bool {
	table := make([]bool, len(lines))
	for start := 0; start < len(lines); {
		end, delimited := start, false
		for ; end < len(lines) && strings.TrimSpace(lines[end]) != ""; end++ {
			delimited = delimited || isDelimiterRow(lines[end][contentStart(lines[end]):])
		}
		for i := start; i < end; i++ {
			table[i] = delimited
		}
		start = end + 1
	}
	return table
}

// isDelimiterRow reports whether s, the content of a line, may be a GFM
// table delimiter row: only '|', ':', '-' and white space, with at least one
// '|' and one '-'.
func isDelimiterRow(s string) bool {
	return strings.Contains(s, "|") && strings.Contains(s, "-") && strings.Trim(s, "|:- \t") == ""
}

// splitCells splits a table row at each '|' that is not backslash-escaped,
// as GFM does before it reads the cells, code spans or not.
func splitCells(line string) []string {
	var cells []string
	start := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			cells = append(cells, line[start:i])
			start = i + 1
		}
	}
	return append(cells, line[start:])
}
