package publisher

import (
	"fmt"
	"regexp"
	"strings"
)

// plainScalar matches values that read back as the same string when written
// as a plain YAML scalar: words of letters, digits, '-' and '_', separated by
// ", " or spaces, starting with a letter.
var plainScalar = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*(?:,? [A-Za-z0-9][A-Za-z0-9_-]*)*$`)

// yamlScalar writes s plain when that is unambiguous, double-quoted otherwise.
func yamlScalar(s string) string {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return yamlQuoted(s)
	}
	if plainScalar.MatchString(s) {
		return s
	}
	return yamlQuoted(s)
}

// yamlQuoted writes s as a double-quoted YAML scalar on one line: '"' and
// '\' are escaped, and so is every character YAML does not allow as is or
// could read as a line break.
func yamlQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20, 0x7f <= r && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
