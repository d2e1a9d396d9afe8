// Package memledger is a publication ledger held in memory: the records an
// outlet's client keeps of what it made for each issue, for tests and for a
// client used by one process without the store.
package memledger

import (
	"context"
	"sync"
)

// Memory keeps one record of type R per issue key. Its zero value is
// ready; it is safe for concurrent use.
type Memory[R any] struct {
	mu      sync.Mutex
	records map[string]R
}

// Load returns the issue's record, or the zero R.
func (l *Memory[R]) Load(_ context.Context, issueKey string) (R, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.records[issueKey], nil
}

// Save replaces the issue's record.
func (l *Memory[R]) Save(_ context.Context, issueKey string, r R) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.records == nil {
		l.records = map[string]R{}
	}
	l.records[issueKey] = r
	return nil
}
