// Package listmonk sends an issue to a listmonk server as an email
// campaign, once however often it is retried.
//
// Each issue is one campaign whose name carries the issue's slug
// (CampaignName). listmonk has no idempotency key, so the client keeps each
// issue's campaign id in a Ledger the caller provides: once known, the
// campaign is read by its id (GET /api/campaigns/{id}), so a campaign
// renamed in listmonk is still found and one deleted there is never made
// again (ActionGone). Without an id the client looks for a campaign of
// that name before it creates one. Before every create it saves "create
// sent at T"; a create whose outcome is unknown (no answer, a 5xx) may
// still commit, so no create is sent again before T + the timeout + a
// margin, after which the name is looked up once more. A correction updates
// the campaign while it is a draft or scheduled; a campaign already sending
// or sent is never changed: Publish says so (ActionAlreadySent) and changes
// nothing, so nobody gets the issue twice.
//
// Test sends the issue to the editors through listmonk's campaign test,
// which takes the content from the request and changes no campaign.
//
// The campaign's body is the issue's markdown (content_type markdown), its
// subject the issue's title, its lists and template the configured ones.
// The mode says what follows the create: ModeDraft leaves it for an editor
// in listmonk, ModeSchedule schedules it (send_at) for the issue's time,
// ModeSend starts it at once.
//
// Requests authenticate as a listmonk API user (v4 and later):
// "Authorization: token user:key". Every error is one line naming the
// operation, the issue's slug and the reason, classified with the retry
// package (permanent: a refused credential, a missing permission, a request
// listmonk finds invalid; transient: 5xx, 429, timeouts, a lost answer),
// and never holds the key.
package listmonk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/retry"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultUserAgent = "newsletter-listmonk"
	// ScheduleLead is how far ahead a campaign is scheduled when the
	// issue's time has passed: a few minutes to cancel it in listmonk.
	ScheduleLead = 5 * time.Minute
	// DefaultCreateMargin is how long after the client's timeout a create
	// of unknown outcome may still commit in listmonk.
	DefaultCreateMargin = 30 * time.Second
	// maxPages bounds the lookup by name: 40 pages of listmonk's largest
	// page, 50 campaigns (its paginator's MaxPerPage), 2,000 campaigns.
	maxPages  = 40
	pageSize  = 50
	maxAnswer = 4 << 20
)

// Mode is what Publish does after it makes or updates the campaign.
type Mode string

// Modes.
const (
	ModeDraft    Mode = "draft"    // create only; an editor sends it in listmonk
	ModeSchedule Mode = "schedule" // scheduled (send_at) for the issue's time
	ModeSend     Mode = "send"     // started at once
)

// ParseMode reads a configured mode; the empty string is ModeDraft.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return ModeDraft, nil
	case ModeDraft, ModeSchedule, ModeSend:
		return m, nil
	}
	return "", fmt.Errorf("listmonk: mode %q is none of %q, %q, %q", s, ModeDraft, ModeSchedule, ModeSend)
}

// Config configures a Client. URL, User, Token and Lists are required.
type Config struct {
	// URL is listmonk's root URL (https, or http on loopback).
	URL string
	// User and Token are the API user and its key; the key is never
	// logged or put in an error.
	User, Token string
	// Lists are the ids of the lists each campaign goes to.
	Lists []int
	// TemplateID is the campaign template; 0 means listmonk's default.
	TemplateID int
	// Mode is what follows the create; empty means ModeDraft.
	Mode Mode

	// Ledger keeps each issue's campaign id and any create of unknown
	// outcome between attempts; nil keeps them in memory (one process).
	Ledger Ledger
	// CreateMargin is added to Timeout before a create of unknown outcome
	// is settled; 0: DefaultCreateMargin.
	CreateMargin time.Duration

	HTTPClient *http.Client    // nil: one over http.DefaultTransport; redirects are not followed
	Clock      clockwork.Clock // nil: the real clock
	Timeout    time.Duration   // one request; 0: DefaultTimeout
	Logger     *zap.Logger
	UserAgent  string
}

