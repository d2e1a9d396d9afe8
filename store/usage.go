package store

import (
	"context"
	"fmt"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// Usage is what Gemini calls consumed.
type Usage struct {
	Requests     int
	PromptTokens int
	OutputTokens int
	CostUSD      float64
}

// UsageKind says what a Gemini call was for.
type UsageKind string

// Usage kinds.
const (
	UsageSummarize  UsageKind = "summarize"
	UsageRegenerate UsageKind = "regenerate"
)

// RecordUsage records one Summarize call made for a submission, whether it
// succeeded or not; calls that made no request are not recorded.
func (s *Store) RecordUsage(ctx context.Context, submissionID int64, kind UsageKind, model string, u Usage) error {
	if u.Requests == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO gemini_usage
		(submission_id, at, kind, model, requests, prompt_tokens, output_tokens, cost_usd)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		submissionID, ts(s.now()), string(kind), model, u.Requests, u.PromptTokens, u.OutputTokens, u.CostUSD)
	if err != nil {
		return fmt.Errorf("store: record usage of submission %d: %w", submissionID, err)
	}
	return nil
}

// IssueUsage totals every Gemini call made for the submissions of an issue
// (issueID), or for those still headed for the next issue when issueID is
// 0: worker, runs, corrections, regenerations and failures alike.
func (s *Store) IssueUsage(ctx context.Context, issueID int64) (Usage, error) {
	where := `s.issue_id = ?1`
	if issueID == 0 {
		where = queuedAs("s.")
	}
	var u Usage
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(g.requests), 0), COALESCE(SUM(g.prompt_tokens), 0),
		COALESCE(SUM(g.output_tokens), 0), COALESCE(SUM(g.cost_usd), 0)
		FROM gemini_usage g JOIN submissions s ON s.id = g.submission_id
		WHERE `+where, issueID).Scan(&u.Requests, &u.PromptTokens, &u.OutputTokens, &u.CostUSD)
	if err != nil {
		return Usage{}, fmt.Errorf("store: usage of issue %d: %w", issueID, err)
	}
	return u, nil
}

// SubmissionUsage totals the calls made for a submission by model: a
// fallback's calls under its model, the paused primary's under its own.
func (s *Store) SubmissionUsage(ctx context.Context, submissionID int64) (map[string]Usage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT model, SUM(requests), SUM(prompt_tokens), SUM(output_tokens),
		SUM(cost_usd) FROM gemini_usage WHERE submission_id = ? GROUP BY model`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("store: usage of submission %d: %w", submissionID, err)
	}
	defer quiet.Close(rows)
	out := map[string]Usage{}
	for rows.Next() {
		var model string
		var u Usage
		if err := rows.Scan(&model, &u.Requests, &u.PromptTokens, &u.OutputTokens, &u.CostUSD); err != nil {
			return nil, fmt.Errorf("store: usage of submission %d: %w", submissionID, err)
		}
		out[model] = u
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: usage of submission %d: %w", submissionID, err)
	}
	return out, nil
}
