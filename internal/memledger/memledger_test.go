package memledger

import (
	"context"
	"sync"
	"testing"
)

func TestMemory(t *testing.T) {
	ctx := context.Background()
	var l Memory[string]
	tests := []struct {
		op, key, value, want string
	}{
		{"load", "1", "", ""}, // the zero record before anything is saved
		{"save", "1", "draft", ""},
		{"load", "1", "", "draft"},
		{"save", "1", "sent", ""},
		{"load", "1", "", "sent"},
		{"load", "2", "", ""},
	}
	for _, tt := range tests {
		switch tt.op {
		case "save":
			if err := l.Save(ctx, tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
		case "load":
			if got, err := l.Load(ctx, tt.key); err != nil || got != tt.want {
				t.Errorf("Load(%s) = %q, %v; want %q", tt.key, got, err, tt.want)
			}
		}
	}
	// Safe for concurrent use (go test -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			_ = l.Save(ctx, "c", string(rune('a'+i)))
			_, _ = l.Load(ctx, "c")
		})
	}
	wg.Wait()
}
