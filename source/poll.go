package source

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/suggest"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// Fetcher fetches a source's answer; *fetcher.Fetcher is one.
type Fetcher interface {
	FetchFeed(ctx context.Context, rawURL string, v fetcher.Validators) (*fetcher.Page, error)
}

// Defaults of a source's settings and of the poller.
const (
	// DefaultEvery is a source's poll interval when it names none.
	DefaultEvery = time.Hour
	// ExpireAfter is how long a candidate is offered without a decision.
	ExpireAfter = 14 * 24 * time.Hour
	// titleWindow is how far back a new candidate's title is compared
	// with other candidates' (submissions' titles: always).
	titleWindow = 30 * 24 * time.Hour
)

// Options are what a Poller needs.
type Options struct {
	Sources []config.Source
	Fetcher Fetcher
	Store   *store.Store
	Clock   clockwork.Clock
	Log     *zap.Logger
	// Backoff spaces a failing source's polls (default: 5 minutes doubling
	// up to a day); a source is never polled more often than its every.
	Backoff retry.Backoff
	// Metrics, if set, counts what polls find.
	Metrics *Metrics
}

// Poller polls the sources, each on its own interval, and records their
// items as candidates. A source that fails backs off with the one backoff
// and says why (store.SourcePoll); the others go on.
type Poller struct {
	o      Options
	ingest sync.Mutex // one source's items are recorded at a time
}

// New returns a Poller.
func New(o Options) *Poller {
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	if o.Backoff.Base <= 0 {
		o.Backoff = retry.Backoff{Base: 5 * time.Minute, Max: 24 * time.Hour}
	}
	return &Poller{o: o}
}

// every is src's interval.
func every(src config.Source) time.Duration {
	if src.Every <= 0 {
		return DefaultEvery
	}
	return src.Every
}

// Run polls each source when due, until ctx ends; each round also expires
// candidates offered too long. It returns nil when ctx ends: a failing
// source is the source's problem, never the service's.
func (p *Poller) Run(ctx context.Context) error {
	if len(p.o.Sources) == 0 {
		return nil
	}
	p.o.Log.Info("polling sources for suggestions", zap.Int("sources", len(p.o.Sources)))
	for {
		next, err := p.PollDue(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			p.o.Log.Error("polling sources", zap.Error(err))
			next = p.o.Clock.Now().Add(time.Minute)
		}
		if err := retry.Sleep(ctx, p.o.Clock, next.Sub(p.o.Clock.Now())); err != nil {
			return nil
		}
	}
}

// PollDue polls every source that is due, at once, records what they
// offered and expires old candidates; it returns when the next source is
// due.
func (p *Poller) PollDue(ctx context.Context) (time.Time, error) {
	polls, err := p.o.Store.SourcePolls(ctx)
	if err != nil {
		return time.Time{}, err
	}
	now := p.o.Clock.Now()
	// The due sources are asked at once, and each one's answer recorded
	// as it comes (one at a time), so that a slow source holds up no
	// other. A story two sources offer in the same round is one
	// candidate whichever answered first: its sources, highest points
	// and earliest publication time are the same either way.
	var wg sync.WaitGroup
	for _, src := range p.o.Sources {
		st := polls[src.Name]
		if st.NextPollAt.After(now) {
			continue
		}
		st.Name = src.Name
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.poll(ctx, src, st)
		}()
	}
	wg.Wait()
	if n, err := p.o.Store.ExpireCandidates(ctx, p.o.Clock.Now().Add(-ExpireAfter)); err != nil {
		return time.Time{}, err
	} else if n > 0 {
		p.o.Log.Info("candidates expired", zap.Int("candidates", n))
	}
	if polls, err = p.o.Store.SourcePolls(ctx); err != nil {
		return time.Time{}, err
	}
	var next time.Time
	for _, src := range p.o.Sources {
		t := polls[src.Name].NextPollAt
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next, nil
}

