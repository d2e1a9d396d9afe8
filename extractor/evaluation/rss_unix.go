//go:build unix

package evaluation

import (
	"runtime"
	"syscall"
)

// PeakRSS returns the most resident memory the process has had, in bytes,
// and whether the platform reports it.
func PeakRSS() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return ru.Maxrss, true // bytes there, kilobytes elsewhere
	}
	return ru.Maxrss << 10, true
}
