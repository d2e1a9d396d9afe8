// Package retry is the pipeline's one failure model and its one backoff.
//
// Every step of an article's journey (fetch, extract, summarise, publish)
// returns errors of three kinds, and only three:
//
//   - Permanent: the article is bad (a 404, a page with no text, an answer
//     Gemini blocks). Retrying cannot help; the reason is shown to editors.
//   - Transient: this article may succeed later, no earlier than At when the
//     step knows (a 503 of the article's own site, a slow page).
//   - Outage: a dependency every article needs is unavailable until At
//     (Gemini with an invalid key or a spent daily quota, the GitHub API
//     rate limit, the database). The article is not at fault: the caller
//     pauses all work that needs the dependency and charges no attempt.
//
// An error nobody classified is Transient. Backoff spaces the attempts of
// every retry loop in the program, and ParseRetryAfter reads the one header
// servers use to ask for a wait.
package retry

import (
	"errors"
	"fmt"
	"time"
)

// Kind is what an error means for the work that met it.
type Kind int

// Kinds of failure.
const (
	// Transient: retry this article later.
	Transient Kind = iota
	// Permanent: the article is bad; do not retry it.
	Permanent
	// Outage: a dependency is unavailable; pause the work that needs it.
	Outage
)

func (k Kind) String() string {
	switch k {
	case Permanent:
		return "permanent"
	case Outage:
		return "outage"
	}
	return "transient"
}

// Error is a classified failure. Build one with Never, After or
// Unavailable; read one with Classify.
type Error struct {
	Kind Kind
	// Dependency names what is unavailable for an Outage: "gemini",
	// "github", "database".
	Dependency string
	// At is the earliest time worth trying again, when the failure says
	// (Retry-After, RetryInfo, a quota's reset); zero when it does not.
	At  time.Time
	Err error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Never marks err as permanent: the article is bad. A nil err stays nil.
func Never(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: Permanent, Err: err}
}

// After marks err as transient, worth retrying no earlier than at (zero:
// whenever the backoff says). A nil err stays nil.
func After(err error, at time.Time) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: Transient, At: at, Err: err}
}

// Unavailable marks err as an outage of dependency until the given time
// (zero: unknown, probe to find out). A nil err stays nil.
func Unavailable(dependency string, until time.Time, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: Outage, Dependency: dependency, At: until, Err: err}
}

// Classify returns the classification of err: that of the outermost Error
// in its chain, or Transient with no time for an error nobody classified.
// It returns nil for a nil err.
func Classify(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Transient, Err: err}
}

// IsPermanent reports whether err is classified Permanent.
func IsPermanent(err error) bool { return err != nil && Classify(err).Kind == Permanent }

// IsOutage reports whether err is classified Outage.
func IsOutage(err error) bool { return err != nil && Classify(err).Kind == Outage }

// Describe is a short text for logs and reports: "transient", "permanent",
// or "gemini unavailable until 2026-12-01T09:00:00Z".
func Describe(err error) string {
	e := Classify(err)
	if e == nil {
		return ""
	}
	if e.Kind == Outage {
		if e.At.IsZero() {
			return fmt.Sprintf("%s unavailable", e.Dependency)
		}
		return fmt.Sprintf("%s unavailable until %s", e.Dependency, e.At.UTC().Format(time.RFC3339))
	}
	return e.Kind.String()
}
