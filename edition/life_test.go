package edition

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// TestTransitionGuards: each transition refuses to start from a state it
// does not leave, with the error the callers tell apart.
func TestTransitionGuards(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Schedule.Mode = config.ModeReview })
	ctx, log := context.Background(), zap.NewNop()
	published := store.Issue{ID: 1, Week: "2024-W36", State: store.IssuePublished}
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"freeze an empty draft", func() error {
			_, err := h.runner.freeze(ctx, week{key: "2024-W36"}, true, log)
			return err
		}, ErrNothingToPublish},
		{"freeze into a week that has its issue", func() error {
			_, err := h.runner.freeze(ctx, week{key: "2024-W36", draft: 1, exists: true, issue: published}, true, log)
			return err
		}, ErrWeekTaken},
		{"adopt in review mode", func() error {
			return h.runner.adopt(ctx, week{key: "2024-W36", exists: true, issue: published}, log)
		}, store.ErrConflict},
		{"approve with nothing in review and an empty draft", func() error {
			_, err := h.runner.Approve(ctx, "kim")
			return err
		}, ErrNothingToPublish},
		{"publish an issue that does not exist", func() error {
			_, err := h.runner.Republish(ctx, 42, "kim")
			return err
		}, store.ErrNotFound},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if files := h.files(); len(files) != 0 {
		t.Errorf("refused transitions wrote %v", files)
	}
}
