// Package server is the HTTP side of the newsletter daemon: the API where
// members submit links, list, retry and withdraw them and start an issue
// run; the editors' API over the desk (the draft, edits, regeneration,
// approval, publishing again); the public archive and its Atom feed when
// server.public_archive is on; health, readiness, status and Prometheus
// metrics for operators. It mounts the web desk it is given.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
)

// Runner starts issue runs. StartRun returns at once with the id of the run
// it started in the background. When a run is already going it returns an
// error with a RunningID() int64 method naming that run.
type Runner interface {
	StartRun(ctx context.Context) (runID int64, err error)
}

// Options are what the server is built from.
type Options struct {
	Server config.Server
	// Runner starts runs for POST /api/v1/runs; without one that endpoint
	// answers 503.
	Runner Runner
	// Ready are readiness checks besides the database ping, by name (e.g.
	// "scheduler"); /readyz fails when any returns an error.
	Ready map[string]func(context.Context) error
	// Registry receives the server's metrics and is what /metrics exposes;
	// without one the server uses a registry of its own.
	Registry *prometheus.Registry
	// Desk is every use case the API serves: submissions, the status and
	// runs, and (when it serves editors, see desk.Desk.Editing) the
	// editors' endpoints, which otherwise answer 404.
	Desk  *desk.Desk
	Clock clockwork.Clock // real time when nil
	// Web, if set, answers every path the server's own routes do not
	// (the editors' web pages; "/" too, unless the public archive is on:
	// then "/" goes to it). Without any token configured it is mounted
	// behind the API's loopback-only checks.
	Web http.Handler
	Log *zap.Logger
}

// Server serves the API. Build it with New.
type Server struct {
	opts    Options
	log     *zap.Logger
	handler http.Handler
	metrics *httpMetrics
}

// New checks the options and builds the server. A listen address that is
// not loopback requires a token.
func New(o Options) (*Server, error) {
	if o.Desk == nil {
		return nil, errors.New("server: a desk is required")
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	if !o.Server.HasTokens() && o.Server.Listen != "" {
		if err := CheckListen(o.Server); err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		o.Log.Warn("server.token is not set: the API accepts any request from this machine",
			zap.String("listen", o.Server.Listen))
	}
	s := &Server{opts: o, log: o.Log}
	m, err := newHTTPMetrics(o.Registry)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if err := o.Registry.Register(newStoreCollector(o.Desk)); err != nil {
		return nil, fmt.Errorf("server: register metrics: %w", err)
	}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("POST /api/v1/submissions", s.createSubmission)
	api.HandleFunc("GET /api/v1/submissions", s.listSubmissions)
	api.HandleFunc("GET /api/v1/submissions/{id}", s.getSubmission)
	api.HandleFunc("DELETE /api/v1/submissions/{id}", s.deleteSubmission)
	api.HandleFunc("POST /api/v1/submissions/{id}/retry", s.retrySubmission)
	api.HandleFunc("POST /api/v1/submissions/bulk", s.bulkSubmissions)
	api.HandleFunc("GET /api/v1/status", s.status)
	api.HandleFunc("POST /api/v1/runs", s.startRun)
	api.HandleFunc("GET /api/v1/runs/{id}", s.getRun)
	api.HandleFunc("GET /api/v1/issues/latest", s.latestIssue)
	api.HandleFunc("GET /api/v1/runs", s.listRuns)
	if s.opts.Desk.Editing() {
		api.HandleFunc("GET /api/v1/issues/draft", s.getDraft)
		api.HandleFunc("PATCH /api/v1/issues/draft", s.patchDraft)
		api.Handle("POST /api/v1/issues/draft/publish", slow(s.publishDraft))
		api.HandleFunc("GET /api/v1/issues", s.listIssues)
		api.HandleFunc("GET /api/v1/issues/{id}", s.getIssue)
		api.Handle("POST /api/v1/issues/{id}/publish", slow(s.republishIssue))
		api.Handle("POST /api/v1/issues/{id}/hashnode", slow(s.republishHashnode))
		api.Handle("POST /api/v1/issues/{id}/listmonk", slow(s.republishListmonk))
		api.Handle("POST /api/v1/issues/draft/test", slow(s.testSend))
		api.Handle("POST /api/v1/issues/{id}/test", slow(s.testSend))
		api.HandleFunc("GET /api/v1/submissions/{id}/summary", s.getSummary)
		api.HandleFunc("PATCH /api/v1/submissions/{id}/summary", s.patchSummary)
		api.Handle("POST /api/v1/submissions/{id}/regenerate", slow(s.regenerate))
		api.HandleFunc("GET /api/v1/submissions/{id}/history", s.history)
		api.HandleFunc("GET /api/v1/submissions/{id}/versions", s.versions)
		api.HandleFunc("POST /api/v1/submissions/{id}/versions/{version}/restore", s.restoreVersion)
		api.HandleFunc("GET /api/v1/submissions/{id}/article", s.article)
		api.HandleFunc("GET /api/v1/suggestions", s.listSuggestions)
		api.HandleFunc("POST /api/v1/suggestions/accept", s.acceptSuggestions)
		api.HandleFunc("POST /api/v1/suggestions/dismiss", s.dismissSuggestions)
	}
	api.HandleFunc(apiFallback, apiNotFound(api))

	mux := http.NewServeMux()
	mux.Handle("/api/", s.authenticate(api))
	if s.opts.Server.PublicArchive {
		// Readers opening the site land on the archive; editors find the
		// desk under its own path.
		mux.Handle("GET /{$}", http.RedirectHandler("/issues", http.StatusSeeOther))
		mux.HandleFunc("GET /issues", s.archiveList)
		mux.HandleFunc("GET /issues/{slug}", s.archiveIssue)
		mux.HandleFunc("GET /issues/{slug}/{file}", s.archiveMarkdown)
		mux.HandleFunc("GET /feed.xml", s.feedXML)
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.opts.Registry, promhttp.HandlerOpts{
		ErrorLog: zap.NewStdLog(s.log), Registry: s.opts.Registry,
	}))
	if s.opts.Web != nil {
		web := s.opts.Web
		if !s.opts.Server.HasTokens() {
			web = localOnly(web)
		}
		mux.Handle("/", slowPosts(web))
	}
	return s.logRequests(secureHeaders(mux))
}

