//go:build !unix

package evaluation

import "time"

// CPUTime reports that the process's CPU time is not available here.
func CPUTime() (time.Duration, bool) { return 0, false }