// poll asks one source, records its items and the outcome in its poll
// state.
func (p *Poller) poll(ctx context.Context, src config.Source, st store.SourcePoll) {
	log := p.o.Log.With(zap.String("source", src.Name))
	st.LastPollAt = p.o.Clock.Now()
	added, err := p.fetchAndRecord(ctx, src, &st)
	switch {
	case ctx.Err() != nil:
		return // stopping: the poll is made again at the next start
	case err != nil:
		st.Failures++
		st.LastError = err.Error()
		wait := max(p.o.Backoff.Delay(st.Failures, retryAfter(err)), every(src))
		st.NextPollAt = p.o.Clock.Now().Add(wait)
		log.Warn("source failed; polled again later", zap.Error(err), zap.Int("failures", st.Failures),
			zap.Time("next", st.NextPollAt))
		p.o.Metrics.failed(src.Name)
	default:
		if st.Failures > 0 {
			log.Info("source answers again", zap.Int("failures", st.Failures))
		}
		st.Failures, st.LastError = 0, ""
		st.LastOKAt = p.o.Clock.Now()
		st.NextPollAt = p.o.Clock.Now().Add(every(src))
		log.Debug("source polled", zap.Int("items", st.Items), zap.Int("new_candidates", added))
	}
	if err := p.o.Store.SaveSourcePoll(context.WithoutCancel(ctx), st); err != nil {
		log.Error("recording the poll", zap.Error(err))
	}
}

// fetchAndRecord asks src and records its items. The feed's validators
// (ETag, Last-Modified) are kept in st only once its items are recorded,
// so that a failure to record them is not answered by a 304 next time.
// A panic while reading the feed fails this source only.
func (p *Poller) fetchAndRecord(ctx context.Context, src config.Source, st *store.SourcePoll) (added int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("source %s: reading the feed panicked: %v", src.Name, r)
		}
	}()
	items, v, err := p.fetch(ctx, src, *st)
	if err != nil || items == nil {
		return 0, err
	}
	if added, err = p.record(ctx, src, items); err != nil {
		return added, err
	}
	st.ETag, st.LastModified, st.Items = v.ETag, v.LastModified, len(items)
	return added, nil
}

