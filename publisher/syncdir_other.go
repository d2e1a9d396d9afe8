//go:build !unix

package publisher

// syncDir does nothing where directories cannot be synced (Windows): there,
// the rename itself is what the file system commits.
func syncDir(string) error { return nil }
