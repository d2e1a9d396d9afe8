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
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/outbox"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/publisher/listmonk"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/server"
	"github.com/godevcommunity/newsletter/source"
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
	fallback *summarizer.Summarizer // summarizer.fallback, nil when none
	pauses   *pipeline.Pauses
	proc     *pipeline.Processor
	worker   *pipeline.Worker
	runner   *edition.Runner
	sched    *edition.Scheduler
	desk     *desk.Desk
	outbox   *outbox.Worker
	poller   *source.Poller
	// settled, if set before serve, is told of every attempt at a
	// delivery once its outcome is recorded (tests wait on it).
	settled func(store.Delivery)
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
	env := pipeline.Env{
		Store:     d.store,
		Fetcher:   f,
		Extract:   extractFunc(cfg.Extractor),
		Log:       log,
		Clock:     clock,
		NextIssue: d.nextIssue,
	}
	d.pauses = pipeline.NewPauses(env, summarizerDependencies(cfg)...)
	env.Pauses = d.pauses
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
	if d.summ, d.fallback, err = buildSummarizers(ctx, cfg, d.store, log, opts...); err != nil {
		return nil, err
	}
	if d.summ != nil {
		env.Summarizer = d.summ
	} else {
		d.pauses.Hold(summarizer.Dependency, noKeyReason)
	}
	if d.fallback != nil {
		env.Fallback = d.fallback
	}
	ed := edition.Env{Store: d.store, Publisher: d.files, Log: log, Clock: clock}
	if err := d.outlets(&ed); err != nil {
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
	if ed.Metrics, err = edition.NewMetrics(d.registry); err != nil {
		return nil, err
	}
	d.proc = pipeline.NewProcessor(env, cfg.Worker)
	d.worker = pipeline.NewWorker(d.proc)
	d.runner, err = edition.NewRunner(ed, d.proc, cfg.Schedule, cfg.Publisher)
	if err != nil {
		return nil, err
	}
	d.sched, err = edition.NewScheduler(ed, cfg.Schedule, d.runner)
	if err != nil {
		return nil, err
	}
	d.desk = desk.New(d.store, d.proc, d.runner, desk.Options{Fetcher: cfg.Fetcher, Schedule: cfg.Schedule,
		Publisher: cfg.Publisher, Notify: cfg.Notify, Pauses: d.pauses, NextRun: d.sched.NextRun, Version: version,
		Wake: d.worker.Notify, Server: cfg.Server, Now: clock.Now, Sources: cfg.Sources})
	sm, err := source.NewMetrics(d.registry, d.store)
	if err != nil {
		return nil, err
	}
	d.poller = source.New(source.Options{Sources: cfg.Sources, Fetcher: f, Store: d.store, Clock: clock,
		Log: log.Named("source"), Metrics: sm})
	return d, nil
}

