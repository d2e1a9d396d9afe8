package publisher

import (
	"regexp"
	"testing"
	"time"
)

func TestOrdinal(t *testing.T) {
	want := map[int]string{
		1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 10: "10th",
		11: "11th", 12: "12th", 13: "13th", 14: "14th", 20: "20th",
		21: "21st", 22: "22nd", 23: "23rd", 24: "24th", 30: "30th", 31: "31st",
		101: "101st", 111: "111th", 112: "112th", 113: "113th",
	}
	for n, w := range want {
		if got := ordinal(n); got != w {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, w)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[GDC] Weekly Newsletter September 1st", "gdc-weekly-newsletter-september-1st"},
		{"Weekly Newsletter March 22nd", "weekly-newsletter-march-22nd"},
		{"  --Go!!  Weekly--  ", "go-weekly"},
		{"[고 모임] Weekly Newsletter May 3rd", "weekly-newsletter-may-3rd"},
		{"Ünïcode K\u212a", "n-code-k"},
		{"한글", ""},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIssueTitle(t *testing.T) {
	day := time.Date(2024, 9, 1, 6, 0, 0, 0, time.UTC)
	tests := []struct{ prefix, want string }{
		{"[GDC]", "[GDC] Weekly Newsletter September 1st"},
		{"", "Weekly Newsletter September 1st"},
		{"  [Go  Dev]\n", "[Go Dev] Weekly Newsletter September 1st"},
	}
	for _, tt := range tests {
		if got := issueTitle(tt.prefix, day); got != tt.want {
			t.Errorf("issueTitle(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

func TestDeriveCUID(t *testing.T) {
	cuidLike := regexp.MustCompile(`^c[0-9a-z]{24}$`)
	seen := make(map[string]string)
	for _, key := range []string{"", "2024-09-01-gdc-weekly-newsletter-september-1st", "2025-09-01-gdc-weekly-newsletter-september-1st", "x"} {
		id := deriveCUID(key)
		if !cuidLike.MatchString(id) {
			t.Errorf("deriveCUID(%q) = %q, not 'c' and 24 of [0-9a-z]", key, id)
		}
		if again := deriveCUID(key); again != id {
			t.Errorf("deriveCUID(%q) gave %q, then %q", key, id, again)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("deriveCUID(%q) = deriveCUID(%q) = %q", key, other, id)
		}
		seen[id] = key
	}
}
