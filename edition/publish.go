package edition

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// closeWeek ends a run: it finishes an issue a crash left half published
// and one in review whose publish_at has come, freezes the draft as the
// week's issue (or, in auto mode, adds it to the week's issue already
// published), publishes it in auto mode, and fills the report. An issue
// of an earlier week still waiting for review keeps the draft open: one
// issue is in review at a time (in auto mode it is published first). It
// returns the id of the issue frozen or published, 0 for none.
func (r *Runner) closeWeek(ctx context.Context, rep *Report, log *zap.Logger) (int64, error) {
	st := r.env.Store
	if err := r.finishUnfinished(ctx, log); err != nil {
		return 0, err
	}
	if due, ok, err := st.DueReview(ctx, r.env.Clock.Now()); err != nil {
		return 0, err
	} else if ok {
		if _, err := r.publishLocked(ctx, due.ID, "", log); err != nil {
			return 0, err
		}
		log.Info("an issue nobody approved in time is published", zap.String("slug", due.Slug))
	}
	if err := r.reportPending(ctx, rep); err != nil {
		return 0, err
	}
	date := rep.ScheduledFor.In(r.loc)
	week := weekKey(date)
	waiting, ok, err := st.ReviewIssue(ctx)
	if err != nil {
		return 0, err
	}
	if ok && r.sched.Mode == config.ModeAuto {
		// Left in review when the mode was review: auto mode publishes it.
		if _, err := r.publishLocked(ctx, waiting.ID, "", log); err != nil {
			return 0, err
		}
		log.Info("an issue left in review is published (auto mode)", zap.String("slug", waiting.Slug))
	} else if ok && waiting.Week != week {
		rep.Note = fmt.Sprintf("the issue of %s still waits for review; the articles summarised since stay in the draft until it is published",
			waiting.Week)
		log.Warn("an earlier issue still waits for review: this week's draft stays open", zap.String("slug", waiting.Slug))
		if err := r.reportRejected(ctx, rep, 0); err != nil {
			return 0, err
		}
		r.reportIssue(ctx, rep, waiting, false, log)
		return waiting.ID, nil
	}
	target, exists, err := st.IssueForWeek(ctx, week)
	if err != nil {
		return 0, err
	}
	draft, err := st.DraftEntries(ctx)
	if err != nil {
		return 0, err
	}
	frozen := false
	switch {
	case !exists && len(draft) == 0:
		if err := r.reportRejected(ctx, rep, 0); err != nil {
			return 0, err
		}
		rep.Note = "nothing to publish: no article was summarised since the last issue"
		log.Info("empty week: no issue", zap.String("reason", rep.Note),
			zap.Int("failed", len(rep.Failed)), zap.Int("pending", len(rep.Pending)))
		return 0, nil
	case !exists:
		if target, err = r.freeze(ctx, date, week); err != nil {
			return 0, err
		}
		frozen = true
		log.Info("the week's issue is frozen", zap.String("slug", target.Slug), zap.Int("articles", len(draft)),
			zap.String("mode", r.sched.Mode), zap.Time("publishes_at", target.PublishAt))
	case r.sched.Mode == config.ModeAuto && target.State == store.IssuePublished:
		n, err := st.Adopt(ctx, target.ID)
		if err != nil {
			return 0, err
		}
		rep.Issue = &IssueReport{Updated: true}
		log.Info("a second run of the week: its issue is published again", zap.String("slug", target.Slug),
			zap.Int("new_articles", n))
	default:
		rep.Note = fmt.Sprintf("the issue of %s is %s; articles summarised since go to the next issue", week, target.State)
	}
	if err := r.reportRejected(ctx, rep, target.ID); err != nil {
		return 0, err
	}
	if r.sched.Mode == config.ModeAuto {
		updated := rep.Issue != nil && rep.Issue.Updated
		is, err := r.publishLocked(ctx, target.ID, "", log)
		if err != nil {
			return 0, err
		}
		r.reportIssue(ctx, rep, is, updated, log)
		return is.ID, nil
	}
	target, err = st.Issue(ctx, target.ID)
	if err != nil {
		return 0, err
	}
	r.reportIssue(ctx, rep, target, false, log)
	select {
	case r.reviewed <- struct{}{}:
	default:
	}
	if r.env.Notifier != nil && frozen {
		r.env.Notifier.Send(notify.DraftReady{Title: target.Title, DeskURL: r.env.Links.Desk, PublishAt: target.PublishAt})
	}
	return target.ID, nil
}

