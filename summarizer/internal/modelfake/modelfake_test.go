package modelfake

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

type reply string

type request struct{ path string }

func TestAdmit(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tests := []struct {
		name  string
		setup func(c *Core[reply, request])
		call  Call
		want  Admission[reply]
		// pending is the queue's length after the request.
		pending      int
		quotaRefused int
	}{
		{name: "generation takes the next reply", call: Call{Model: "m", Generate: true},
			want: Admission[reply]{N: 1, Reply: ptr(reply("first"))}, pending: 1},
		{name: "other request takes none", call: Call{Model: "m"},
			want: Admission[reply]{N: 1}, pending: 2},
		{name: "malformed takes none", call: Call{Model: "m", Generate: true, Malformed: true},
			want: Admission[reply]{N: 1}, pending: 2},
		{name: "key refused", setup: func(c *Core[reply, request]) { c.RefuseKey(true) },
			call: Call{Model: "m", Generate: true}, want: Admission[reply]{N: 1, KeyRefused: true}, pending: 2},
		{name: "key accepted again", setup: func(c *Core[reply, request]) { c.RefuseKey(true); c.RefuseKey(false) },
			call: Call{Model: "m", Generate: true}, want: Admission[reply]{N: 1, Reply: ptr(reply("first"))}, pending: 1},
		{name: "unknown model", setup: func(c *Core[reply, request]) { c.UnknownModel("m") },
			call: Call{Model: "m", Generate: true}, want: Admission[reply]{N: 1, Unknown: true}, pending: 2},
		{name: "another model stays known", setup: func(c *Core[reply, request]) { c.UnknownModel("other") },
			call: Call{Model: "m", Generate: true}, want: Admission[reply]{N: 1, Reply: ptr(reply("first"))}, pending: 1},
		{name: "quota used up", setup: func(c *Core[reply, request]) { c.ExhaustQuotaUntil(now.Add(90*time.Second), clock) },
			call: Call{Model: "m", Generate: true}, want: Admission[reply]{N: 1, QuotaLeft: 90 * time.Second}, pending: 2, quotaRefused: 1},
		{name: "quota spares other requests", setup: func(c *Core[reply, request]) { c.ExhaustQuotaUntil(now.Add(time.Minute), clock) },
			call: Call{Model: "m"}, want: Admission[reply]{N: 1}, pending: 2},
		{name: "quota back", setup: func(c *Core[reply, request]) { c.ExhaustQuotaUntil(now, clock) },
			call: Call{Model: "m", Generate: true}, want: Admission[reply]{N: 1, Reply: ptr(reply("first"))}, pending: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Core[reply, request]
			c.Enqueue("first", "second")
			if tt.setup != nil {
				tt.setup(&c)
			}
			got := Admit(&c, request{"/x"}, tt.call)
			got.Done()
			if got.N != tt.want.N || got.KeyRefused != tt.want.KeyRefused || got.Unknown != tt.want.Unknown || got.QuotaLeft != tt.want.QuotaLeft {
				t.Errorf("Admit = %+v, want %+v", got, tt.want)
			}
			if (got.Reply == nil) != (tt.want.Reply == nil) || (got.Reply != nil && *got.Reply != *tt.want.Reply) {
				t.Errorf("Admit reply = %v, want %v", got.Reply, tt.want.Reply)
			}
			if n := c.Pending(); n != tt.pending {
				t.Errorf("Pending = %d, want %d", n, tt.pending)
			}
			if n := c.QuotaRefusals(); n != tt.quotaRefused {
				t.Errorf("QuotaRefusals = %d, want %d", n, tt.quotaRefused)
			}
			if reqs := c.Requests(); len(reqs) != 1 || reqs[0].path != "/x" {
				t.Errorf("Requests = %v, want the one request", reqs)
			}
		})
	}
}

func TestAdmitCountsInFlightAndNumbers(t *testing.T) {
	var c Core[reply, request]
	a := Admit(&c, request{"/gen"}, Call{Generate: true})
	b := Admit(&c, request{"/gen"}, Call{Generate: true})
	other := Admit(&c, request{"/get"}, Call{})
	if a.N != 1 || b.N != 2 || other.N != 3 {
		t.Errorf("numbers = %d, %d, %d, want 1, 2, 3", a.N, b.N, other.N)
	}
	a.Done()
	b.Done()
	other.Done()
	Admit(&c, request{"/gen"}, Call{Generate: true}).Done()
	if got := c.MaxConcurrent(); got != 2 {
		t.Errorf("MaxConcurrent = %d, want 2", got)
	}
	gens := RequestsWhere(&c, func(r request) bool { return r.path == "/gen" })
	if len(gens) != 3 {
		t.Errorf("RequestsWhere = %d requests, want 3", len(gens))
	}
	c.UnknownModel("gone")
	if Known(&c, "gone") || !Known(&c, "here") {
		t.Errorf("Known(gone), Known(here) = %v, %v, want false, true", Known(&c, "gone"), Known(&c, "here"))
	}
}

func TestExtras(t *testing.T) {
	tests := []struct {
		name       string
		extras     func() Extras
		ctxDone    bool
		wantBegin  bool
		wantHeader []string
		wantTokens [2]int
	}{
		{name: "estimates", extras: func() Extras { return Extras{} }, wantBegin: true, wantTokens: [2]int{2, 1}},
		{name: "usage set", extras: func() Extras { var e Extras; e.SetUsage(7, 9); return e }, wantBegin: true, wantTokens: [2]int{7, 9}},
		{name: "headers added", extras: func() Extras {
			var e Extras
			e.AddHeader("Retry-After", "3")
			e.AddHeader("Retry-After", "4")
			return e
		}, wantBegin: true, wantHeader: []string{"3", "4"}, wantTokens: [2]int{2, 1}},
		{name: "client gone during delay", extras: func() Extras {
			var e Extras
			e.SetDelay(time.Hour)
			e.AddHeader("Retry-After", "3")
			return e
		}, ctxDone: true, wantBegin: false, wantTokens: [2]int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			if tt.ctxDone {
				cancel()
			}
			defer cancel()
			e := tt.extras()
			w := httptest.NewRecorder()
			if got := e.Begin(ctx, w); got != tt.wantBegin {
				t.Errorf("Begin = %v, want %v", got, tt.wantBegin)
			}
			if got := w.Header().Values("Retry-After"); !slices.Equal(got, tt.wantHeader) {
				t.Errorf("Retry-After = %v, want %v", got, tt.wantHeader)
			}
			in, out := e.Tokens("12345", "abc")
			if [2]int{in, out} != tt.wantTokens {
				t.Errorf("Tokens = %d, %d, want %v", in, out, tt.wantTokens)
			}
		})
	}
}

func TestAddHeaderLeavesCopiesAlone(t *testing.T) {
	var e Extras
	e.AddHeader("X-A", "1")
	copied := e
	copied.AddHeader("X-A", "2")
	if got := e.header.Values("X-A"); len(got) != 1 {
		t.Errorf("original X-A = %v, want [1]", got)
	}
}

func ptr[T any](v T) *T { return &v }
