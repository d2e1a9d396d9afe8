package api

import (
	"testing"
	"time"
)

func TestCandidateSince(t *testing.T) {
	seen := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		published time.Time
		want      time.Time
	}{
		{"published before it was seen", seen.Add(-5 * time.Hour), seen.Add(-5 * time.Hour)},
		{"no publication time", time.Time{}, seen},
		{"a publication time after it was seen (a clock ahead)", seen.Add(time.Hour), seen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Candidate{PublishedAt: tt.published, SeenAt: seen}).Since(); !got.Equal(tt.want) {
				t.Errorf("Since = %s, want %s", got, tt.want)
			}
		})
	}
}