// finishUnfinished writes an issue whose content was decided but whose
// file was not written (the process stopped in between), before anything
// else is published. The runner's lock is held.
func (r *Runner) finishUnfinished(ctx context.Context, log *zap.Logger) error {
	u, ok, err := r.env.Store.UnfinishedIssue(ctx)
	if err != nil || !ok {
		return err
	}
	log.Info("finishing an issue an earlier publication did not write", zap.String("slug", u.Slug))
	_, err = r.write(context.WithoutCancel(ctx), u, u.Content, "", log)
	return err
}

// freeze records the draft as the issue of week, dated date, with the
// CUID its previews showed.
func (r *Runner) freeze(ctx context.Context, date time.Time, week string) (store.Issue, error) {
	shape, err := r.DraftIssue(ctx, date)
	if err != nil {
		return store.Issue{}, err
	}
	n := store.NewIssue{Week: week, Title: shape.Title, Slug: shape.Slug, CUID: shape.CUID, Date: shape.Date}
	if r.sched.Mode == config.ModeReview && r.sched.PublishAfter > 0 {
		n.PublishAt = r.env.Clock.Now().Add(r.sched.PublishAfter)
	}
	return r.env.Store.Freeze(ctx, n)
}

// reportPending lists the submissions still waiting (for a retry, a
// dependency, or the run's deadline): they stay for the next issue.
func (r *Runner) reportPending(ctx context.Context, rep *Report) error {
	pending, err := r.env.Store.Submissions(ctx, store.Filter{States: []store.State{store.StateNew, store.StateProcessing}})
	if err != nil {
		return err
	}
	for _, s := range slices.Backward(pending) {
		rep.Pending = append(rep.Pending, rejected(s))
	}
	return nil
}

// reportRejected lists the failed and duplicate submissions of issue
// issueID (0: those in no issue).
func (r *Runner) reportRejected(ctx context.Context, rep *Report, issueID int64) error {
	rejects, err := r.env.Store.Rejected(ctx, issueID)
	if err != nil {
		return err
	}
	for _, s := range rejects {
		if s.State == store.StateDuplicate {
			rep.Duplicates = append(rep.Duplicates, rejected(s))
		} else {
			rep.Failed = append(rep.Failed, rejected(s))
		}
	}
	return nil
}

// reportIssue fills the report's issue, its articles and its usage.
func (r *Runner) reportIssue(ctx context.Context, rep *Report, is store.Issue, updated bool, log *zap.Logger) {
	rep.Issue = &IssueReport{ID: is.ID, Week: is.Week, Title: is.Title, Slug: is.Slug, State: string(is.State),
		Location: is.Location, KeptCopy: is.KeptCopy, PublishAt: is.PublishAt, Updated: updated}
	entries, err := r.env.Store.IssueEntries(ctx, is.ID)
	if err != nil {
		log.Error("listing the issue's articles failed", zap.Error(err))
	}
	for _, e := range entries {
		if !e.Submission.Excluded {
			rep.Articles = append(rep.Articles, ArticleReport{SubmissionID: e.Submission.ID,
				URL: e.Article.CanonicalURL, Title: e.Effective().TitleKo})
		}
	}
	if u, err := r.env.Store.IssueUsage(ctx, is.ID); err == nil {
		rep.IssueUsage = UsageReport{Requests: u.Requests, PromptTokens: u.PromptTokens, OutputTokens: u.OutputTokens, CostUSD: u.CostUSD}
	} else {
		log.Error("totalling the issue's Gemini usage failed", zap.Error(err))
	}
}

