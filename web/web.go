// Package web is the editor's desk in a browser: server-rendered pages,
// served by the daemon under /desk/, that do what the editors' API does
// (read the week's draft as it will be published, edit, exclude, move and
// regenerate its entries, publish it, look after submissions, read past
// issues and the service's status). Pages are html/template, embedded with
// their stylesheet and one small script; everything works without
// JavaScript, which only adds the live preview of an entry being edited.
//
// Editors sign in with server.token or their own token from
// server.editors, which opens a session kept in memory (an HttpOnly,
// SameSite=Lax cookie); cross-origin posts are refused. Without any
// token configured nobody signs in: the server mounts the desk behind the
// API's loopback-only checks, and every change is made as "local".
package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
)

// Prefix is the path under which every page of the desk lives; "/"
// redirects to it (the server sends "/" to the public archive instead when
// server.public_archive is on).
const Prefix = "/desk/"

// Options are what the desk is built from.
type Options struct {
	// Desk is every use case the pages serve, with the status, the
	// outlets and the plan of publishing they show.
	Desk *desk.Desk
	// Server gives the tokens and editors that sign in, and server.url,
	// whose https scheme makes the session cookie Secure; with
	// server.public_archive readers see a published issue there.
	Server config.Server
	// Schedule's time zone dates every page.
	Schedule config.Schedule
	// Now is the clock of sessions; nil means time.Now.
	Now func() time.Time
	Log *zap.Logger
}

// Handler serves the desk. Build it with New.
type Handler struct {
	opts     Options
	log      *zap.Logger
	loc      *time.Location
	pages    *pages
	sessions *sessions
	secure   bool
	mux      http.Handler
}

// New builds the desk's handler.
func New(o Options) (*Handler, error) {
	if o.Desk == nil {
		return nil, errors.New("web: a desk is required")
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	loc := time.Local
	if o.Schedule.Timezone != "" {
		l, err := time.LoadLocation(o.Schedule.Timezone)
		if err != nil {
			return nil, fmt.Errorf("web: schedule.timezone %q: %w", o.Schedule.Timezone, err)
		}
		loc = l
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	h := &Handler{opts: o, log: o.Log, loc: loc, pages: p, sessions: newSessions(o.Now),
		secure: secureCookies(o.Server.URL)}
	h.mux = h.routes()
	return h, nil
}

// ServeHTTP answers the desk's pages.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }
