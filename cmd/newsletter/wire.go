package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/server"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
	"github.com/godevcommunity/newsletter/web"
)

// daemon is the service assembled from the configuration: what `serve`
// runs in the background and `run` runs once.
type daemon struct {
	cfg      config.Config
	log      *zap.Logger
	clock    clockwork.Clock
	store    *store.Store
	files    *publisher.FilePublisher
	registry *prometheus.Registry
	summ     *summarizer.Summarizer // nil without an API key
	pauses   *pipeline.Pauses
	proc     *pipeline.Processor
	worker   *pipeline.Worker
	runner   *pipeline.Runner
	sched    *pipeline.Scheduler
	desk     *desk.Desk
	notifier *notify.Notifier // nil without webhooks
}

// publicURL is where readers and editors reach the server.
func publicURL(s config.Server) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	return strings.TrimRight(s.URL, "/")
}

// noKeyReason is what the service says while it has no Gemini API key.
const noKeyReason = "no Gemini API key: summaries wait for GEMINI_API_KEY (or gemini.api_key in the config file)"

// errNoAPIKey reports a missing Gemini API key, with exit status 2 like a
// usage mistake; hint may add what works without one.
func errNoAPIKey(hint string) error {
	return exitError{code: 2, err: errors.New("no Gemini API key: set GEMINI_API_KEY (or gemini.api_key in the config file)" + hint)}
}

// buildDaemon opens the database and builds the pipeline. clock is the time
// source of everything (nil means the real clock); tests pass a fake one.
// Without a Gemini API key Gemini is held paused: submissions are fetched
// and extracted, and their summaries wait. Close releases what it opened.
func buildDaemon(ctx context.Context, cfg config.Config, log *zap.Logger, clock clockwork.Clock, line ...*progress) (_ *daemon, err error) {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	d := &daemon{cfg: cfg, log: log, clock: clock, registry: prometheus.NewRegistry(),
		files: publisher.NewFilePublisher(cfg.Publisher.Dir)}
	defer func() {
		if err != nil {
			err = errors.Join(err, d.Close())
		}
	}()
	d.store, err = store.Open(ctx, cfg.Store.Path, store.WithClock(clock), store.WithExclusive())
	if err != nil {
		return nil, err
	}
	f, err := fetcher.New(cfg.Fetcher, log.Named("fetcher"), fetcher.WithClock(clock))
	if err != nil {
		return nil, err
	}
	d.pauses = pipeline.NewPauses(clock, log, summarizer.Dependency)
	env := pipeline.Env{
		Store:     d.store,
		Fetcher:   f,
		Extract:   extractFunc(cfg.Extractor),
		Publisher: d.files,
		Pauses:    d.pauses,
		Log:       log,
		Clock:     clock,
		NextIssue: d.nextIssue,
	}
	opts := []summarizer.Option{summarizer.WithClock(clock)}
	for _, p := range line {
		env.Progress = func(pr pipeline.Progress) {
			msg := fmt.Sprintf("[%d/%d] finishing the week's articles", pr.Done, pr.Total)
			if pr.Current != "" {
				msg += ": " + pr.Current
			}
			p.update(msg)
		}
		opts = append(opts, summarizer.WithWaitNotice(func(w time.Duration) {
			p.update(fmt.Sprintf("waiting %s for the Gemini rate limit", w.Round(time.Second)))
		}))
	}
	if cfg.Gemini.APIKey != "" {
		if d.summ, err = summarizer.New(ctx, cfg.Gemini, d.store, log, opts...); err != nil {
			return nil, err
		}
		env.Summarizer = d.summ
	} else {
		d.pauses.Hold(summarizer.Dependency, noKeyReason)
	}
	if err := d.outlets(&env); err != nil {
		return nil, err
	}
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		pipeline.NewDependencyCollector(d.pauses),
	} {
		if err := d.registry.Register(c); err != nil {
			return nil, err
		}
	}
	if env.Metrics, err = pipeline.NewMetrics(d.registry); err != nil {
		return nil, err
	}
	d.proc = pipeline.NewProcessor(env, cfg.Worker)
	d.worker = pipeline.NewWorker(d.proc)
	d.runner, err = pipeline.NewRunner(d.proc, cfg.Schedule, cfg.Publisher)
	if err != nil {
		return nil, err
	}
	d.sched, err = pipeline.NewScheduler(cfg.Schedule, d.store, d.runner, log, pipeline.WithClock(clock))
	if err != nil {
		return nil, err
	}
	d.desk = desk.New(d.store, d.proc, d.runner)
	return d, nil
}

