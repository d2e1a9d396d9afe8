package edition

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// week is what closing a week, or approving the draft, looks at.
type week struct {
	date     time.Time // the date the week's issue carries
	key      string    // its ISO week, e.g. "2024-W36"
	review   store.Issue
	inReview bool // review is the issue in review, of any week
	issue    store.Issue
	exists   bool // issue is the week's own
	draft    int  // articles in the open draft
}

// readWeek reads the week of date.
func (r *Runner) readWeek(ctx context.Context, date time.Time) (week, error) {
	st := r.env.Store
	w := week{date: date.In(r.loc)}
	w.key = weekKey(w.date)
	var err error
	if w.review, w.inReview, err = st.ReviewIssue(ctx); err != nil {
		return week{}, err
	}
	if w.issue, w.exists, err = st.IssueForWeek(ctx, w.key); err != nil {
		return week{}, err
	}
	draft, err := st.DraftEntries(ctx)
	if err != nil {
		return week{}, err
	}
	w.draft = len(draft)
	return w, nil
}

// step is what a run does with its week's draft.
type step int

const (
	leaveOpen   step = iota // an earlier week's issue waits for review: the draft stays open
	emptyWeek               // no issue this week, and nothing to put in one
	freezeDraft             // the draft becomes the week's issue
	adoptDraft              // the draft joins the week's issue, published (auto mode)
	keepIssue               // the week has its issue: the draft waits for the next one
)

// plan is the table of a run's step, first match wins.
func plan(mode string, w week) step {
	switch {
	case w.inReview && w.review.Week != w.key:
		return leaveOpen
	case !w.exists && w.draft == 0:
		return emptyWeek
	case !w.exists:
		return freezeDraft
	case mode == config.ModeAuto && w.issue.State == store.IssuePublished:
		return adoptDraft
	}
	return keepIssue
}

// closeWeek ends a run: it publishes what must go out first, takes the
// step plan gives for the week's draft, then publishes the week's issue
// (auto mode) or leaves it for review, and fills the report. It returns
// the id of the issue frozen or published, 0 for none.
func (r *Runner) closeWeek(ctx context.Context, rep *Report, log *zap.Logger) (int64, error) {
	w, err := r.openWeek(ctx, rep, log)
	if err != nil {
		return 0, err
	}
	target := w.issue
	switch plan(r.sched.Mode, w) {
	case leaveOpen:
		return r.leaveOpen(ctx, rep, w, log)
	case emptyWeek:
		return 0, r.emptyWeek(ctx, rep, log)
	case freezeDraft:
		target, err = r.freeze(ctx, w, r.sched.Mode == config.ModeReview, log)
	case adoptDraft:
		rep.Issue = &IssueReport{Updated: true}
		err = r.adopt(ctx, w, log)
	case keepIssue:
		rep.Note = fmt.Sprintf("the issue of %s is %s; articles summarised since go to the next issue", w.key, w.issue.State)
	}
	if err != nil {
		return 0, err
	}
	if err := r.reportRejected(ctx, rep, target.ID); err != nil {
		return 0, err
	}
	if r.sched.Mode == config.ModeAuto {
		return r.publishWeek(ctx, rep, target, log)
	}
	return r.awaitReview(ctx, rep, target, log)
}

// openWeek publishes what must go out before the week closes (an issue a
// stop left half written, one in review whose publish_at has come and, in
// auto mode, one left in review when the mode was review), lists the
// submissions still pending, and reads the week.
func (r *Runner) openWeek(ctx context.Context, rep *Report, log *zap.Logger) (week, error) {
	if _, _, err := r.finish(ctx, log); err != nil {
		return week{}, err
	}
	if _, _, err := r.publishDue(ctx, log); err != nil {
		return week{}, err
	}
	if err := r.reportPending(ctx, rep); err != nil {
		return week{}, err
	}
	if r.sched.Mode == config.ModeAuto {
		if err := r.publishLeftInReview(ctx, log); err != nil {
			return week{}, err
		}
	}
	return r.readWeek(ctx, rep.ScheduledFor)
}

// publishDue publishes the issue in review whose publish_at has come, if
// any, and reports whether it did; due is that issue.
func (r *Runner) publishDue(ctx context.Context, log *zap.Logger) (due store.Issue, ok bool, err error) {
	due, ok, err = r.env.Store.DueReview(ctx, r.env.Clock.Now())
	if err != nil || !ok {
		return due, false, err
	}
	if _, err := r.publish(ctx, due.ID, "", false, log); err != nil {
		return due, false, err
	}
	log.Info("an issue nobody approved in time is published", zap.String("slug", due.Slug),
		zap.Duration("publish_after", r.sched.PublishAfter))
	return due, true, nil
}

// publishLeftInReview publishes the issue in review, if any: auto mode
// publishes what review mode left waiting.
func (r *Runner) publishLeftInReview(ctx context.Context, log *zap.Logger) error {
	waiting, ok, err := r.env.Store.ReviewIssue(ctx)
	if err != nil || !ok {
		return err
	}
	if _, err := r.publish(ctx, waiting.ID, "", false, log); err != nil {
		return err
	}
	log.Info("an issue left in review is published (auto mode)", zap.String("slug", waiting.Slug))
	return nil
}

// leaveOpen reports the issue of an earlier week still in review: one
// issue is in review at a time, so the week's draft stays open.
func (r *Runner) leaveOpen(ctx context.Context, rep *Report, w week, log *zap.Logger) (int64, error) {
	rep.Note = fmt.Sprintf("the issue of %s still waits for review; the articles summarised since stay in the draft until it is published",
		w.review.Week)
	log.Warn("an earlier issue still waits for review: this week's draft stays open", zap.String("slug", w.review.Slug))
	if err := r.reportRejected(ctx, rep, 0); err != nil {
		return 0, err
	}
	r.reportIssue(ctx, rep, w.review, false, log)
	return w.review.ID, nil
}

// emptyWeek reports a week with no issue and nothing to put in one.
func (r *Runner) emptyWeek(ctx context.Context, rep *Report, log *zap.Logger) error {
	if err := r.reportRejected(ctx, rep, 0); err != nil {
		return err
	}
	rep.Note = "nothing to publish: no article was summarised since the last issue"
	log.Info("empty week: no issue", zap.String("reason", rep.Note),
		zap.Int("failed", len(rep.Failed)), zap.Int("pending", len(rep.Pending)))
	return nil
}

// publishWeek publishes the week's issue (auto mode) and reports it.
func (r *Runner) publishWeek(ctx context.Context, rep *Report, target store.Issue, log *zap.Logger) (int64, error) {
	updated := rep.Issue != nil && rep.Issue.Updated
	is, err := r.publish(ctx, target.ID, "", false, log)
	if err != nil {
		return 0, err
	}
	r.reportIssue(ctx, rep, is, updated, log)
	return is.ID, nil
}

// awaitReview reports the week's issue waiting for review and wakes
// AutoPublish to look at its publish_at; the editors are told of an issue
// just frozen by the message its freeze queued.
func (r *Runner) awaitReview(ctx context.Context, rep *Report, target store.Issue, log *zap.Logger) (int64, error) {
	target, err := r.env.Store.Issue(ctx, target.ID)
	if err != nil {
		return 0, err
	}
	r.reportIssue(ctx, rep, target, false, log)
	select {
	case r.reviewed <- struct{}{}:
	default:
	}
	return target.ID, nil
}

// weekKey names the ISO week of t, e.g. "2024-W36".
func weekKey(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