// publishLocked publishes issue id, rebuilt from the database, with the
// runner's lock held: the content is decided in one transaction (see
// store.Publish), then written, then recorded as written.
func (r *Runner) publishLocked(ctx context.Context, id int64, approver string, log *zap.Logger) (store.Issue, error) {
	var written string
	is, content, err := r.env.Store.Publish(ctx, id, approver, func(snap store.Snapshot) ([]byte, error) {
		if snap.Issue.Location != "" {
			written = snap.Issue.ContentHash // what the file held when last written
		}
		return r.render(snap).Markdown(r.pub), nil
	})
	if err != nil {
		return store.Issue{}, err
	}
	return r.write(context.WithoutCancel(ctx), is, content, written, log)
}

// Location is the time zone that dates issues (schedule.timezone).
func (r *Runner) Location() *time.Location { return r.loc }

// DraftDate is the date of the open draft as approving it now would
// publish it: today, in the schedule's time zone. (A scheduled run dates
// the issue it freezes by its slot instead.)
func (r *Runner) DraftDate() time.Time { return r.env.Clock.Now().In(r.loc) }

// DraftIssue is the issue the open draft becomes when it is frozen at
// date: its title, slug, week, date, CUID and opening paragraph.
func (r *Runner) DraftIssue(ctx context.Context, date time.Time) (store.Issue, error) {
	st := r.env.Store
	cuid, err := st.DraftCUID(ctx, publisher.NewCUID)
	if err != nil {
		return store.Issue{}, err
	}
	intro, err := st.DraftIntro(ctx)
	if err != nil {
		return store.Issue{}, err
	}
	date = date.In(r.loc)
	shape := publisher.NewIssue(r.pub, date, "", nil)
	return store.Issue{Week: weekKey(date), Title: shape.Title, Slug: shape.Slug, CUID: cuid, Date: date, Intro: intro}, nil
}

// Preview is the document publishing snap would write, byte for byte.
func (r *Runner) Preview(snap store.Snapshot) []byte { return r.render(snap).Markdown(r.pub) }

// render is the issue of a snapshot: its stored title, slug, CUID, date
// and opening, and its included entries as edited.
func (r *Runner) render(snap store.Snapshot) *publisher.Issue {
	var articles []publisher.Article
	var models []string
	for _, e := range snap.Entries {
		if e.Submission.Excluded {
			continue
		}
		a := pipeline.Entry(e.Article, e.Effective())
		a.SubmittedBy = e.Submission.SubmittedBy
		articles = append(articles, a)
		if !slices.Contains(models, e.Summary.Model) {
			models = append(models, e.Summary.Model)
		}
	}
	is := snap.Issue
	issue := publisher.NewIssue(r.pub, is.Date.In(r.loc), strings.Join(models, ", "), articles)
	issue.Title, issue.Slug, issue.CUID, issue.Intro = is.Title, is.Slug, is.CUID, is.Intro
	return issue
}

// write writes the decided content of is and records it; written is the
// hash of the file as last written ("" when unknown), so that a copy
// changed by hand since is kept, not replaced.
func (r *Runner) write(ctx context.Context, is store.Issue, content []byte, written string, log *zap.Logger) (store.Issue, error) {
	issue := r.render(store.Snapshot{Issue: is})
	issue.Written = written
	where, err := r.env.Publisher.Publish(ctx, issue, content)
	if err != nil {
		return store.Issue{}, err
	}
	if where.KeptCopy != "" {
		log.Warn("the published file was changed by hand since it was written: that copy is kept beside the new one",
			zap.String("kept", where.KeptCopy), zap.String("issue", where.String()))
	}
	is, err = r.env.Store.Written(ctx, is.ID, where.String(), where.KeptCopy)
	if err != nil {
		return store.Issue{}, err
	}
	log.Info("issue published", zap.Int64("issue_id", is.ID), zap.String("slug", is.Slug),
		zap.String("location", is.Location))
	return r.afterWrite(ctx, is, content, log), nil
}