// Client sends issues to one listmonk server.
type Client struct {
	base       *url.URL
	user, key  string
	lists      []int
	templateID int
	mode       Mode
	http       *http.Client
	clock      clockwork.Clock
	timeout    time.Duration
	margin     time.Duration
	ledger     Ledger
	log        *zap.Logger
	userAgent  string

	mu sync.Mutex // one Publish or Test at a time, so two cannot both create
}

// New checks cfg and returns a Client; its errors name the setting at fault.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(cfg.URL), "/"))
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("listmonk: url %q is not an absolute http(s) URL without credentials", cfg.URL)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("listmonk: url %q is http; the API key needs https (http only for a loopback address)", cfg.URL)
		}
	}
	mode, err := ParseMode(string(cfg.Mode))
	if err != nil {
		return nil, err
	}
	c := &Client{base: u, user: strings.TrimSpace(cfg.User), key: strings.TrimSpace(cfg.Token), lists: slices.Clone(cfg.Lists),
		templateID: cfg.TemplateID, mode: mode, clock: cfg.Clock, timeout: cfg.Timeout, margin: cfg.CreateMargin, ledger: cfg.Ledger,
		log: cfg.Logger, userAgent: cfg.UserAgent}
	switch {
	case c.user == "":
		return nil, errors.New("listmonk: no API user")
	case c.key == "":
		return nil, errors.New("listmonk: no API key (LISTMONK_TOKEN or the configured token)")
	case strings.ContainsAny(c.user+c.key, " \t\r\n") || strings.Contains(c.user, ":"):
		return nil, errors.New("listmonk: the API user or key contains white space, or the user a colon")
	case len(c.lists) == 0:
		return nil, errors.New("listmonk: no list to send to")
	case cfg.TemplateID < 0 || cfg.Timeout < 0 || cfg.CreateMargin < 0:
		return nil, errors.New("listmonk: template id, timeout and create margin must not be negative")
	}
	for _, id := range c.lists {
		if id <= 0 {
			return nil, fmt.Errorf("listmonk: list id %d is not positive", id)
		}
	}
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	hc := *base
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	if c.clock == nil {
		c.clock = clockwork.NewRealClock()
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.margin == 0 {
		c.margin = DefaultCreateMargin
	}
	if c.ledger == nil {
		c.ledger = &MemoryLedger{}
	}
	if c.log == nil {
		c.log = zap.NewNop()
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	return c, nil
}

// Mode is what the client does after making a campaign.
func (c *Client) Mode() Mode { return c.mode }

// CampaignName is the name of an issue's campaign: the slug, by which the
// client finds it again.
func CampaignName(slug string) string { return "newsletter " + slug }

// Issue is what a campaign is made of.
type Issue struct {
	Slug     string
	Title    string    // the subject
	Markdown string    // the body, without front matter
	SendAt   time.Time // ModeSchedule's time; a past time means ScheduleLead from now
}

func (is Issue) validate() error {
	var problems []string
	if strings.TrimSpace(is.Slug) == "" {
		problems = append(problems, "no slug")
	}
	if strings.TrimSpace(is.Title) == "" {
		problems = append(problems, "no title")
	}
	if strings.TrimSpace(is.Markdown) == "" {
		problems = append(problems, "no content")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Action is what Publish did.
type Action string

// Actions.
const (
	ActionCreated     Action = "created"      // a new campaign
	ActionUpdated     Action = "updated"      // the issue's campaign, not yet sent, was updated
	ActionAlreadySent Action = "already-sent" // the campaign was sending or sent: nothing changed
	// ActionGone: the recorded campaign is gone from listmonk (deleted);
	// none is made in its place, as it may have gone out first.
	ActionGone Action = "gone"
)

// Campaign statuses, as listmonk names them.
const (
	StatusDraft     = "draft"
	StatusScheduled = "scheduled"
	StatusRunning   = "running"
	StatusPaused    = "paused"
	StatusCancelled = "cancelled"
	StatusFinished  = "finished"
)

// Sent reports whether a campaign in status has gone out (or begun to):
// listmonk changes no such campaign.
func Sent(status string) bool {
	return status == StatusRunning || status == StatusPaused || status == StatusCancelled || status == StatusFinished
}

// Result is where the issue's campaign is after Publish or Test.
type Result struct {
	CampaignID int
	Status     string // listmonk's: draft, scheduled, running, finished, …
	SendAt     time.Time
	Action     Action
}

// campaign is a campaign as listmonk's API shows it.
type campaign struct {
	ID     int        `json:"id"`
	Name   string     `json:"name"`
	Status string     `json:"status"`
	SendAt *time.Time `json:"send_at"`
}

func (cm campaign) result(a Action) Result {
	r := Result{CampaignID: cm.ID, Status: cm.Status, Action: a}
	if cm.SendAt != nil {
		r.SendAt = *cm.SendAt
	}
	return r
}

// Publish makes, updates and sends (per the mode) the issue's campaign,
// once: see the package comment. issueKey names the issue in the ledger.
func (c *Client) Publish(ctx context.Context, issueKey string, is Issue) (Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.start(ctx, "publish", issueKey, is)
	if err != nil {
		return Result{}, err
	}
	cm, found, err := r.resolve(ctx)
	if errors.Is(err, errGone) {
		c.log.Warn("listmonk: the issue's campaign is gone; none is made again", zap.String("slug", is.Slug),
			zap.Int("campaign_id", r.rec.CampaignID), zap.String("last_status", r.rec.Status))
		return Result{CampaignID: r.rec.CampaignID, Status: r.rec.Status, SendAt: r.rec.SendAt, Action: ActionGone}, nil
	}
	if err != nil {
		return Result{}, err
	}
	schedule := c.mode == ModeSchedule
	body := c.body(is, schedule)
	var action Action
	switch {
	case !found:
		if cm, err = r.create(ctx, body); err != nil {
			return Result{}, err
		}
		action = ActionCreated
	case Sent(cm.Status):
		c.log.Info("listmonk: campaign already sent; left unchanged", zap.String("slug", is.Slug),
			zap.Int("campaign_id", cm.ID), zap.String("status", cm.Status))
		return cm.result(ActionAlreadySent), nil
	default:
		if cm.Status == StatusScheduled && !schedule && cm.SendAt != nil {
			// An update without send_at would clear the schedule listmonk
			// keeps: keep the time it has.
			body["send_at"] = cm.SendAt.Format(time.RFC3339)
		}
		var out campaign
		if err := c.do(ctx, "update", is.Slug, http.MethodPut, fmt.Sprintf("/api/campaigns/%d", cm.ID), nil, body, &out); err != nil {
			return cm.result(""), err
		}
		cm, action = out, ActionUpdated
		if err := r.record(ctx, "update", cm); err != nil {
			return cm.result(action), err
		}
	}
	switch c.mode {
	case ModeSchedule:
		if cm.Status == StatusDraft {
			if cm, err = r.setStatus(ctx, cm, StatusScheduled); err != nil {
				return cm.result(action), err
			}
		}
	case ModeSend:
		if cm.Status == StatusScheduled { // scheduled by hand: listmonk starts only drafts
			if cm, err = r.setStatus(ctx, cm, StatusDraft); err != nil {
				return cm.result(action), err
			}
		}
		if cm.Status == StatusDraft {
			if cm, err = r.setStatus(ctx, cm, StatusRunning); err != nil {
				return cm.result(action), err
			}
		}
	}
	c.log.Info("listmonk: campaign ready", zap.String("slug", is.Slug), zap.Int("campaign_id", cm.ID),
		zap.String("status", cm.Status), zap.String("action", string(action)))
	return cm.result(action), nil
}

// Test sends the issue as it is now to addresses (listmonk's test send:
// they must be subscribers in listmonk) through the issue's campaign,
// which it makes, unsent, when there is none yet (the campaign Publish
// later sends). It never changes a campaign: listmonk's test takes the
// subject and body from the request and leaves the campaign as it is, so
// a test never overwrites what a publication put there, and a test of an
// issue whose campaign went out shows the issue as it is now. A campaign
// gone from listmonk is not made again for a test. Its Result's Action is
// ActionCreated when it made the campaign, else empty.
func (c *Client) Test(ctx context.Context, issueKey string, is Issue, addresses []string) (Result, error) {
	if len(addresses) == 0 {
		return Result{}, retry.Never(&Error{Op: "test", Slug: is.Slug, Reason: "no addresses to send the test to (publisher.test_recipients)"})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.start(ctx, "test", issueKey, is)
	if err != nil {
		return Result{}, err
	}
	cm, found, err := r.resolve(ctx)
	if errors.Is(err, errGone) {
		return Result{}, retry.Never(&Error{Op: "test", Slug: is.Slug, Reason: fmt.Sprintf(
			"campaign %d (last %s) is gone from listmonk, and a test makes no campaign in its place; nothing was sent",
			r.rec.CampaignID, r.rec.Status)})
	}
	if err != nil {
		return Result{}, err
	}
	var action Action // the campaign as it was
	body := c.body(is, false)
	if !found {
		if cm, err = r.create(ctx, body); err != nil {
			return Result{}, err
		}
		action = ActionCreated
	}
	body["subscribers"] = addresses // the test's, after the campaign is made without them
	var ok bool
	if err := c.do(ctx, "test", is.Slug, http.MethodPost, fmt.Sprintf("/api/campaigns/%d/test", cm.ID), nil, body, &ok); err != nil {
		return cm.result(action), err
	}
	c.log.Info("listmonk: test sent", zap.String("slug", is.Slug), zap.Int("campaign_id", cm.ID), zap.Int("addresses", len(addresses)))
	return cm.result(action), nil
}

// errGone is resolve's answer for a recorded campaign listmonk no longer
// has and that may have gone out before it was deleted.
var errGone = errors.New("the issue's campaign is gone from listmonk")

// run is one Publish or Test of one issue.
type run struct {
	c   *Client
	key string
	is  Issue
	rec Record
}

// start checks the issue and reads its record.
func (c *Client) start(ctx context.Context, op, key string, is Issue) (*run, error) {
	if strings.TrimSpace(key) == "" {
		return nil, retry.Never(&Error{Op: op, Slug: is.Slug, Reason: "no issue key for the ledger"})
	}
	if err := is.validate(); err != nil {
		return nil, retry.Never(&Error{Op: op, Slug: is.Slug, Reason: err.Error()})
	}
	rec, err := c.ledger.Load(ctx, key)
	if err != nil {
		return nil, retry.After(&Error{Op: op, Slug: is.Slug, cause: err,
			Reason: fmt.Sprintf("cannot read the campaign record of issue %q: %s", key, oneLine(err.Error()))}, time.Time{})
	}
	return &run{c: c, key: key, is: is, rec: rec}, nil
}

func (r *run) save(ctx context.Context, op string) error {
	if err := r.c.ledger.Save(ctx, r.key, r.rec); err != nil {
		return retry.After(&Error{Op: op, Slug: r.is.Slug, cause: err,
			Reason: fmt.Sprintf("cannot save the campaign record of issue %q: %s", r.key, oneLine(err.Error()))}, time.Time{})
	}
	return nil
}

// record saves cm as the issue's campaign.
func (r *run) record(ctx context.Context, op string, cm campaign) error {
	r.rec.CampaignID, r.rec.Status, r.rec.SendAt = cm.ID, cm.Status, time.Time{}
	if cm.SendAt != nil {
		r.rec.SendAt = *cm.SendAt
	}
	return r.save(ctx, op)
}

// settleAt is when a create sent at the record's time can no longer
// commit: its request may have run until the timeout, and listmonk
// finish it a little after the client gave up.
func (r *run) settleAt() time.Time {
	return r.rec.CreateSentAt.Add(r.c.timeout + r.c.margin)
}

// resolve finds the issue's campaign: by its recorded id, else, once any
// create of unknown outcome can no longer commit, by its name. found is
// false when there is none. A recorded campaign listmonk no longer has is
// errGone when it may have gone out (Record.mayHaveGoneOut), so that none
// is made in its place; one deleted while a draft or scheduled ahead is
// forgotten and looked up by name.
func (r *run) resolve(ctx context.Context) (cm campaign, found bool, err error) {
	slug := r.is.Slug
	if r.rec.Pending() {
		at := r.settleAt()
		if now := r.c.clock.Now(); now.Before(at) {
			return campaign{}, false, retry.After(&Error{Op: "create", Slug: slug, Reason: fmt.Sprintf(
				"a create sent at %s has an unknown outcome and may still commit; no campaign is made before %s, when the campaign is looked up by its name",
				r.rec.CreateSentAt.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))}, at)
		}
		if cm, found, err = r.c.find(ctx, slug); err != nil {
			return campaign{}, false, err
		}
		r.rec.CreateSentAt = time.Time{}
		if found {
			err = r.record(ctx, "lookup", cm)
		} else {
			err = r.save(ctx, "lookup")
		}
		r.c.log.Info("listmonk: unknown create settled", zap.String("slug", slug), zap.Bool("found", found), zap.Int("campaign_id", cm.ID))
		return cm, found, err
	}
	if r.rec.CampaignID != 0 {
		cm, gone, err := r.c.get(ctx, slug, r.rec.CampaignID)
		if err != nil {
			return campaign{}, false, err
		}
		if !gone {
			return cm, true, r.record(ctx, "lookup", cm)
		}
		if r.rec.mayHaveGoneOut(r.c.clock.Now()) {
			return campaign{}, false, errGone
		}
		// Deleted before it went out: forgotten, and looked up by name.
		r.c.log.Info("listmonk: the issue's unsent campaign is gone; it is made again", zap.String("slug", slug),
			zap.Int("campaign_id", r.rec.CampaignID), zap.String("last_status", r.rec.Status))
		r.rec = Record{}
		if err := r.save(ctx, "lookup"); err != nil {
			return campaign{}, false, err
		}
	}
	if cm, found, err = r.c.find(ctx, slug); err != nil || !found {
		return cm, found, err
	}
	return cm, true, r.record(ctx, "lookup", cm)
}

// create makes the campaign, recording "create sent at T" first, so that
// a create whose outcome is unknown is never followed by a second one
// before it can no longer commit.
func (r *run) create(ctx context.Context, body map[string]any) (campaign, error) {
	r.rec.CreateSentAt = r.c.clock.Now()
	at := r.settleAt()
	if err := r.save(ctx, "create"); err != nil {
		var le *Error
		if errors.As(err, &le) {
			le.Reason += "; nothing was sent"
		}
		return campaign{}, err
	}
	var cm campaign
	err := r.c.do(ctx, "create", r.is.Slug, http.MethodPost, "/api/campaigns", nil, body, &cm)
	var le *Error
	if err != nil && errors.As(err, &le) && le.Status >= 400 && le.Status < 500 {
		// Refused: nothing was made.
		r.rec.CreateSentAt = time.Time{}
		if serr := r.save(context.WithoutCancel(ctx), "create"); serr != nil {
			r.c.log.Warn("listmonk: cannot clear the pending create", zap.String("slug", r.is.Slug), zap.Error(serr))
		}
		return campaign{}, err
	}
	if err == nil && cm.ID == 0 {
		err = &Error{Op: "create", Slug: r.is.Slug, Status: http.StatusOK, Reason: "the answer names no campaign id"}
	}
	if err != nil {
		if errors.As(err, &le) {
			le.Reason = fmt.Sprintf("%s; whether the create took effect is unknown, so no campaign is made before %s, when it is looked up by its name",
				strings.TrimSuffix(le.Reason, unknownEffect),
				at.UTC().Format(time.RFC3339))
		}
		r.c.log.Warn("listmonk: create outcome unknown", zap.String("slug", r.is.Slug), zap.Time("settle_at", at), zap.Error(err))
		return campaign{}, retry.After(err, at)
	}
	r.rec.CreateSentAt = time.Time{}
	if err := r.record(ctx, "create", cm); err != nil {
		return campaign{}, retry.After(err, at) // still pending in the ledger: settled by name
	}
	r.c.log.Info("listmonk: campaign created", zap.String("slug", r.is.Slug), zap.Int("campaign_id", cm.ID))
	return cm, nil
}

// body is the campaign's fields as a create, update or test sends them.
func (c *Client) body(is Issue, schedule bool) map[string]any {
	b := map[string]any{
		"name":         CampaignName(is.Slug),
		"subject":      is.Title,
		"lists":        c.lists,
		"type":         "regular",
		"content_type": "markdown",
		"body":         is.Markdown,
		"messenger":    "email",
	}
	if c.templateID > 0 {
		b["template_id"] = c.templateID
	}
	if schedule {
		at := is.SendAt
		if now := c.clock.Now(); !at.After(now.Add(time.Minute)) {
			at = now.Add(ScheduleLead)
		}
		b["send_at"] = at.UTC().Format(time.RFC3339)
	}
	return b
}

// get reads campaign id, without its body; gone is true when listmonk
// does not have it (it answers a valid id it lacks with HTTP 400, "…
// not found", in its configured language, or 404).
func (c *Client) get(ctx context.Context, slug string, id int) (cm campaign, gone bool, err error) {
	err = c.do(ctx, "lookup", slug, http.MethodGet, fmt.Sprintf("/api/campaigns/%d", id), url.Values{"no_body": {"true"}}, nil, &cm)
	var le *Error
	if errors.As(err, &le) && (le.Status == http.StatusBadRequest || le.Status == http.StatusNotFound) {
		return campaign{}, true, nil
	}
	return cm, false, err
}

// find looks the issue's campaign up by name, the newest first: among
// the campaigns listmonk's search finds by the slug, then, in case its
// search reads the slug otherwise (it is full-text search), among all.
func (c *Client) find(ctx context.Context, slug string) (campaign, bool, error) {
	cm, ok, err := c.findWith(ctx, slug, slug)
	if err == nil && ok {
		return cm, true, nil
	}
	var le *Error
	if err != nil && (!errors.As(err, &le) || le.Status == 0 || le.Status == http.StatusForbidden) {
		return campaign{}, false, err // no answer, or refused: the unfiltered list would be too
	}
	return c.findWith(ctx, slug, "")
}

// findWith pages through the campaigns query finds, without their bodies
// (each may be tens of kilobytes), by the count each page actually holds:
// listmonk clamps per_page to its maximum (50).
func (c *Client) findWith(ctx context.Context, slug, query string) (campaign, bool, error) {
	name := CampaignName(slug)
	seen := 0
	for page := 1; page <= maxPages; page++ {
		var data struct {
			Results []campaign `json:"results"`
			Total   int        `json:"total"`
		}
		q := url.Values{"order_by": {"created_at"}, "order": {"desc"}, "no_body": {"true"},
			"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(pageSize)}}
		if query != "" {
			q.Set("query", query)
		}
		if err := c.do(ctx, "lookup", slug, http.MethodGet, "/api/campaigns", q, nil, &data); err != nil {
			return campaign{}, false, err
		}
		for _, cm := range data.Results {
			if cm.Name == name {
				return cm, true, nil
			}
		}
		seen += len(data.Results)
		if len(data.Results) == 0 || seen >= data.Total {
			return campaign{}, false, nil
		}
	}
	return campaign{}, false, retry.Never(&Error{Op: "lookup", Slug: slug, Reason: fmt.Sprintf(
		"more than %d pages of campaigns match the slug, so its campaign cannot be ruled out", maxPages)})
}

func (r *run) setStatus(ctx context.Context, cm campaign, status string) (campaign, error) {
	var out campaign
	err := r.c.do(ctx, "status "+status, r.is.Slug, http.MethodPut, fmt.Sprintf("/api/campaigns/%d/status", cm.ID), nil,
		map[string]any{"status": status}, &out)
	var le *Error
	if errors.As(err, &le) && le.Status == http.StatusForbidden {
		le.Reason = fmt.Sprintf("campaign %d was not set %s: listmonk answered HTTP 403 %q: the API user's role lacks campaigns:send, which listmonk 6.1 split from campaigns:manage; grant it under Admin → User roles (the campaign waits, %s)",
			cm.ID, status, le.Message, cm.Status)
	}
	if err != nil {
		return cm, err
	}
	if out.ID == 0 {
		out.ID = cm.ID
	}
	return out, r.record(ctx, "status "+status, out)
}

// List is a mailing list and how many subscribers it has.
type List struct {
	ID              int    `json:"id"`
	Name            string `json:"name"`
	SubscriberCount int    `json:"subscriber_count"`
}

// Lists returns the configured lists as listmonk has them, with their
// subscriber counts, in the configured order; a list listmonk lacks is an
// error.
func (c *Client) Lists(ctx context.Context) ([]List, error) {
	var data struct {
		Results []List `json:"results"`
	}
	if err := c.do(ctx, "lists", "", http.MethodGet, "/api/lists", url.Values{"per_page": {"all"}}, nil, &data); err != nil {
		return nil, err
	}
	out := make([]List, 0, len(c.lists))
	for _, id := range c.lists {
		i := slices.IndexFunc(data.Results, func(l List) bool { return l.ID == id })
		if i < 0 {
			return nil, retry.Never(&Error{Op: "lists", Reason: fmt.Sprintf("list %d does not exist in listmonk; check publisher.listmonk.lists", id)})
		}
		out = append(out, data.Results[i])
	}
	return out, nil
}

// do sends one request and decodes the answer's data into out.
func (c *Client) do(ctx context.Context, op, slug, method, path string, query url.Values, body any, out any) error {
	var message string // listmonk's own, when it answered one
	fail := func(status int, reason string, cause error) *Error {
		return &Error{Op: op, Slug: slug, Status: status, Message: message, Reason: reason, cause: cause}
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return retry.Never(fail(0, "cannot encode the request: "+err.Error(), err))
		}
		rd = bytes.NewReader(b)
	}
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, method, u.String(), rd)
	if err != nil {
		return retry.Never(fail(0, "cannot make the request: "+err.Error(), err))
	}
	req.Header.Set("Authorization", "token "+c.user+":"+c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		reason := "no answer: " + c.scrub(err.Error())
		if method != http.MethodGet {
			reason += unknownEffect
		}
		return retry.After(fail(0, reason, err), time.Time{})
	}
	defer quiet.Close(resp.Body)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return retry.After(fail(resp.StatusCode, "the answer was cut: "+c.scrub(err.Error()), err), time.Time{})
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Message string `json:"message"`
		}
		msg := http.StatusText(resp.StatusCode)
		if json.Unmarshal(raw, &e) == nil && strings.TrimSpace(e.Message) != "" {
			msg = oneLine(e.Message)
			message = msg
		}
		reason := fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg)
		switch code := resp.StatusCode; {
		case code == http.StatusTooManyRequests || code >= 500:
			var at time.Time
			if d, ok := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now()); ok {
				at = c.clock.Now().Add(d)
			}
			return retry.After(fail(code, reason, nil), at)
		case code == http.StatusForbidden && strings.Contains(strings.ToLower(msg), "permission"):
			return retry.Never(fail(code, reason+"; the API user's role lacks that permission (Admin → User roles)", nil))
		case code == http.StatusUnauthorized || code == http.StatusForbidden:
			return retry.Never(fail(code, reason+"; listmonk refused the API user or key (publisher.listmonk.user, LISTMONK_TOKEN)", nil))
		case code >= 300 && code < 400:
			return retry.Never(fail(code, reason+"; listmonk redirected: check publisher.listmonk.url", nil))
		}
		return retry.Never(fail(resp.StatusCode, reason, nil))
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || len(env.Data) == 0 {
		return retry.After(fail(resp.StatusCode, "the answer is not listmonk's {\"data\": …} JSON", err), time.Time{})
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return retry.After(fail(resp.StatusCode, "the answer's data does not decode: "+err.Error(), err), time.Time{})
		}
	}
	return nil
}

// unknownEffect ends the reason of a change whose answer never came.
const unknownEffect = "; whether it took effect is unknown, so the next attempt reads the campaign first"

// scrub removes the key from a transport error, which may quote the URL
// (never the header, but a misconfigured URL could carry it).
func (c *Client) scrub(s string) string { return oneLine(strings.ReplaceAll(s, c.key, "[key]")) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
