package edition

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// ErrNothingToPublish is returned by Approve when the draft is empty and
// no issue waits for review.
var ErrNothingToPublish = errors.New("nothing to publish: the draft is empty and no issue waits for review")

// ErrWeekTaken is returned by Approve when this week has its issue
// already: the open draft goes out with next week's.
var ErrWeekTaken = errors.New("this week has its issue already")

// Approve publishes the upcoming issue now, by approver: the issue in
// review, or else the open draft, frozen as this week's issue. An issue
// an earlier approval left half written (its file could not be written)
// is the one approved: it is finished and returned. It returns a
// *BusyError while a run is in progress, ErrNothingToPublish when there is
// nothing to publish, and ErrWeekTaken when this week's issue is out
// already.
func (r *Runner) Approve(ctx context.Context, approver string) (store.Issue, error) {
	log := r.env.Log.With(zap.String("approved_by", approver))
	return r.publishing(ctx, log, func(finished *store.Issue) (store.Issue, error) {
		if finished != nil {
			return *finished, nil
		}
		return r.approveLocked(ctx, approver, log)
	})
}

// approveLocked is Approve with the runner's lock held.
func (r *Runner) approveLocked(ctx context.Context, approver string, log *zap.Logger) (store.Issue, error) {
	w, err := r.readWeek(ctx, r.DraftDate())
	if err != nil {
		return store.Issue{}, err
	}
	target := w.review
	if !w.inReview {
		if target, err = r.freeze(ctx, w, false, log); err != nil {
			return store.Issue{}, err
		}
	}
	return r.publish(ctx, target.ID, approver, false, log)
}

// Republish publishes issue id again, by approver, after corrections:
// the same file, slug and CUID. The chats hear of it only when announce
// is set, and then as a correction.
func (r *Runner) Republish(ctx context.Context, id int64, approver string, announce bool) (store.Issue, error) {
	log := r.env.Log.With(zap.String("approved_by", approver))
	return r.publishing(ctx, log, func(finished *store.Issue) (store.Issue, error) {
		if finished != nil && finished.ID == id {
			return *finished, nil
		}
		return r.publish(ctx, id, approver, announce, log)
	})
}

// publishing runs publish with the runner's lock, once an issue left half
// written is finished (passed to publish, nil when there was none); a
// *BusyError when a run or another publication holds the lock.
func (r *Runner) publishing(ctx context.Context, log *zap.Logger, publish func(finished *store.Issue) (store.Issue, error)) (store.Issue, error) {
	if !r.mu.TryLock() {
		return store.Issue{}, &BusyError{ID: r.current.Load()}
	}
	defer r.mu.Unlock()
	is, ok, err := r.finish(ctx, log)
	if err != nil {
		return store.Issue{}, err
	}
	if ok {
		return publish(&is)
	}
	return publish(nil)
}

// autoPublishBackoff spaces AutoPublish's attempts after a failure.
var autoPublishBackoff = retry.Backoff{Base: time.Minute, Max: time.Hour}

// AutoPublish publishes each issue in review once its publish_at has come,
// until ctx ends: the newsletter goes out even when nobody looks. After a
// failure it tries again later, further apart each time.
func (r *Runner) AutoPublish(ctx context.Context) error {
	log := r.env.Log.Named("autopublish")
	failures := 0
	for r.ctx.Err() == nil {
		published, err := r.autoPublishDue(ctx, log)
		wait := time.Hour
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failures++
			wait = autoPublishBackoff.Delay(failures, 0)
			log.Error("publishing an issue nobody approved failed; trying again later", zap.Error(err),
				zap.Duration("retry_in", wait))
		case published:
			failures = 0
			continue
		default:
			failures = 0
			if at, ok, err := r.env.Store.NextPublishAt(ctx); err == nil && ok {
				wait = min(wait, max(at.Sub(r.env.Clock.Now()), 0))
			}
		}
		timer := r.env.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-r.reviewed:
		case <-timer.Chan():
		}
		timer.Stop()
	}
	return nil
}

// autoPublishDue publishes the issue in review whose publish_at has come,
// if any, and reports whether it did.
func (r *Runner) autoPublishDue(ctx context.Context, log *zap.Logger) (bool, error) {
	// The lock is taken only when there is something to do, so that the
	// look after each run never turns an editor's action away as busy.
	if _, unfinished, err := r.env.Store.UnfinishedIssue(ctx); err != nil {
		return false, err
	} else if _, due, err := r.env.Store.DueReview(ctx, r.env.Clock.Now()); err != nil {
		return false, err
	} else if !unfinished && !due {
		return false, nil
	}
	r.mu.Lock() // what is due is decided again under the lock: an editor may approve it first
	defer r.mu.Unlock()
	if _, _, err := r.finish(ctx, log); err != nil {
		return false, err
	}
	due, ok, err := r.publishDue(ctx, log)
	if err != nil && due.ID != 0 {
		return false, fmt.Errorf("issue %s: %w", due.Slug, err)
	}
	return ok, err
}
