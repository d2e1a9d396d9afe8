package desk

import (
	"context"

	"github.com/godevcommunity/newsletter/api"
)

// BulkOutcome is one submission's outcome of a bulk action: Err is why
// it was refused, nil when done.
type BulkOutcome struct {
	ID  int64
	Err *Error
}

// Bulk applies action (api.BulkActions) to each of ids in turn through
// its own use case (Edit for exclude and include, Retry, Delete), so that
// each is refused for the same reasons as alone; a refusal does not stop
// the others. The server's own failure stops at the submission it met,
// the ones before it done, and is returned.
func (d *Desk) Bulk(ctx context.Context, action string, ids []int64, actor string) ([]BulkOutcome, error) {
	ids, verr := checkBulk(action, ids)
	if verr != nil {
		return nil, verr
	}
	out := make([]BulkOutcome, 0, len(ids))
	for _, id := range ids {
		var err error
		switch action {
		case api.BulkExclude, api.BulkInclude:
			excluded := action == api.BulkExclude
			_, err = d.Edit(ctx, id, api.Change{Excluded: &excluded}, actor)
		case api.BulkRetry:
			_, err = d.Retry(ctx, id, actor)
		case api.BulkDelete:
			_, err = d.Delete(ctx, id, actor)
		}
		if err != nil {
			e := AsError(err)
			if e.Kind == Internal {
				return out, err
			}
			out = append(out, BulkOutcome{ID: id, Err: e})
			continue
		}
		out = append(out, BulkOutcome{ID: id})
	}
	return out, nil
}

// BulkResult is outcomes as the API answers them.
func BulkResult(action string, outcomes []BulkOutcome) api.BulkResult {
	r := api.BulkResult{Action: action, Items: make([]api.BulkItem, 0, len(outcomes))}
	for _, o := range outcomes {
		it := api.BulkItem{ID: o.ID, OK: o.Err == nil}
		if o.Err != nil {
			b := o.Err.Body()
			it.Error = &b
			r.Refused++
		} else {
			r.Done++
		}
		r.Items = append(r.Items, it)
	}
	return r
}
