package hashnode

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of failure a caller may want to tell apart; match them with
// errors.Is. Every error Publish returns is also classified for the retry
// package: permanent ones are retry.Never, the others retry.After with the
// earliest useful time.
var (
	// ErrUnauthenticated: Hashnode refused the Personal Access Token.
	ErrUnauthenticated = errors.New("hashnode: token refused")
	// ErrNoProPlan: the publication has no active Hashnode Pro plan, which
	// the API needs for writes and publication reads.
	ErrNoProPlan = errors.New("hashnode: publication has no Pro plan")
	// ErrTooLarge: a request body over Hashnode's 100 KB limit.
	ErrTooLarge = errors.New("hashnode: request body too large")
	// ErrUnconfirmed: a create was sent whose answer was lost; whether it
	// took effect is settled after Hashnode's query cache window.
	ErrUnconfirmed = errors.New("hashnode: outcome unknown")
	// ErrAlreadyPublished: in draft mode, the issue is already a published
	// post, which draft mode leaves alone.
	ErrAlreadyPublished = errors.New("hashnode: issue already published")
	// ErrNewsletterOff: the newsletter is configured but the publication's
	// newsletter feature is off; nothing was sent.
	ErrNewsletterOff = errors.New("hashnode: publication newsletter off")
	// ErrInvalidPost: the post cannot be sent as it is.
	ErrInvalidPost = errors.New("hashnode: invalid post")
)

// Error is a failure of one Hashnode operation for one issue. Its message is
// one line: "hashnode <operation> <slug>: <reason>". It never holds the
// token.
type Error struct {
	// Op is the operation: a mutation ("publishPost", "updateDraft") or a
	// lookup ("post lookup", "draft lookup").
	Op   string
	Slug string
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
	// Code is the extensions.code of Hashnode's first GraphQL error
	// ("UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT"), empty when none.
	Code   string
	Reason string

	kind  error // one of the Err* values, or nil
	cause error // the transport's error, if any
}

func (e *Error) Error() string {
	return fmt.Sprintf("hashnode %s %s: %s", e.Op, e.Slug, e.Reason)
}

// Unwrap gives errors.Is and errors.As the kind and the cause.
func (e *Error) Unwrap() []error {
	var out []error
	if e.kind != nil {
		out = append(out, e.kind)
	}
	if e.cause != nil {
		out = append(out, e.cause)
	}
	return out
}

// oneLine makes text from Hashnode or the transport fit in one line of a
// bounded length.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 300
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "…"
	}
	return s
}