// slowWriteTimeout is how long the answer of a request that waits for
// Gemini or for publishing (regenerate, approve, publish again) may take:
// Gemini's attempts and backoffs and a Hashnode post outlast writeTimeout.
const slowWriteTimeout = 15 * time.Minute

// slow lifts writeTimeout to slowWriteTimeout for h's requests.
func slow(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(slowWriteTimeout))
		h(w, r)
	})
}

// slowPosts lifts writeTimeout for the web desk's forms, whose actions
// include regenerating and publishing.
func slowPosts(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			slow(h.ServeHTTP).ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// apiFallback is the pattern of the handler answering what no route matches.
const apiFallback = "/api/"

// apiNotFound answers in JSON what the API routes do not match: 405 with
// Allow when the path exists under another method, 404 otherwise.
func apiNotFound(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != apiFallback {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, http.StatusMethodNotAllowed, "%s %s is not allowed; use %s",
				r.Method, r.URL.Path, strings.Join(allow, " or "))
			return
		}
		writeError(w, http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
	}
}

// Timeouts of the http.Server: slow clients cannot hold connections open.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	// drainTimeout bounds the wait for requests in flight at shutdown; what
	// is still open then (a client trickling a body) is cut, so the process
	// stops well within the 10 s a container runtime gives it.
	drainTimeout = 5 * time.Second
)

// Serve answers requests on ln until ctx is done, then stops accepting new
// ones and waits at most drainTimeout for those in flight before closing
// the connections still open. A shutdown that had to cut connections is
// not an error.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          zap.NewStdLog(s.log),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// The address bound is checked too: a host name such as localhost is
	// whatever the resolver makes of it.
	if err := CheckListen(config.Server{Listen: ln.Addr().String(), Token: s.opts.Server.Token, Editors: s.opts.Server.Editors}); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	s.log.Info("API listening", zap.String("addr", ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		s.log.Warn("requests still open after the drain timeout; closing their connections",
			zap.Duration("drain_timeout", drainTimeout), zap.Error(err))
		if err := hs.Close(); err != nil {
			return fmt.Errorf("server: close: %w", err)
		}
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: serve %s: %w", ln.Addr(), err)
	}
	s.log.Info("API stopped")
	return nil
}

// CheckListen refuses to serve the API without a token (server.token or
// server.editors) on an address other machines can reach.
func CheckListen(c config.Server) error {
	if c.HasTokens() || isLoopback(c.Listen) {
		return nil
	}
	return fmt.Errorf("server.listen %s is not a loopback address: set server.token (NEWSLETTER_SERVER_TOKEN) to expose the API", c.Listen)
}

// isLoopback reports whether the listen address host:port only accepts
// connections from this machine. An empty host means every interface.
func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	return err == nil && isLoopbackHost(host)
}

// isLoopbackHost reports whether host is localhost or a loopback address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
