package publisher

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// issueTitle is the issue title for the day of published, in its location:
// "<prefix> Weekly Newsletter September 1st", or without the prefix when it
// is empty.
func issueTitle(prefix string, published time.Time) string {
	t := fmt.Sprintf("Weekly Newsletter %s %s", published.Month(), ordinal(published.Day()))
	if p := inlineText(prefix); p != "" {
		t = p + " " + t
	}
	return t
}

// ordinal writes n as an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// slugify lower-cases the ASCII letters and digits of s and joins them with
// one '-' for every run of anything else, with none at either end.
func slugify(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		default:
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte('-')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}

// NewCUID returns a new random id in Hashnode's cuid form: 25 characters,
// 'c' then 24 of [0-9a-z]. It is made once per issue and stored.
func NewCUID() string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [24]byte
	for i := range b {
		b[i] = digits[rand.N(len(digits))]
	}
	return "c" + string(b[:])
}
