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
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
)

// Prefix is the path under which every page of the desk lives; "/"
// redirects to it (the server sends "/" to the public archive instead when
// server.public_archive is on).
const Prefix = "/desk/"

// Options are what the desk is built from.
type Options struct {
	Desk  *desk.Desk
	Store *store.Store
	// Server gives the tokens and editors that sign in, and server.url,
	// whose https scheme makes the session cookie Secure.
	Server config.Server
	// Fetcher decides which submitted URLs are refused, as in the API.
	Fetcher config.Fetcher
	// Schedule says how the week's issue is published (mode,
	// publish_after); its time zone dates every page.
	Schedule config.Schedule
	// CreditSubmitter is publisher.credit_submitter, for the preview.
	CreditSubmitter bool
	// Outlets say where publishing sends an issue, for the page that asks
	// to confirm it.
	Outlets Outlets
	// Pauses, NextRun and Version feed the status page, and the warning
	// every page shows editors while a dependency is paused.
	Pauses  *pipeline.Pauses
	NextRun func() (time.Time, error)
	Version string
	// Notify, if set, wakes the worker after a submission or a retry.
	Notify func()
	// Now is the clock of sessions; nil means time.Now.
	Now func() time.Time
	Log *zap.Logger
}

// Outlets are where publishing sends an issue besides the desk's own
// Issues page. Build them with OutletsOf.
type Outlets struct {
	// Dir is publisher.dir, where the markdown file is written.
	Dir string
	// Hashnode is the mode of the Hashnode publication ("draft" or
	// "publish"), "" when none is configured.
	Hashnode string
	// Chats counts the chat webhooks told of a publication.
	Chats int
}

// OutletsOf reads the outlets from the configuration.
func OutletsOf(p config.Publisher, n config.Notify) Outlets {
	o := Outlets{Dir: p.Dir, Chats: len(n.Webhooks)}
	if p.Hashnode.PublicationID != "" {
		o.Hashnode = config.HashnodeDraft // as hashnode.ParseMode reads ""
		if strings.EqualFold(strings.TrimSpace(p.Hashnode.Mode), config.HashnodePublish) {
			o.Hashnode = config.HashnodePublish
		}
	}
	return o
}

// Handler serves the desk. Build it with New.
type Handler struct {
	opts     Options
	log      *zap.Logger
	loc      *time.Location
	pages    *pages
	sessions *sessions
	signins  *signinLimiter
	secure   bool
	mux      http.Handler
}

// New builds the desk's handler.
func New(o Options) (*Handler, error) {
	if o.Desk == nil || o.Store == nil {
		return nil, errors.New("web: a desk and a store are required")
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
		signins: newSigninLimiter(o.Now), secure: secureCookies(o.Server.URL)}
	h.mux = h.routes()
	return h, nil
}

// ServeHTTP answers the desk's pages.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }
