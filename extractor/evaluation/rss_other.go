//go:build !unix

package evaluation

// PeakRSS reports that the process's peak resident memory is not
// available here.
func PeakRSS() (int64, bool) { return 0, false }
