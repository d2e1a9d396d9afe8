package store

import "errors"

// ErrLocked means another process holds the database's process lock.
var ErrLocked = errors.New("the database is in use by another newsletter process (serve or run)")

// WithExclusive makes Open take the database's process lock, which Close
// releases and the operating system releases if the process dies. Only one
// process at a time can hold it: the one running the worker and the issue
// runs, whose crash recovery would otherwise take another's work. Open
// fails with ErrLocked while another process holds it. Processes that only
// read, or only use the summary cache, open the database without it.
func WithExclusive() Option {
	return func(s *Store) { s.exclusive = true }
}
