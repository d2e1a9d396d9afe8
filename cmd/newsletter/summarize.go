package main

import (
	"context"
	"errors"
)

// summarizeCmd is the one-off `newsletter --url URL`.
func (a *app) summarizeCmd(ctx context.Context, args []string) error {
	return errors.New("--url: not implemented yet")
}