// ErrNothingToPublish is returned by Approve when the draft is empty and
// no issue waits for review.
var ErrNothingToPublish = errors.New("nothing to publish: the draft is empty and no issue waits for review")

// ErrWeekTaken is returned by Approve when this week has its issue
// already: the open draft goes out with next week's.
var ErrWeekTaken = errors.New("this week has its issue already")

// Approve publishes the upcoming issue now, by approver: the issue in
// review, or else the open draft, frozen as this week's issue. It returns
// a *BusyError while a run is in progress, ErrNothingToPublish when
// there is nothing to publish, and ErrWeekTaken when this week's issue
// is out already.
func (r *Runner) Approve(ctx context.Context, approver string) (store.Issue, error) {
	log := r.env.Log.With(zap.String("approved_by", approver))
	return r.publishing(ctx, log, func() (store.Issue, error) { return r.approveLocked(ctx, approver, log) })
}

// approveLocked is Approve with the runner's lock held.
func (r *Runner) approveLocked(ctx context.Context, approver string, log *zap.Logger) (store.Issue, error) {
	st := r.env.Store
	target, ok, err := st.ReviewIssue(ctx)
	if err != nil {
		return store.Issue{}, err
	}
	if !ok {
		draft, err := st.DraftEntries(ctx)
		if err != nil {
			return store.Issue{}, err
		}
		if len(draft) == 0 {
			return store.Issue{}, ErrNothingToPublish
		}
		date := r.DraftDate()
		week := weekKey(date)
		if existing, ok, err := st.IssueForWeek(ctx, week); err != nil {
			return store.Issue{}, err
		} else if ok {
			return store.Issue{}, fmt.Errorf("%w: the issue of %s is %s; the draft goes out with next week's", ErrWeekTaken, week, existing.State)
		}
		if target, err = r.freeze(ctx, date, week); err != nil {
			return store.Issue{}, err
		}
	}
	return r.publishLocked(ctx, target.ID, approver, log)
}

// Republish publishes issue id again, by approver, after corrections:
// the same file, slug and CUID.
func (r *Runner) Republish(ctx context.Context, id int64, approver string) (store.Issue, error) {
	log := r.env.Log.With(zap.String("approved_by", approver))
	return r.publishing(ctx, log, func() (store.Issue, error) { return r.publishLocked(ctx, id, approver, log) })
}

// publishing runs publish with the runner's lock, once an issue left half
// written is finished; a *BusyError when a run or another publication
// holds the lock.
func (r *Runner) publishing(ctx context.Context, log *zap.Logger, publish func() (store.Issue, error)) (store.Issue, error) {
	if !r.mu.TryLock() {
		return store.Issue{}, &BusyError{ID: r.current.Load()}
	}
	defer r.mu.Unlock()
	if err := r.finishUnfinished(ctx, log); err != nil {
		return store.Issue{}, err
	}
	return publish()
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
	r.mu.Lock() // what is due is decided under the lock: an editor may approve it first
	defer r.mu.Unlock()
	if err := r.finishUnfinished(ctx, log); err != nil {
		return false, err
	}
	is, ok, err := r.env.Store.DueReview(ctx, r.env.Clock.Now())
	if err != nil || !ok {
		return false, err
	}
	if _, err := r.publishLocked(ctx, is.ID, "", log); err != nil {
		return false, fmt.Errorf("issue %s: %w", is.Slug, err)
	}
	log.Info("an issue nobody approved in time is published", zap.String("slug", is.Slug),
		zap.Duration("publish_after", r.sched.PublishAfter))
	return true, nil
}
