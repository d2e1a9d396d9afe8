package modelfake

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Extras are what every scripted reply can add whatever its wire: response
// headers, token counts reported instead of the estimate, and a delay
// before answering. Each fake's Reply embeds Extras and offers its With
// methods on top.
type Extras struct {
	header http.Header
	usage  *[2]int
	delay  time.Duration
}

// AddHeader adds a response header, leaving e's earlier copies untouched.
func (e *Extras) AddHeader(key, value string) {
	h := e.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Add(key, value)
	e.header = h
}

// SetUsage reports these token counts instead of the estimate.
func (e *Extras) SetUsage(input, output int) { e.usage = &[2]int{input, output} }

// SetDelay delays the answer by d.
func (e *Extras) SetDelay(d time.Duration) { e.delay = d }

// Begin waits out the delay, then adds the headers to w. It returns false
// when ctx ended first (the client gave up): nothing is to be written.
func (e Extras) Begin(ctx context.Context, w http.ResponseWriter) bool {
	if e.delay > 0 {
		t := time.NewTimer(e.delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	return true
}

// Tokens returns the token counts to report: the ones set, or the
// estimates of input and output.
func (e Extras) Tokens(input, output string) (int, int) {
	if e.usage != nil {
		return e.usage[0], e.usage[1]
	}
	return Estimate(input), Estimate(output)
}

// Estimate is the fakes' token count: one token per four bytes.
func Estimate(s string) int { return (len(s) + 3) / 4 }

// WriteJSON writes v as the body with status and the given Content-Type.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
