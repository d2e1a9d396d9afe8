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

func TestNewCUID(t *testing.T) {
	cuidLike := regexp.MustCompile(`^c[0-9a-z]{24}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := NewCUID()
		if !cuidLike.MatchString(id) {
			t.Fatalf("NewCUID() = %q, not 'c' and 24 of [0-9a-z]", id)
		}
		if seen[id] {
			t.Fatalf("NewCUID() repeated %q", id)
		}
		seen[id] = true
	}
}
