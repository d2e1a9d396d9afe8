package store

import (
	"fmt"
	"time"
)

// timeLayout is fixed width, so stored timestamps compare as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// ts converts a time to its stored text, in UTC.
func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTS is ts for a column that may be NULL: the zero time is stored as NULL.
func nullTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// timeCol scans a stored timestamp; NULL scans as the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
		return nil
	case string:
		t, err := time.Parse(timeLayout, v)
		if err != nil {
			return fmt.Errorf("timestamp %q: %w", v, err)
		}
		*c.t = t
		return nil
	case []byte:
		return c.Scan(string(v))
	}
	return fmt.Errorf("timestamp: unexpected %T", src)
}
