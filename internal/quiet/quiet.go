// Package quiet closes what has nothing left to report: the one place
// where the program drops the error of a Close on purpose.
//
// Close here when the error that matters was checked already, or cannot
// be acted on:
//   - an HTTP response body that was read (or abandoned after a status
//     that decides the answer): closing it only returns the connection;
//   - database rows whose Err was checked, or left after a Scan error
//     that is returned;
//   - a file or reader that was only read, whose read errors were checked;
//   - a resource being given up on the way out of a failure that is
//     returned instead.
//
// A write that must reach the disk is closed with its error checked, never
// here.
package quiet

import "io"

// Close closes c and drops its error; see the package comment for when.
func Close(c io.Closer) { _ = c.Close() }
