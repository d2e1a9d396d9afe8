package desk

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/suggest"
)

// Suggestions are the candidates the sources offer now (new: not
// accepted, dismissed, a duplicate or expired), of one source when source
// is not "", ranked best first with the reasons (the best PageSize, with
// how many there are), and every source's polls.
// Candidates never reach an issue on their own: an editor accepts them.
func (d *Desk) Suggestions(ctx context.Context, source string) (api.Suggestions, error) {
	if source != "" && d.source(source) == nil {
		return api.Suggestions{}, errUnknownSource(source)
	}
	cands, err := d.store.Candidates(ctx, store.CandidateFilter{States: []store.CandidateState{store.CandidateNew}, Source: source})
	if err != nil {
		return api.Suggestions{}, internal(err)
	}
	out := api.Suggestions{Source: source, Candidates: make([]api.Candidate, 0, len(cands))}
	now := d.now()
	for _, c := range cands {
		out.Candidates = append(out.Candidates, d.toCandidate(c, now))
	}
	slices.SortStableFunc(out.Candidates, func(a, b api.Candidate) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	out.Total = len(out.Candidates)
	out.Candidates = out.Candidates[:min(len(out.Candidates), PageSize)]
	if out.Sources, err = d.SourceStatus(ctx); err != nil {
		return api.Suggestions{}, err
	}
	return out, nil
}

// SourceStatus is every configured source's polls, in the order of the
// configuration, with how many candidates each offers now.
func (d *Desk) SourceStatus(ctx context.Context) ([]api.SourceStatus, error) {
	if len(d.opts.Sources) == 0 {
		return nil, nil
	}
	polls, err := d.store.SourcePolls(ctx)
	if err != nil {
		return nil, internal(err)
	}
	cands, err := d.store.Candidates(ctx, store.CandidateFilter{States: []store.CandidateState{store.CandidateNew}})
	if err != nil {
		return nil, internal(err)
	}
	offered := map[string]int{}
	for _, c := range cands {
		for _, s := range c.Sources {
			offered[s]++
		}
	}
	out := make([]api.SourceStatus, 0, len(d.opts.Sources))
	for _, s := range d.opts.Sources {
		p := polls[s.Name]
		out = append(out, api.SourceStatus{Name: s.Name, Kind: s.Kind, URL: s.URL, LastPollAt: p.LastPollAt,
			LastOKAt: p.LastOKAt, NextPollAt: p.NextPollAt, Failures: p.Failures, LastError: p.LastError,
			Candidates: offered[s.Name]})
	}
	return out, nil
}

func (d *Desk) source(name string) *config.Source {
	for i := range d.opts.Sources {
		if d.opts.Sources[i].Name == name {
			return &d.opts.Sources[i]
		}
	}
	return nil
}

func (d *Desk) now() time.Time {
	if d.opts.Now != nil {
		return d.opts.Now()
	}
	return time.Now()
}

// toCandidate is c as editors see it, scored at now.
func (d *Desk) toCandidate(c store.Candidate, now time.Time) api.Candidate {
	sig := suggest.Signals{Points: c.Points, Comments: c.Comments, Sources: len(c.Sources)}
	for _, name := range c.Sources {
		if s := d.source(name); s != nil {
			w := s.Weight
			if w == 0 {
				w = 1
			}
			sig.Weight = max(sig.Weight, w)
			if s.Kind == config.SourceHackerNews {
				sig.PointsFrom = "HN"
			}
		}
	}
	v := api.Candidate{ID: c.ID, URL: c.URL, Title: c.Title, Snippet: c.Snippet, Sources: c.Sources, Points: c.Points,
		Comments: c.Comments, Discussion: c.Discussion, PublishedAt: c.PublishedAt, SeenAt: c.CreatedAt,
		State: string(c.State), SubmissionID: c.SubmissionID}
	sig.Age = now.Sub(v.Since())
	v.Score, v.Reasons = suggest.Score(sig), suggest.Reasons(sig)
	return v
}

// Accept makes each candidate a submission, through Submit (the same
// checks and limits as a link submitted by hand), credited to the editor
// who accepted it (by) and, in its note, to its sources. A link at a
// private address is refused there unless the fetcher's configuration
// allows it, so it is never fetched. One id refused is the refusal;
// of several, each refused one is listed with its reason and the others
// are accepted.
func (d *Desk) Accept(ctx context.Context, ids []int64, by Caller) (api.Decisions, error) {
	return d.decide(ctx, ids, func(c store.Candidate) (store.Candidate, error) {
		sub, err := d.Submit(ctx, api.SubmissionRequest{URL: c.URL, SubmittedBy: by.Actor,
			Note: "후보 #" + strconv.FormatInt(c.ID, 10) + " · 출처: " + strings.Join(c.Sources, ", ")}, by)
		if err != nil {
			return store.Candidate{}, err
		}
		return d.store.DecideCandidate(ctx, c.ID, store.CandidateAccepted, by.Actor, sub.ID)
	})
}

// Dismiss sets candidates aside for good: they are never offered again,
// whichever source offers them again. One id refused is the refusal; of
// several, each refused one is listed.
func (d *Desk) Dismiss(ctx context.Context, ids []int64, actor string) (api.Decisions, error) {
	return d.decide(ctx, ids, func(c store.Candidate) (store.Candidate, error) {
		return d.store.DecideCandidate(ctx, c.ID, store.CandidateDismissed, actor, 0)
	})
}

func (d *Desk) decide(ctx context.Context, ids []int64, apply func(store.Candidate) (store.Candidate, error)) (api.Decisions, error) {
	ids, verr := checkIDs(ids)
	if verr != nil {
		return api.Decisions{}, verr
	}
	out := api.Decisions{Done: []api.Candidate{}}
	now := d.now()
	for _, id := range ids {
		c, err := d.store.Candidate(ctx, id)
		if err == nil && c.State != store.CandidateNew {
			err = errDecided(id, c.State)
		}
		if err == nil {
			c, err = apply(c)
		}
		switch {
		case errors.Is(err, store.ErrNotFound):
			err = errNoCandidate(id)
		case errors.Is(err, store.ErrConflict): // decided meanwhile
			if now, rerr := d.store.Candidate(ctx, id); rerr == nil {
				err = errDecided(id, now.State)
			}
		}
		if err != nil {
			e := AsError(err)
			if len(ids) == 1 || e.Kind == Internal {
				return api.Decisions{}, e
			}
			out.Refused = append(out.Refused, api.Refusal{ID: id, ErrorBody: e.Body(), Korean: e.Korean})
			continue
		}
		out.Done = append(out.Done, d.toCandidate(c, now))
	}
	return out, nil
}
