package edition

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-co-op/gocron/v2"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// IssueRunner runs one issue run; *Runner is one.
type IssueRunner interface {
	Run(ctx context.Context, kind store.RunKind, scheduledFor time.Time) (*Report, error)
}

// Scheduler starts a scheduled issue run at every slot of the cron
// expression in schedule.cron, read in schedule.timezone. Runs never
// overlap: a slot reached during a run starts after it. With
// schedule.catch_up, a slot missed while the service was down is run on
// Start.
type Scheduler struct {
	cfg     config.Schedule
	loc     *time.Location
	cron    gocron.Cron
	env     Env
	runner  IssueRunner
	s       gocron.Scheduler
	job     gocron.Job
	running atomic.Bool
}

// CheckSchedule reports, in one line, what is wrong with the schedule:
// an unknown time zone or a cron expression gocron cannot read. It is what
// NewScheduler checks, for `config check` and before `serve` opens
// anything.
func CheckSchedule(cfg config.Schedule) error {
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return fmt.Errorf("schedule.timezone: unknown time zone %q", cfg.Timezone)
	}
	if err := gocron.NewDefaultCron(false).IsValid(cfg.Cron, loc, time.Now()); err != nil {
		msg := strings.Join(strings.Fields(err.Error()), " ")
		return fmt.Errorf(`schedule.cron %q: not a cron expression of five fields (minute hour day-of-month month day-of-week) such as "0 6 * * 1": %s`,
			cfg.Cron, msg)
	}
	return nil
}

// NewScheduler checks cfg and returns a Scheduler that is not started
// yet, starting runs of r. It reads the runs of env.Store (for catch-up)
// on env.Clock.
func NewScheduler(env Env, cfg config.Schedule, r IssueRunner) (*Scheduler, error) {
	if err := CheckSchedule(cfg); err != nil {
		return nil, fmt.Errorf("edition: %w", err)
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return nil, fmt.Errorf("edition: schedule.timezone: %w", err)
	}
	env = env.withDefaults()
	env.Log = env.Log.Named("schedule")
	s := &Scheduler{cfg: cfg, loc: loc, env: env, runner: r}
	s.cron = gocron.NewDefaultCron(false)
	if err := s.cron.IsValid(cfg.Cron, loc, env.Clock.Now()); err != nil { // also readies s.cron.Next
		return nil, fmt.Errorf("edition: schedule.cron %q: %w", cfg.Cron, err)
	}
	return s, nil
}

// Start starts the schedule; the runs it starts get a context that
// Shutdown cancels. When a slot was missed it starts that run now.
func (s *Scheduler) Start(ctx context.Context) error {
	g, err := gocron.NewScheduler(gocron.WithLocation(s.loc), gocron.WithClock(s.env.Clock),
		gocron.WithLogger(zapLogger{s.env.Log}))
	if err != nil {
		return fmt.Errorf("edition: scheduler: %w", err)
	}
	job, err := g.NewJob(gocron.CronJob(s.cfg.Cron, false), gocron.NewTask(s.fire),
		gocron.WithName("weekly issue"), gocron.WithSingletonMode(gocron.LimitModeWait))
	if err != nil {
		return fmt.Errorf("edition: schedule.cron %q: %w", s.cfg.Cron, err)
	}
	s.s, s.job = g, job
	missed, err := s.missedSlot(ctx, s.env.Clock.Now())
	if err != nil {
		return err
	}
	g.Start()
	s.running.Store(true)
	next, _ := job.NextRun()
	s.env.Log.Info("schedule started", zap.String("cron", s.cfg.Cron), zap.String("timezone", s.loc.String()),
		zap.Time("next_run", next))
	if !missed.IsZero() {
		s.env.Log.Info("a scheduled run was missed; running it now", zap.Time("missed", missed))
		if err := job.RunNow(); err != nil {
			return fmt.Errorf("edition: catch-up run for %s: %w", missed, err)
		}
	}
	return nil
}

// fire is the job: a scheduled run for the slot just reached.
func (s *Scheduler) fire(ctx context.Context) {
	slot := s.prevSlot(s.env.Clock.Now())
	if slot.IsZero() {
		slot = s.env.Clock.Now()
	}
	// The runner logs and records the outcome.
	_, _ = s.runner.Run(ctx, store.RunScheduled, slot)
}

// Ready reports whether the schedule is running; for /readyz.
func (s *Scheduler) Ready(context.Context) error {
	if !s.running.Load() {
		return errors.New("scheduler is not running")
	}
	return nil
}

// NextRun returns when the next scheduled run starts.
func (s *Scheduler) NextRun() (time.Time, error) {
	if s.job == nil {
		return time.Time{}, errors.New("scheduler is not started")
	}
	return s.job.NextRun()
}

// Shutdown stops the schedule, cancels a scheduled run in progress and
// waits for it to end.
func (s *Scheduler) Shutdown() error {
	if s.s == nil {
		return nil
	}
	s.running.Store(false)
	if err := s.s.Shutdown(); err != nil {
		return fmt.Errorf("edition: stop scheduler: %w", err)
	}
	return nil
}

// missedSlot returns the latest slot at or before now that no successful
// run covers, or the zero time when none was missed (or catch-up is off).
// A slot is covered by a successful run started at or after it. Before any
// successful run, a slot counts as missed only if something was submitted
// before it.
func (s *Scheduler) missedSlot(ctx context.Context, now time.Time) (time.Time, error) {
	if !s.cfg.CatchUp {
		return time.Time{}, nil
	}
	prev := s.prevSlot(now)
	if prev.IsZero() {
		return time.Time{}, nil
	}
	last, ok, err := s.env.Store.LastSucceededRun(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if ok {
		if last.StartedAt.Before(prev) {
			return prev, nil
		}
		return time.Time{}, nil
	}
	waiting, err := s.env.Store.SubmittedBefore(ctx, prev)
	if err != nil || !waiting {
		return time.Time{}, err
	}
	return prev, nil
}

// maxSlotGap is how far back prevSlot looks: a year and a day covers any
// five-field cron expression that fires at all.
const maxSlotGap = 367 * 24 * time.Hour

// prevSlot returns the latest slot of the schedule at or before now, or
// the zero time when there is none within maxSlotGap.
func (s *Scheduler) prevSlot(now time.Time) time.Time {
	for window := time.Hour; window <= 2*maxSlotGap; window *= 2 {
		t := s.cron.Next(now.Add(-window))
		if t.IsZero() || t.After(now) {
			continue
		}
		for {
			n := s.cron.Next(t)
			if n.IsZero() || n.After(now) {
				return t.In(s.loc)
			}
			t = n
		}
	}
	return time.Time{}
}

// zapLogger adapts zap to gocron's logger.
type zapLogger struct{ log *zap.Logger }

func (l zapLogger) Debug(msg string, args ...any) { l.log.Sugar().Debugw(msg, args...) }
func (l zapLogger) Error(msg string, args ...any) { l.log.Sugar().Errorw(msg, args...) }
func (l zapLogger) Info(msg string, args ...any)  { l.log.Sugar().Debugw(msg, args...) }
func (l zapLogger) Warn(msg string, args ...any)  { l.log.Sugar().Warnw(msg, args...) }
