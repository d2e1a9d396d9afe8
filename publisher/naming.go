package publisher

import (
	"crypto/sha256"
	"fmt"
	"math/big"
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

// cuidDigits is 36^24, the number of distinct cuid bodies.
var cuidDigits = new(big.Int).Exp(big.NewInt(36), big.NewInt(24), nil)

// deriveCUID returns a cuid-like id (25 characters: 'c' then 24 of
// [0-9a-z]) that depends only on key, so re-running an issue keeps its id.
func deriveCUID(key string) string {
	sum := sha256.Sum256([]byte("newsletter issue\x00" + key))
	n := new(big.Int).SetBytes(sum[:])
	s := n.Mod(n, cuidDigits).Text(36)
	return "c" + strings.Repeat("0", 24-len(s)) + s
}
