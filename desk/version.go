package desk

import (
	"context"
	"errors"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/store"
)

// Versions lists every text each field of the entry of submission id has
// had, the model's and the editors', oldest first; the one each field
// holds now is Current.
func (d *Desk) Versions(ctx context.Context, id int64) ([]api.Version, error) {
	e, err := d.store.Entry(ctx, id)
	if err != nil {
		return nil, d.refusal(ctx, err, onEntry(id))
	}
	vs, err := d.store.Versions(ctx, id)
	if err != nil {
		return nil, d.refusal(ctx, err, onEntry(id))
	}
	now := e.Effective()
	// The current one of a field is its latest version holding its text.
	current := map[string]int64{}
	for _, v := range vs {
		if v.Value == now.Get(v.Field) {
			current[string(v.Field)] = v.ID
		}
	}
	out := make([]api.Version, 0, len(vs))
	for _, v := range vs {
		out = append(out, api.Version{ID: v.ID, Field: string(v.Field), Text: v.Value, Source: v.Source, Actor: v.Actor,
			Instruction: v.Note, At: v.At.In(d.Location()), Current: current[string(v.Field)] == v.ID})
	}
	return out, nil
}

// Restore gives a field of the entry of submission id the text of its
// version vid again, by editor: an edit like any other (kept as a version
// of its own, in the history), under the same rules.
func (d *Desk) Restore(ctx context.Context, id, vid int64, editor string) (api.Entry, error) {
	e, err := d.store.Entry(ctx, id)
	if err != nil {
		return api.Entry{}, d.refusal(ctx, err, onEntry(id))
	}
	v, err := d.store.Version(ctx, id, vid)
	if errors.Is(err, store.ErrNotFound) {
		return api.Entry{}, errNoVersion(id, vid)
	}
	if err != nil {
		return api.Entry{}, internal(err)
	}
	if e.Effective().Get(v.Field) == v.Value {
		out, err := d.entryView(ctx, e)
		if err != nil {
			return api.Entry{}, internal(err)
		}
		return out, nil
	}
	c := api.Change{Fields: map[string]*string{string(v.Field): &v.Value}}
	if v.Value == e.Summary.Get(v.Field) {
		c.Fields[string(v.Field)] = nil // the model's text now: the field is no longer edited
	}
	return d.Edit(ctx, id, c, editor)
}