// retryAfter is the wait a server asked for, if any.
func retryAfter(err error) time.Duration {
	var se *fetcher.StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// fetch asks src (conditionally, with the validators of st) and reads
// its items and the feed's new validators; no items (nil) when it has not
// changed.
func (p *Poller) fetch(ctx context.Context, src config.Source, st store.SourcePoll) ([]Item, fetcher.Validators, error) {
	u := RequestURL(src, p.o.Clock.Now())
	page, err := p.o.Fetcher.FetchFeed(ctx, u, fetcher.Validators{ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return nil, fetcher.Validators{}, err
	}
	if page.NotModified {
		return nil, fetcher.Validators{}, nil
	}
	items, err := Parse(src, page.Body)
	if err != nil {
		return nil, fetcher.Validators{}, fmt.Errorf("%s: %w", u, err)
	}
	return items, fetcher.Validators{ETag: page.ETag, LastModified: page.LastModified}, nil
}

// Outcome is what became of an item.
type Outcome int

// Outcomes of an item.
const (
	Added     Outcome = iota + 1 // a new candidate
	Again                        // a candidate already, this source added to it
	Duplicate                    // the same story as another candidate, or already queued or published
	Skipped                      // no usable URL, or older than ExpireAfter
)

// record records one source's items; it says how many were new.
func (p *Poller) record(ctx context.Context, src config.Source, items []Item) (int, error) {
	p.ingest.Lock()
	defer p.ingest.Unlock()
	titles, err := p.o.Store.Titles(ctx, p.o.Clock.Now().Add(-titleWindow))
	if err != nil {
		return 0, err
	}
	known := make([]known, len(titles))
	for i, t := range titles {
		known[i] = toKnown(t)
	}
	added := 0
	for _, it := range items {
		out, k, err := p.recordItem(ctx, src, it, known)
		if err != nil {
			return added, err
		}
		if out == Added {
			added++
			known = append(known, k)
		}
		p.o.Metrics.record(src.Name, out)
	}
	return added, nil
}

// known is a title already seen, read once.
type known struct {
	store.Titled
	title suggest.Title
}

func toKnown(t store.Titled) known { return known{Titled: t, title: suggest.Parse(t.Title)} }

// recordItem records one item of src: a candidate already (by canonical URL)
// gains the source; a link queued or published, or the same story as a
// known title, is recorded as a duplicate (so that it is never offered);
// otherwise it is a new candidate, returned as a known title.
func (p *Poller) recordItem(ctx context.Context, src config.Source, it Item, titles []known) (Outcome, known, error) {
	if !it.Published.IsZero() && it.Published.Before(p.o.Clock.Now().Add(-ExpireAfter)) {
		return Skipped, known{}, nil // older than a candidate is offered: a feed's archive on its first poll
	}
	u, err := urlnorm.Normalize(it.URL)
	if err != nil {
		p.o.Log.Debug("item without a usable link", zap.String("source", src.Name), zap.String("url", it.URL))
		return Skipped, known{}, nil
	}
	n := store.NewCandidate{URL: u, Title: it.Title, Snippet: it.Snippet, Source: src.Name, Discussion: it.Discussion,
		Points: it.Points, Comments: it.Comments, PublishedAt: it.Published, State: store.CandidateNew}
	if c, ok, err := p.o.Store.CandidateByURL(ctx, u); err != nil {
		return 0, known{}, err
	} else if ok {
		if news(c, src.Name, it) {
			if _, err := p.o.Store.SeenAgain(ctx, c.ID, src.Name, it.Snippet, it.Points, it.Comments, it.Published); err != nil {
				return 0, known{}, err
			}
		}
		return Again, known{}, nil
	}
	if why, err := p.o.Store.KnownURL(ctx, u); err != nil {
		return 0, known{}, err
	} else if why != "" {
		n.State, n.Reason = store.CandidateDuplicate, why
		_, _, err := p.o.Store.AddCandidate(ctx, n)
		return Duplicate, known{}, err
	}
	title := suggest.Parse(it.Title)
	for _, k := range titles {
		if !suggest.Near(title, k.title) || suggest.Match(title, k.title) < suggest.Threshold {
			continue
		}
		n.State = store.CandidateDuplicate
		if k.Candidate != 0 {
			n.DuplicateOf, n.Reason = k.Candidate, "same story"
			if k.CandidateNew { // the story gains a source
				if _, err := p.o.Store.SeenAgain(ctx, k.Candidate, src.Name, "", it.Points, it.Comments, time.Time{}); err != nil {
					return 0, known{}, err
				}
			}
		} else {
			n.Reason = fmt.Sprintf("same story as submission %d", k.Submission)
		}
		_, _, err := p.o.Store.AddCandidate(ctx, n)
		return Duplicate, known{}, err
	}
	c, added, err := p.o.Store.AddCandidate(ctx, n)
	if err != nil || !added {
		return Again, known{}, err
	}
	return Added, toKnown(store.Titled{Candidate: c.ID, Title: c.Title, CandidateNew: true}), nil
}

// news reports whether an item of source tells candidate c anything new
// (a source, more points or comments, a snippet it lacked, an earlier
// publication time); a source offering the same item again every poll
// writes nothing.
func news(c store.Candidate, source string, it Item) bool {
	return !slices.Contains(c.Sources, source) || it.Points > c.Points || it.Comments > c.Comments ||
		(c.Snippet == "" && it.Snippet != "") ||
		(!it.Published.IsZero() && (c.PublishedAt.IsZero() || it.Published.Before(c.PublishedAt)))
}
