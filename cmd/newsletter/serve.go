package main

// TEMPORARY stand-in for `newsletter serve`: it answers /healthz only, so that
// the container image can be built and checked before the API, worker and
// schedule land. The real command replaces this file.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"time"

	"go.uber.org/zap"
)

func init() { commands["serve"] = (*app).serveCmd }

func (a *app) serveCmd(ctx context.Context, args []string) error {
	c := newFlags(a, "serve", "")
	if err := c.parse(args); err != nil {
		return err
	}
	cfg, log, err := c.setup(a)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	if cfg.Server.Token == "" && !isLoopback(cfg.Server.Listen) {
		return fmt.Errorf("server.listen %s is not a loopback address: set server.token (NEWSLETTER_SERVER_TOKEN)", cfg.Server.Listen)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Server.Listen, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Info("listening", zap.String("addr", ln.Addr().String()), zap.String("version", version))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", cfg.Server.Listen, err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", cfg.Server.Listen, err)
	}
	return nil
}

// isLoopback reports whether the listen address host:port only accepts
// connections from this machine.
func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
