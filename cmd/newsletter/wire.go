package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/server"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// daemon is the service assembled from the configuration: what `serve`
// runs in the background and `run` runs once.
type daemon struct {
	cfg      config.Config
	log      *zap.Logger
	clock    clockwork.Clock
	store    *store.Store
	registry *prometheus.Registry
	summ     *summarizer.Summarizer
	worker   *pipeline.Worker
	runner   *pipeline.Runner
}

// errNoAPIKey reports a missing Gemini API key, with exit status 2 like a
// usage mistake; hint may add what works without one.
func errNoAPIKey(hint string) error {
	return exitError{code: 2, err: errors.New("no Gemini API key: set GEMINI_API_KEY (or gemini.api_key in the config file)" + hint)}
}

// buildDaemon opens the database and builds the pipeline. clock is the time
// source of everything (nil means the real clock); tests pass a fake one.
// Close releases what it opened. Without a Gemini API key it opens nothing.
func buildDaemon(ctx context.Context, cfg config.Config, log *zap.Logger, clock clockwork.Clock) (_ *daemon, err error) {
	if cfg.Gemini.APIKey == "" {
		return nil, errNoAPIKey("")
	}
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	d := &daemon{cfg: cfg, log: log, clock: clock, registry: prometheus.NewRegistry()}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	d.store, err = store.Open(ctx, cfg.Store.Path, store.WithClock(clock.Now), store.WithExclusive())
	if err != nil {
		return nil, err
	}
	f, err := fetcher.New(cfg.Fetcher, log.Named("fetcher"))
	if err != nil {
		return nil, err
	}
	d.summ, err = summarizer.New(ctx, cfg.Gemini, d.store, log)
	if err != nil {
		return nil, err
	}
	if err := d.registry.Register(collectors.NewGoCollector()); err != nil {
		return nil, err
	}
	if err := d.registry.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, err
	}
	metrics, err := pipeline.NewMetrics(d.registry)
	if err != nil {
		return nil, err
	}
	proc := pipeline.NewProcessor(pipeline.Env{
		Store:      d.store,
		Fetcher:    f,
		Summarizer: d.summ,
		Publisher:  publisher.NewFilePublisher(cfg.Publisher.Dir),
		Metrics:    metrics,
		Log:        log,
		Now:        clock.Now,
	}, cfg.Worker)
	d.worker = pipeline.NewWorker(proc)
	d.runner, err = pipeline.NewRunner(proc, cfg.Schedule, cfg.Publisher)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// recover undoes what a crash left behind: runs still marked running and
// submissions still marked processing, which fail once they have had
// worker.max_attempts. The database's process lock, taken by buildDaemon,
// keeps any other serve or run from holding the work it takes back.
func (d *daemon) recover(ctx context.Context) error {
	runs, err := d.store.InterruptRuns(ctx)
	if err != nil {
		return err
	}
	requeued, failed, err := d.store.RecoverProcessing(ctx, d.cfg.Worker.MaxAttempts)
	if err != nil {
		return err
	}
	if runs+requeued+failed > 0 {
		d.log.Warn("recovered from an unclean stop", zap.Int("interrupted_runs", runs),
			zap.Int("submissions_requeued", requeued), zap.Int("submissions_failed", failed))
	}
	return nil
}

// serve runs the API on ln, the worker and the weekly schedule until ctx
// ends or one of them fails. On the way out it stops taking requests, stops
// the schedule, checkpoints the articles in flight back to new, and waits
// for all of it.
func (d *daemon) serve(ctx context.Context, ln net.Listener) error {
	if err := d.recover(ctx); err != nil {
		return err
	}
	sched, err := pipeline.NewScheduler(d.cfg.Schedule, d.store, d.runner, d.log, pipeline.WithClock(d.clock))
	if err != nil {
		return err
	}
	srv, err := server.New(server.Options{
		Server:   d.cfg.Server,
		Fetcher:  d.cfg.Fetcher,
		Store:    d.store,
		Runner:   d.runner,
		Notify:   d.worker.Notify,
		Ready:    map[string]func(context.Context) error{"scheduler": sched.Ready},
		Registry: d.registry,
		Log:      d.log.Named("api"),
	})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workerDone := make(chan error, 1)
	go func() { workerDone <- d.worker.Run(ctx) }()
	if err := sched.Start(ctx); err != nil {
		cancel()
		<-workerDone
		return errors.Join(err, sched.Shutdown())
	}
	serveErr := srv.Serve(ctx, ln) // returns once ctx ends and requests are done
	cancel()
	d.log.Info("stopping the schedule and any run in progress")
	errs := []error{serveErr}
	errs = append(errs, sched.Shutdown())
	d.runner.Close()
	errs = append(errs, <-workerDone)
	return errors.Join(errs...)
}

// Close waits for background runs and closes the database.
func (d *daemon) Close() error {
	if d.runner != nil {
		d.runner.Close()
	}
	if d.store != nil {
		return d.store.Close()
	}
	return nil
}

// runOnce runs one manual issue run in-process.
func (d *daemon) runOnce(ctx context.Context) (*pipeline.Report, error) {
	if err := d.recover(ctx); err != nil {
		return nil, err
	}
	return d.runner.Run(ctx, store.RunManual, d.clock.Now())
}

// describeStart logs what the service will do, once at start.
func (d *daemon) describeStart(what string) {
	d.log.Info(what,
		zap.String("version", version),
		zap.String("database", d.cfg.Store.Path),
		zap.String("issues", d.cfg.Publisher.Dir),
		zap.String("model", d.summ.Model()),
		zap.Int("requests_per_minute", d.cfg.Gemini.RequestsPerMinute),
		zap.String("schedule", fmt.Sprintf("%s (%s)", d.cfg.Schedule.Cron, d.cfg.Schedule.Timezone)),
		zap.Duration("run_deadline", d.cfg.Schedule.RunDeadline),
	)
}
