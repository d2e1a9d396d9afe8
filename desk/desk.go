// Package desk is the application layer: it owns every use case of the
// service's members and editors, written once, whichever door they come
// through (the JSON API of package server, the web desk of package web,
// the command-line client that calls the API). Members submit links, list
// them, retry and withdraw them; editors read the upcoming issue (the
// open draft, or the issue frozen for review) exactly as publishing would
// write it, edit, exclude and move its entries, set its opening
// paragraph, ask Gemini again for an entry under the same guardrails,
// approve it, publish an issue again after corrections, retry an outlet,
// and read the service's status, runs, an entry's history and the source
// article's text.
//
// Each use case is one method of Desk that checks its input (validate.go
// holds every check and limit), applies the state rule and returns the
// types of package api. Every refusal is an *Error that carries a code,
// the input it is about, and the reason in English (for the API and the
// command line) and in Korean (for the web desk), written together in
// errors.go.
//
// The desk checks tokens too (SignIn), for the API and the web desk, and
// limits what one client may do (limits.go): wrong tokens per address,
// submissions per token and per address, so that a refusal for doing too
// much reads the same at every door.
package desk

import (
	"context"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/store"
)

// Desk serves members and editors. It is safe for concurrent use.
type Desk struct {
	store  *store.Store
	proc   *pipeline.Processor
	runner *edition.Runner
	opts   Options
	limits limits
}

// Options are what the desk needs besides the store and the pipeline.
type Options struct {
	// Fetcher decides which submitted URLs are refused.
	Fetcher config.Fetcher
	// Schedule says how the week's issue is published (mode,
	// publish_after), for the status.
	Schedule config.Schedule
	// Publisher and Notify say where publishing sends an issue.
	Publisher config.Publisher
	Notify    config.Notify
	// Pauses, NextRun and Version feed the status.
	Pauses  *pipeline.Pauses
	NextRun func() (time.Time, error)
	Version string
	// Wake, if set, wakes the worker after a submission or a retry.
	Wake func()
	// Server gives the tokens that sign in (server.token and
	// server.editors) and the limits of submissions per token and per
	// address.
	Server config.Server
	// Now is the clock of the limits; nil means time.Now.
	Now func() time.Time
	// Sources are the configured sources of suggestions.
	Sources []config.Source
}

// New returns a Desk over the pipeline's store, processor and runner.
// Without a processor and a runner (a server that only takes
// submissions) the editors' use cases are not offered: see Editing.
func New(st *store.Store, proc *pipeline.Processor, runner *edition.Runner, o Options) *Desk {
	return &Desk{store: st, proc: proc, runner: runner, opts: o, limits: newLimits(o.Server, o.Now)}
}

// Editing reports whether the desk serves editors (it has a runner).
func (d *Desk) Editing() bool { return d.runner != nil }

// Location is the time zone that dates issues (schedule.timezone).
func (d *Desk) Location() *time.Location {
	if d.runner == nil {
		return time.UTC
	}
	return d.runner.Location()
}

// Outlets says where publishing sends an issue: the directory of its
// file, the mode of the Hashnode publication (as the publisher reads
// publisher.hashnode.mode), and how many chats are told.
func (d *Desk) Outlets() api.Outlets {
	o := api.Outlets{Dir: d.opts.Publisher.Dir, Chats: len(d.opts.Notify.Webhooks)}
	if h := d.opts.Publisher.Hashnode; h.PublicationID != "" {
		mode, err := hashnode.ParseMode(h.Mode)
		if err != nil { // config.Validate refuses it before the desk is built
			mode = hashnode.ModeDraft
		}
		o.Hashnode = string(mode)
		o.HashnodeNewsletter = h.Newsletter
	}
	if l := d.opts.Publisher.Listmonk; l.URL != "" {
		o.Listmonk = l.Mode
		o.TestRecipients = d.opts.Publisher.TestRecipients
	}
	return o
}

// Audience is Outlets with the listmonk lists and their subscriber counts
// as listmonk tells them now, for the publish confirmation; a failure to
// ask is said in ListsError, in one line.
func (d *Desk) Audience(ctx context.Context) api.Outlets {
	o := d.Outlets()
	if o.Listmonk == "" || d.runner == nil {
		return o
	}
	lists, err := d.runner.ListmonkLists(ctx)
	if err != nil {
		o.ListsError = err.Error()
		return o
	}
	for _, l := range lists {
		o.Lists = append(o.Lists, api.MailingList{ID: l.ID, Name: l.Name, Subscribers: l.SubscriberCount})
	}
	return o
}

// Dependencies are the dependencies every article needs, up or paused.
func (d *Desk) Dependencies() []api.Dependency {
	out := []api.Dependency{}
	if d.opts.Pauses == nil {
		return out
	}
	for _, s := range d.opts.Pauses.Status() {
		out = append(out, api.Dependency{Dependency: s.Dependency, Up: s.Up, Since: s.Since, Until: s.Until,
			NextProbe: s.NextProbe, Reason: s.Reason})
	}
	return out
}

// NextRun is when the schedule runs next; zero when unknown.
func (d *Desk) NextRun() time.Time {
	if d.opts.NextRun == nil {
		return time.Time{}
	}
	t, err := d.opts.NextRun()
	if err != nil {
		return time.Time{}
	}
	return t
}

func (d *Desk) wake() {
	if d.opts.Wake != nil {
		d.opts.Wake()
	}
}
