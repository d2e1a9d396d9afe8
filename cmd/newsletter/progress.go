package main

import (
	"io"
	"strings"
	"sync"
)

// progress is one line on a terminal that says what a long command is
// doing (n of N, the current article, a wait on the rate limit) and is
// cleared when it is done. Off the terminal, or with --json, it prints
// nothing.
type progress struct {
	w    io.Writer
	on   bool
	mu   sync.Mutex
	last int // width of the line shown
}

// progress returns the progress line of a command; quiet turns it off.
func (a *app) progress(quiet bool) *progress {
	return &progress{w: a.stderr, on: !quiet && isTerminal(a.stderr)}
}

// show shows msg and returns the function that clears it.
func (p *progress) show(msg string) (stop func()) {
	p.update(msg)
	return p.clear
}

// update replaces the line with msg.
func (p *progress) update(msg string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	msg = oneLineText(msg, 100)
	pad := max(p.last-columns(msg), 0)
	tell(p.w, "\r%s%s", msg, strings.Repeat(" ", pad))
	p.last = columns(msg)
}

// clear removes the line.
func (p *progress) clear() {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	tell(p.w, "\r%s\r", strings.Repeat(" ", p.last))
	p.last = 0
}