// outlets sets up where issues and news go beyond the issue files: the
// Hashnode publication and the chat webhooks, when configured.
func (d *daemon) outlets(env *pipeline.Env) error {
	cfg := d.cfg
	base := publicURL(cfg.Server)
	env.Links = pipeline.Links{Desk: base + web.Prefix}
	if cfg.Server.PublicArchive {
		env.Links.Archive = base
	}
	if h := cfg.Publisher.Hashnode; h.PublicationID != "" {
		mode, err := hashnode.ParseMode(h.Mode)
		if err != nil {
			return err
		}
		client, err := hashnode.New(hashnode.Config{Endpoint: h.Endpoint, Token: h.Token, PublicationID: h.PublicationID,
			Mode: mode, Ledger: pipeline.StoreLedger{Store: d.store}, Clock: d.clock, Logger: d.log.Named("hashnode"),
			UserAgent: "newsletter/" + version})
		if err != nil {
			return err
		}
		env.Hashnode = client
	}
	if len(cfg.Notify.Webhooks) > 0 {
		n, err := notify.New(cfg.Notify.Webhooks, d.log, notify.WithClock(d.clock))
		if err != nil {
			return err
		}
		d.notifier, env.Notifier = n, n
		d.pauses.Watch(func(c pipeline.Change) {
			if c.Up {
				n.Send(notify.OutageEnded{Dependency: c.Dependency, Lasted: d.clock.Since(c.Since)})
				return
			}
			n.Send(notify.OutageStarted{Dependency: c.Dependency, Reason: c.Reason, Until: c.Until})
		})
	}
	return nil
}

// notifyDrain bounds how long the stop waits for notifications queued.
const notifyDrain = 2 * time.Second

// extractFunc is the extraction step with the configured PDF limits.
func extractFunc(cfg config.Extractor) pipeline.ExtractFunc {
	opts := extractor.Options{PDFMaxPages: cfg.PDFMaxPages, PDFTimeout: cfg.PDFTimeout}
	return func(body []byte, pageURL, mediaType string) (*extractor.Article, error) {
		return extractor.ExtractWith(body, pageURL, mediaType, opts)
	}
}

// nextIssue is when the next scheduled run closes the issue.
func (d *daemon) nextIssue() (time.Time, bool) {
	if d.sched == nil {
		return time.Time{}, false
	}
	t, err := d.sched.NextRun()
	return t, err == nil && !t.IsZero()
}

// checkGemini asks Gemini once, at start, whether the key is accepted and
// the model exists. A refusal pauses Gemini with the reason and is
// returned; a check that could not be made (5xx, network) is logged and
// left to the first summary.
func (d *daemon) checkGemini(ctx context.Context) error {
	if d.summ == nil {
		return nil
	}
	err := d.summ.Check(ctx)
	switch {
	case err == nil:
		d.log.Info("gemini key and model accepted", zap.String("model", d.summ.Model()))
		return nil
	case retry.IsOutage(err):
		d.pauses.Pause(summarizer.Dependency, err)
		return err
	}
	d.log.Warn("could not check the Gemini key and model; the first summary will", zap.Error(err))
	return nil
}

// recover undoes what a crash left behind: runs still marked running,
// submissions still marked processing (which fail once they have had
// worker.max_attempts), waits for dependencies (pauses live in the
// process) and temporary files of interrupted issue writes. The database's
// process lock, taken by buildDaemon, keeps any other serve or run from
// holding the work it takes back.
func (d *daemon) recover(ctx context.Context) error {
	runs, err := d.store.InterruptRuns(ctx)
	if err != nil {
		return err
	}
	requeued, failed, err := d.store.RecoverProcessing(ctx, d.cfg.Worker.MaxAttempts)
	if err != nil {
		return err
	}
	if _, err := d.store.ResumeWaiting(ctx, ""); err != nil {
		return err
	}
	temps, err := d.files.RemoveTemporary()
	if err != nil {
		d.log.Warn("removing temporary files of interrupted issue writes failed", zap.Error(err))
	}
	if runs+requeued+failed+len(temps) > 0 {
		d.log.Warn("recovered from an unclean stop", zap.Int("interrupted_runs", runs),
			zap.Int("submissions_requeued", requeued), zap.Int("submissions_failed", failed),
			zap.Strings("temporary_files_removed", temps))
	}
	return nil
}

