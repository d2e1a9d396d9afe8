package listmonk

import (
	"fmt"
	"strings"
)

// Error is a failure of one listmonk request for one issue. Its message is
// one line: "listmonk <operation> <slug>: <reason>". It never holds the
// API key.
type Error struct {
	Op     string // create, update, lookup, status running, test, lists
	Slug   string
	Status int // the HTTP status answered, 0 when there was none
	// Message is listmonk's {"message"} of a failure, "" when none.
	Message string
	Reason  string
	cause   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("listmonk " + e.Op)
	if e.Slug != "" {
		b.WriteString(" " + e.Slug)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	return b.String()
}

func (e *Error) Unwrap() error { return e.cause }
