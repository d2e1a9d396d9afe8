//go:build unix

package evaluation

import (
	"syscall"
	"time"
)

// CPUTime returns the user and system CPU time the process has used so
// far, on all its threads (garbage collection included), and whether the
// platform reports it.
func CPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