// serve runs the service's parts until ctx ends or one of them fails:
// the API on ln, the worker, the auto-publisher, the weekly schedule and
// the notifications, each one goroutine of an errgroup. The signal or the
// first failure starts the stop, which goes in order: the schedule, any run
// and the worker stop first (the articles in flight checkpoint back to
// new), so that nothing is published after the signal; only then do the
// notifications queued and the API drain, each within a bounded time
// whatever the clients and webhooks do. serve returns the first failure,
// or nil after a signal.
func (d *daemon) serve(ctx context.Context, ln net.Listener) error {
	if err := d.recover(ctx); err != nil {
		return err
	}
	webDesk, err := web.New(web.Options{Desk: d.desk, Store: d.store, Server: d.cfg.Server, Fetcher: d.cfg.Fetcher,
		Schedule: d.cfg.Schedule, CreditSubmitter: d.cfg.Publisher.CreditSubmitter,
		Outlets: web.OutletsOf(d.cfg.Publisher, d.cfg.Notify), Pauses: d.pauses,
		NextRun: d.sched.NextRun, Version: version, Notify: d.worker.Notify, Now: d.clock.Now, Log: d.log.Named("web")})
	if err != nil {
		return err
	}
	srv, err := server.New(server.Options{
		Server:   d.cfg.Server,
		Fetcher:  d.cfg.Fetcher,
		Store:    d.store,
		Runner:   d.runner,
		Notify:   d.worker.Notify,
		Ready:    map[string]func(context.Context) error{"scheduler": d.sched.Ready},
		Registry: d.registry,
		Desk:     d.desk,
		Pauses:   d.pauses,
		NextRun:  d.sched.NextRun,
		Version:  version,
		Location: d.runner.Location(),
		Clock:    d.clock,
		Web:      webDesk,
		Log:      d.log.Named("api"),
	})
	if err != nil {
		return err
	}
	if err := d.checkGemini(ctx); err != nil {
		d.log.Error("gemini refused the key or the model: summaries wait until it accepts them (see /api/v1/status)",
			zap.Error(err))
	}

	// The work and the API have contexts of their own, ended one after
	// the other by the stop; stopping ends at the signal or the first
	// failure.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	api, stopAPI := context.WithCancel(context.WithoutCancel(ctx))
	defer stopAPI()
	if err := d.sched.Start(work); err != nil {
		return errors.Join(err, d.sched.Shutdown())
	}
	g, stopping := errgroup.WithContext(ctx)
	var working sync.WaitGroup // the parts stop waits for before the API
	goWork := func(run func(context.Context) error) {
		working.Add(1)
		g.Go(func() error {
			defer working.Done()
			return run(work)
		})
	}
	goWork(d.worker.Run)
	goWork(d.runner.AutoPublish)
	workStopped := make(chan struct{})
	g.Go(func() error { // the schedule, then the runs and the worker
		<-stopping.Done()
		d.log.Info("shutting down: stopping the schedule, any run in progress and the worker",
			zap.NamedError("cause", context.Cause(stopping)))
		err := d.sched.Shutdown()
		d.runner.Close()
		stopWork()
		working.Wait()
		close(workStopped)
		stopAPI()
		return err
	})
	if d.notifier != nil {
		g.Go(func() error { // what the work queued, while the API drains
			<-workStopped
			d.drainNotifications()
			return nil
		})
	}
	g.Go(func() error { return srv.Serve(api, ln) })
	d.log.Info("editor's desk: open it in a browser", zap.String("url", "http://"+ln.Addr().String()+web.Prefix))
	return g.Wait()
}

// drainNotifications sends what notifications are queued, within
// notifyDrain, and closes the notifier.
func (d *daemon) drainNotifications() {
	ctx, cancel := context.WithTimeout(context.Background(), notifyDrain)
	defer cancel()
	if err := d.notifier.Close(ctx); err != nil {
		d.log.Warn("notifications not sent before the stop", zap.Error(err))
	}
}

// Close waits for background runs, sends what notifications it can and
// closes the database.
func (d *daemon) Close() error {
	if d.runner != nil {
		d.runner.Close()
	}
	if d.notifier != nil {
		d.drainNotifications() // nothing left after serve's stop
	}
	if d.store != nil {
		return d.store.Close()
	}
	return nil
}

// runOnce runs one manual issue run in-process; the run processes what
// is due itself before it closes the week.
func (d *daemon) runOnce(ctx context.Context) (*pipeline.Report, error) {
	if err := d.recover(ctx); err != nil {
		return nil, err
	}
	return d.runner.Run(ctx, store.RunManual, d.clock.Now())
}

// describeStart logs what the service will do, once at start, and says
// loudly when summaries wait for an API key.
func (d *daemon) describeStart(what string) {
	model := d.cfg.Gemini.Model
	d.log.Info(what,
		zap.String("version", version),
		zap.String("database", d.cfg.Store.Path),
		zap.String("issues", d.cfg.Publisher.Dir),
		zap.String("model", model),
		zap.String("service_tier", d.cfg.Gemini.ServiceTier),
		zap.Int("requests_per_minute", d.cfg.Gemini.RequestsPerMinute),
		zap.String("schedule", fmt.Sprintf("%s (%s)", d.cfg.Schedule.Cron, d.cfg.Schedule.Timezone)),
		zap.Duration("run_deadline", d.cfg.Schedule.RunDeadline),
	)
	if d.summ == nil {
		d.log.Warn("NO GEMINI API KEY: submissions are accepted, fetched and extracted, but their summaries wait until the service is restarted with GEMINI_API_KEY set")
	}
}
