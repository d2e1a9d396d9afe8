// Package modelfake is the part of the model API fakes (geminitest,
// openaitest) that does not depend on the wire: the outages that last
// (a key refused, a model unknown, a quota used up until a time), the queue
// of scripted replies, the log of requests received and the count of
// generation requests answered at once. Each fake embeds a Core and keeps
// only its wire format: paths, JSON shapes and error envelopes.
package modelfake

import (
	"sync"
	"time"
)

// Core holds a fake's switches, reply queue and request log behind one
// mutex. The zero Core is ready: no outage, an empty queue. Rep is the
// fake's scripted reply, Req the request it records.
type Core[Rep, Req any] struct {
	mu       sync.Mutex
	queue    []Rep
	requests []Req

	refuseKey    bool
	unknown      map[string]bool
	quotaUntil   time.Time
	quotaClock   func() time.Time
	quotaRefused int

	inFlight, maxInFlight int
}

// Enqueue adds replies for the next generation requests, in order.
func (c *Core[Rep, Req]) Enqueue(replies ...Rep) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = append(c.queue, replies...)
}

// Pending returns how many enqueued replies are still unused.
func (c *Core[Rep, Req]) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

// Requests returns every request received so far, oldest first.
func (c *Core[Rep, Req]) Requests() []Req {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Req(nil), c.requests...)
}

// RequestsWhere returns the requests c received so far for which keep is
// true, oldest first. It and the other functions taking a Core are
// functions rather than methods so that a server embedding Core does not
// offer them to its tests.
func RequestsWhere[Rep, Req any](c *Core[Rep, Req], keep func(Req) bool) []Req {
	var out []Req
	for _, r := range c.Requests() {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// RefuseKey makes the server refuse every request's API key (on), as the
// real API does a wrong or revoked one, or accept keys again (off).
func (c *Core[Rep, Req]) RefuseKey(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refuseKey = on
}

// UnknownModel makes model unknown to the server: every request naming it
// is refused as the API refuses a model it does not offer.
func (c *Core[Rep, Req]) UnknownModel(model string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unknown == nil {
		c.unknown = map[string]bool{}
	}
	c.unknown[model] = true
}

// Known reports whether model has not been made unknown on c.
func Known[Rep, Req any](c *Core[Rep, Req], model string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.unknown[model]
}

// ExhaustQuotaUntil makes every generation request before until, on the
// clock now, refused as over quota; from until on, requests are answered
// again.
func (c *Core[Rep, Req]) ExhaustQuotaUntil(until time.Time, now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.quotaUntil, c.quotaClock = until, now
}

// QuotaRefusals returns how many requests the quota mode refused.
func (c *Core[Rep, Req]) QuotaRefusals() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.quotaRefused
}

// MaxConcurrent returns the most generation requests the server has been
// answering at the same time.
func (c *Core[Rep, Req]) MaxConcurrent() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.maxInFlight
}

// Call says what Admit needs to know of a request beyond its record.
type Call struct {
	// Model is the model the request names, "" when none.
	Model string
	// Generate marks a generation request: counted in flight, subject to
	// the quota and answered from the queue.
	Generate bool
	// Malformed marks a request that cannot be answered (a body that does
	// not decode): it takes no reply from the queue.
	Malformed bool
}

// Admission is what the server decided for one request, all read under
// one lock.
type Admission[Rep any] struct {
	// N is the request's number, from 1.
	N int
	// KeyRefused is true while RefuseKey is on.
	KeyRefused bool
	// Unknown is true when the request's model was made unknown.
	Unknown bool
	// QuotaLeft is how long the quota stays used up; > 0 refuses the
	// request.
	QuotaLeft time.Duration
	// Reply is the scripted reply taken from the queue, nil when the queue
	// is empty or the request is refused.
	Reply *Rep

	done func()
}

// Done ends the request's time in flight; call it once the answer is
// written.
func (a Admission[Rep]) Done() {
	if a.done != nil {
		a.done()
	}
}

// Admit records req on c and decides, under one lock, which outage
// refuses it and which scripted reply answers it.
func Admit[Rep, Req any](c *Core[Rep, Req], req Req, call Call) Admission[Rep] {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = append(c.requests, req)
	a := Admission[Rep]{N: len(c.requests), KeyRefused: c.refuseKey, Unknown: c.unknown[call.Model]}
	if !call.Generate {
		return a
	}
	c.inFlight++
	c.maxInFlight = max(c.maxInFlight, c.inFlight)
	a.done = func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.inFlight--
	}
	if c.quotaClock != nil {
		if a.QuotaLeft = c.quotaUntil.Sub(c.quotaClock()); a.QuotaLeft > 0 {
			c.quotaRefused++
		}
	}
	if len(c.queue) > 0 && !call.Malformed && !a.KeyRefused && !a.Unknown && a.QuotaLeft <= 0 {
		a.Reply = &c.queue[0]
		c.queue = c.queue[1:]
	}
	return a
}
