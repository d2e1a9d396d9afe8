package desk

import (
	"context"
	"encoding/json"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// Status is what an operator asks first when nothing seems to happen: the
// dependencies (paused? until when? why?), the submissions by state and
// those waiting for a dependency, the last run and the next, the mode of
// publishing, and the version.
func (d *Desk) Status(ctx context.Context) (api.Status, error) {
	st := api.Status{Version: d.opts.Version, Dependencies: d.Dependencies(), Mode: d.opts.Schedule.Mode}
	if st.Mode != config.ModeAuto {
		st.PublishAfter = d.opts.Schedule.PublishAfter
	}
	var err error
	if st.Submissions, err = d.CountByState(ctx); err != nil {
		return api.Status{}, err
	}
	if st.Waiting, err = d.store.CountWaiting(ctx); err != nil {
		return api.Status{}, internal(err)
	}
	runs, err := d.store.Runs(ctx, 1)
	if err != nil {
		return api.Status{}, internal(err)
	}
	if len(runs) > 0 {
		r := toRun(runs[0])
		r.Report = nil
		st.LastRun = &r
	}
	if next := d.NextRun(); !next.IsZero() {
		st.NextRun = &next
	}
	outlets, err := d.store.DeliveriesByOutlet(ctx)
	if err != nil {
		return api.Status{}, internal(err)
	}
	for _, o := range outlets {
		v := api.OutletStatus{Outlet: o.Outlet, Counts: map[string]int{}, LatestState: string(o.Latest.State),
			LatestKind: o.Latest.Kind, LatestError: o.Latest.LastError}
		for s, n := range o.Counts {
			v.Counts[string(s)] = n
		}
		st.Outlets = append(st.Outlets, v)
	}
	if st.Sources, err = d.SourceStatus(ctx); err != nil {
		return api.Status{}, err
	}
	return st, nil
}

// Runs lists the latest issue runs, at most limit, the latest first.
func (d *Desk) Runs(ctx context.Context, limit int) ([]api.Run, error) {
	runs, err := d.store.Runs(ctx, limit)
	if err != nil {
		return nil, internal(err)
	}
	out := make([]api.Run, 0, len(runs))
	for _, r := range runs {
		out = append(out, toRun(r))
	}
	return out, nil
}

// Run returns issue run id.
func (d *Desk) Run(ctx context.Context, id int64) (api.Run, error) {
	r, err := d.store.Run(ctx, id)
	if err != nil {
		return api.Run{}, d.refusal(ctx, err, onRun(id))
	}
	return toRun(r), nil
}

func toRun(r store.Run) api.Run {
	v := api.Run{ID: r.ID, Kind: string(r.Kind), State: string(r.State), ScheduledFor: r.ScheduledFor,
		StartedAt: r.StartedAt, IssueID: r.IssueID, Error: r.Error}
	if !r.FinishedAt.IsZero() {
		t := r.FinishedAt
		v.FinishedAt = &t
	}
	if len(r.Report) > 0 && string(r.Report) != "{}" && json.Valid(r.Report) {
		v.Report = r.Report
	}
	return v
}
