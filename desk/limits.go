package desk

import (
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/limit"
)

// The limits of what one client may do, counted in memory (a restart
// forgets them) by one sliding window per key. Wrong tokens are counted
// per address whichever door they come through, the API's bearer token
// or the web desk's sign-in, so guessing gets MaxTokenFailures a minute
// in all; submissions per token and per address, as
// server.submissions_per_hour_per_token and
// server.submissions_per_hour_per_address say.
const (
	MaxTokenFailures   = 10
	TokenFailureWindow = time.Minute
	SubmissionWindow   = time.Hour
)

// limits are the desk's limiters.
type limits struct {
	tokens                    *limit.Limiter // wrong tokens, per address
	byToken                   *limit.Limiter // submissions, per token (its actor)
	byAddr                    *limit.Limiter // submissions, per address
	perHourToken, perHourAddr int
}

func newLimits(s config.Server, now func() time.Time) limits {
	return limits{
		tokens:       limit.New(MaxTokenFailures, TokenFailureWindow, now),
		byToken:      limit.New(s.SubmissionsPerHourPerToken, SubmissionWindow, now),
		byAddr:       limit.New(s.SubmissionsPerHourPerAddress, SubmissionWindow, now),
		perHourToken: s.SubmissionsPerHourPerToken,
		perHourAddr:  s.SubmissionsPerHourPerAddress,
	}
}

// Caller is who makes a request and where from, as its door knows them.
type Caller struct {
	// Actor is who the token names: an editor, "api" for server.token,
	// "local" without any token configured.
	Actor string
	// Addr is the address the request comes from, as limit.ClientAddr
	// gives it.
	Addr string
}

// SignIn returns who token is (see config.Server.Editor), for a request
// from addr: the API's bearer token and the web desk's sign-in. A wrong
// token counts against addr; after MaxTokenFailures within
// TokenFailureWindow every token from addr is refused, a right one too
// (else a guesser would still learn which guess was right), until the
// oldest failure leaves the window. A right token never counts. An empty
// token, or one longer than MaxToken, is a wrong one, and counts.
func (d *Desk) SignIn(token, addr string) (actor string, err error) {
	// Counted before the token is compared and taken back when it is
	// right: guesses sent at the same time cannot all pass the check
	// before any is counted.
	if ok, wait := d.limits.tokens.Allow(addr); !ok {
		return "", errTooManyTokens(wait)
	}
	if token == "" {
		return "", errNoToken()
	}
	name, ok := "", false
	if len(token) <= MaxToken {
		name, ok = d.opts.Server.Editor(token)
	}
	if !ok {
		return "", errWrongToken()
	}
	d.limits.tokens.Undo(addr)
	return name, nil
}

// allowSubmission counts a submission of c against its token and its
// address, or says which limit refuses it. undo takes the count back.
func (d *Desk) allowSubmission(c Caller) (undo func(), _ *Error) {
	l := &d.limits
	if ok, wait := l.byToken.Allow(c.Actor); !ok {
		return nil, errTooManySubmissions(false, l.perHourToken, wait)
	}
	if ok, wait := l.byAddr.Allow(c.Addr); !ok {
		l.byToken.Undo(c.Actor)
		return nil, errTooManySubmissions(true, l.perHourAddr, wait)
	}
	return func() { l.byToken.Undo(c.Actor); l.byAddr.Undo(c.Addr) }, nil
}