// outlets sets up where issues and news go beyond the issue files: the
// Hashnode publication and the chat webhooks, when configured, each an
// outlet of the outbox, whose worker sends what publishing and events
// queue.
func (d *daemon) outlets(env *edition.Env) error {
	cfg := d.cfg
	base := publicURL(cfg.Server)
	env.Links = edition.Links{Desk: base + web.Prefix}
	if cfg.Server.PublicArchive {
		env.Links.Archive = base
	}
	outlets := map[string]outbox.Outlet{}
	if cfg.Publisher.Hashnode.PublicationID != "" {
		client, err := newHashnode(cfg.Publisher.Hashnode, edition.StoreLedger{Store: d.store}, d.clock, d.log.Named("hashnode"))
		if err != nil {
			return err
		}
		env.Hashnode = client
		outlets[edition.OutletHashnode] = edition.HashnodeOutlet{Store: d.store, Client: client, Pub: cfg.Publisher,
			Log: d.log.Named("hashnode")}
	}
	if cfg.Publisher.Listmonk.URL != "" {
		client, err := newListmonk(cfg.Publisher.Listmonk, edition.ListmonkLedger{Store: d.store}, d.clock, d.log.Named("listmonk"))
		if err != nil {
			return err
		}
		env.Listmonk = client
		outlets[edition.OutletListmonk] = edition.ListmonkOutlet{Store: d.store, Client: client, Log: d.log.Named("listmonk")}
	}
	n, err := newNotifier(cfg.Notify, d.clock)
	if err != nil {
		return err
	}
	env.Chats = n.Webhooks()
	if env.Chats > 0 {
		outlets[edition.OutletChat] = edition.ChatOutlet{Store: d.store, Notifier: n}
	}
	d.outbox, err = outbox.New(outbox.Config{Store: d.store, Outlets: outlets, Clock: d.clock, Log: d.log,
		Settled: func(x store.Delivery) {
			if d.settled != nil {
				d.settled(x)
			}
		},
		Backoff:     retry.Backoff{Base: cfg.Publisher.RetryBackoff, Max: 60 * cfg.Publisher.RetryBackoff},
		MaxAttempts: cfg.Publisher.MaxAttempts})
	if err != nil {
		return err
	}
	env.Outbox = d.outbox
	if env.Chats > 0 {
		chats := edition.ChatQueue{Store: d.store, Webhooks: env.Chats, Outbox: d.outbox, Log: d.log.Named("notify")}
		env.Notifier = chats
		d.pauses.Watch(func(c pipeline.Change) {
			if c.Up {
				chats.Send(notify.OutageEnded{Dependency: c.Dependency, Lasted: d.clock.Since(c.Since)})
				return
			}
			chats.Send(notify.OutageStarted{Dependency: c.Dependency, Reason: c.Reason, Until: c.Until})
		})
	}
	return d.registry.Register(outbox.NewCollector(d.store))
}

// newHashnode is the client of the Hashnode publication h. Preflight builds
// one too, so that config check refuses what serve would.
func newHashnode(h config.Hashnode, ledger hashnode.Ledger, clock clockwork.Clock, log *zap.Logger) (*hashnode.Client, error) {
	mode, err := hashnode.ParseMode(h.Mode)
	if err != nil {
		return nil, err
	}
	return hashnode.New(hashnode.Config{Endpoint: h.Endpoint, Token: h.Token, PublicationID: h.PublicationID,
		Mode: mode, Ledger: ledger, Clock: clock, Timeout: h.Timeout, CacheWindow: h.CacheWindow, Logger: log,
		UserAgent: "newsletter/" + version, Newsletter: h.Newsletter})
}

// newListmonk is the client of the listmonk server l, its campaign records
// kept by ledger (nil: in memory); preflight builds one too.
func newListmonk(l config.Listmonk, ledger listmonk.Ledger, clock clockwork.Clock, log *zap.Logger) (*listmonk.Client, error) {
	mode, err := listmonk.ParseMode(l.Mode)
	if err != nil {
		return nil, err
	}
	return listmonk.New(listmonk.Config{URL: l.URL, User: l.User, Token: l.Token, Lists: l.Lists, TemplateID: l.TemplateID,
		Mode: mode, Ledger: ledger, Clock: clock, Logger: log, UserAgent: "newsletter/" + version})
}

// newNotifier is the notifier of the chat webhooks; preflight builds one
// too.
func newNotifier(cfg config.Notify, clock clockwork.Clock) (*notify.Notifier, error) {
	return notify.New(cfg.Webhooks, notify.WithClock(clock))
}

// flushTimeout bounds how long `run` sends the deliveries its publication
// queued before it exits; what is left waits for `serve`.
const flushTimeout = time.Minute

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

// checkGemini asks the providers once, at start, whether the key is
// accepted and the model exists. A refusal pauses the provider with the
// reason and is returned (the primary's; the fallback's is logged); a
// check that could not be made (5xx, network) is logged and left to the
// first summary.
func (d *daemon) checkGemini(ctx context.Context) error {
	if d.fallback != nil {
		if err := d.checkProvider(ctx, d.fallback); err != nil {
			d.log.Error("the fallback provider refused the key or the model", zap.String("provider", d.fallback.Provider()),
				zap.Error(err))
		}
	}
	if d.summ == nil {
		return nil
	}
	return d.checkProvider(ctx, d.summ)
}

