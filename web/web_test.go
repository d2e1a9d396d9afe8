package web

import (
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
)

func TestNewRefuses(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"no desk", Options{}, []string{"web: a desk is required"}},
		{"an unknown time zone", Options{Desk: h.desk, Schedule: config.Schedule{Timezone: "Mars/Olympus_Mons"}},
			[]string{"web: ", "schedule.timezone", `"Mars/Olympus_Mons"`}},
	}
	for _, tt := range tests {
		_, err := New(tt.opts)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for _, want := range tt.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q lacks %q", tt.name, err, want)
			}
		}
	}
}
