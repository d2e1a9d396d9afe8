package store

import (
	"context"
	"fmt"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// countGroups runs query, which selects a key and a count per group, and
// returns the counts by key; what names the count in errors.
func countGroups[K ~string](ctx context.Context, s *Store, what, query string, args ...any) (map[K]int, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: count %s: %w", what, err)
	}
	defer quiet.Close(rows)
	out := map[K]int{}
	for rows.Next() {
		var k K
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("store: count %s: %w", what, err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count %s: %w", what, err)
	}
	return out, nil
}
