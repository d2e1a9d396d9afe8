//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestExclusiveOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	first, err := Open(ctx, path, WithExclusive())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, WithExclusive()); !errors.Is(err, ErrLocked) {
		t.Errorf("second exclusive open: error %v, want ErrLocked", err)
	}
	shared, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open without the lock beside an exclusive one: %v", err)
	}
	if err := shared.Close(); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, path, WithExclusive())
	if err != nil {
		t.Fatalf("exclusive open after Close: %v", err)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
}