func (d *daemon) checkProvider(ctx context.Context, s *summarizer.Summarizer) error {
	err := s.Check(ctx)
	switch {
	case err == nil:
		d.log.Info(s.Provider()+" key and model accepted", zap.String("model", s.Model()))
		return nil
	case retry.IsOutage(err):
		d.pauses.Pause(s.Dependency(), err)
		return err
	}
	d.log.Warn("could not check the key and model; the first summary will", zap.String("provider", s.Provider()), zap.Error(err))
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
	requeued, failed, err := d.store.RecoverProcessing(ctx)
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
	webDesk, err := web.New(web.Options{Desk: d.desk, Server: d.cfg.Server, Schedule: d.cfg.Schedule,
		Now: d.clock.Now, Log: d.log.Named("web")})
	if err != nil {
		return err
	}
	srv, err := server.New(server.Options{
		Server:   d.cfg.Server,
		Runner:   d.runner,
		Ready:    map[string]func(context.Context) error{"scheduler": d.sched.Ready},
		Registry: d.registry,
		Desk:     d.desk,
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
	// The sources of suggestions, when configured.
	goWork(d.poller.Run)
	g.Go(func() error { // the schedule, then the runs and the worker
		<-stopping.Done()
		d.log.Info("shutting down: stopping the schedule, any run in progress and the worker",
			zap.NamedError("cause", context.Cause(stopping)))
		err := d.sched.Shutdown()
		d.runner.Close()
		stopWork()
		working.Wait()
		stopAPI()
		return err
	})
	g.Go(func() error { return d.outbox.Run(api) }) // what was published, until the API stops
	g.Go(func() error { return srv.Serve(api, ln) })
	d.log.Info("editor's desk: open it in a browser", zap.String("url", "http://"+ln.Addr().String()+web.Prefix))
	return g.Wait()
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

// runOnce runs one manual issue run in-process; the run processes what
// is due itself before it closes the week.
func (d *daemon) runOnce(ctx context.Context) (*edition.Report, error) {
	if err := d.recover(ctx); err != nil {
		return nil, err
	}
	rep, err := d.runner.Run(ctx, store.RunManual, d.clock.Now())
	fctx, cancel := context.WithTimeout(ctx, flushTimeout)
	defer cancel()
	if ferr := d.outbox.Flush(fctx); ferr != nil {
		d.log.Warn("deliveries not sent before the end of the run; serve sends them", zap.Error(ferr))
	}
	return rep, err
}

// describeStart logs what the service will do, once at start, and says
// loudly when summaries wait for an API key.
func (d *daemon) describeStart(what string) {
	model := summarizer.ModelOf(d.cfg, d.cfg.Summarizer.Provider)
	d.log.Info(what,
		zap.String("version", version),
		zap.String("database", d.cfg.Store.Path),
		zap.String("issues", d.cfg.Publisher.Dir),
		zap.String("model", model),
		zap.String("provider", d.cfg.Summarizer.Provider),
		zap.String("fallback", d.cfg.Summarizer.Fallback),
		zap.String("service_tier", d.cfg.Gemini.ServiceTier),
		zap.Int("requests_per_minute", d.cfg.Gemini.RequestsPerMinute),
		zap.String("schedule", fmt.Sprintf("%s (%s)", d.cfg.Schedule.Cron, d.cfg.Schedule.Timezone)),
		zap.Duration("run_deadline", d.cfg.Schedule.RunDeadline),
	)
	if d.summ == nil {
		d.log.Warn("NO GEMINI API KEY: submissions are accepted, fetched and extracted, but their summaries wait until the service is restarted with GEMINI_API_KEY set")
	}
}
