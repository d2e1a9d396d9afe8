// Package listmonk sends an issue to a listmonk server as an email
// campaign, once however often it is retried.
//
// Each issue is one campaign whose name carries the issue's slug
// (CampaignName). listmonk has no idempotency key, so before creating a
// campaign the client looks for one of that name: a create whose answer was
// lost is found by the next attempt instead of made twice, and a correction
// updates the campaign while it is a draft or scheduled. A campaign already
// sending or sent is never changed: Publish says so (ActionAlreadySent) and
// changes nothing, so nobody gets the issue twice.
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
	// maxPages bounds the lookup by name: 20 pages of 100 campaigns.
	maxPages  = 20
	pageSize  = 100
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
	log        *zap.Logger
	userAgent  string
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
		templateID: cfg.TemplateID, mode: mode, clock: cfg.Clock, timeout: cfg.Timeout, log: cfg.Logger, userAgent: cfg.UserAgent}
	switch {
	case c.user == "":
		return nil, errors.New("listmonk: no API user")
	case c.key == "":
		return nil, errors.New("listmonk: no API key (LISTMONK_TOKEN or the configured token)")
	case strings.ContainsAny(c.user+c.key, " \t\r\n") || strings.Contains(c.user, ":"):
		return nil, errors.New("listmonk: the API user or key contains white space, or the user a colon")
	case len(c.lists) == 0:
		return nil, errors.New("listmonk: no list to send to")
	case cfg.TemplateID < 0 || cfg.Timeout < 0:
		return nil, errors.New("listmonk: template id and timeout must not be negative")
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
// once: see the package comment.
func (c *Client) Publish(ctx context.Context, is Issue) (Result, error) {
	cm, action, err := c.upsert(ctx, is, c.mode == ModeSchedule)
	if err != nil || action == ActionAlreadySent {
		return cm.result(action), err
	}
	switch c.mode {
	case ModeSchedule:
		if cm.Status == StatusDraft {
			if cm, err = c.setStatus(ctx, is.Slug, cm, StatusScheduled); err != nil {
				return cm.result(action), err
			}
		}
	case ModeSend:
		if cm.Status == StatusScheduled { // scheduled by hand: listmonk starts only drafts
			if cm, err = c.setStatus(ctx, is.Slug, cm, StatusDraft); err != nil {
				return cm.result(action), err
			}
		}
		if cm.Status == StatusDraft {
			if cm, err = c.setStatus(ctx, is.Slug, cm, StatusRunning); err != nil {
				return cm.result(action), err
			}
		}
	}
	c.log.Info("listmonk: campaign ready", zap.String("slug", is.Slug), zap.Int("campaign_id", cm.ID),
		zap.String("status", cm.Status), zap.String("action", string(action)))
	return cm.result(action), nil
}

// Test makes or updates the issue's campaign, unsent, and sends it to
// addresses (listmonk's test send: they must be subscribers in listmonk).
// The campaign is the one Publish sends later. A campaign already sent is
// an error: its test would show what readers got, not the issue now.
func (c *Client) Test(ctx context.Context, is Issue, addresses []string) (Result, error) {
	if len(addresses) == 0 {
		return Result{}, retry.Never(&Error{Op: "test", Slug: is.Slug, Reason: "no addresses to send the test to (publisher.test_recipients)"})
	}
	cm, action, err := c.upsert(ctx, is, false)
	if err != nil {
		return cm.result(action), err
	}
	if action == ActionAlreadySent {
		return cm.result(action), retry.Never(&Error{Op: "test", Slug: is.Slug, Reason: fmt.Sprintf(
			"campaign %d is already %s; a test send would not show the issue as it is now", cm.ID, cm.Status)})
	}
	body := c.body(is, false)
	body["subscribers"] = addresses
	var ok bool
	if err := c.do(ctx, "test", is.Slug, http.MethodPost, fmt.Sprintf("/api/campaigns/%d/test", cm.ID), nil, body, &ok); err != nil {
		return cm.result(action), err
	}
	c.log.Info("listmonk: test sent", zap.String("slug", is.Slug), zap.Int("campaign_id", cm.ID), zap.Int("addresses", len(addresses)))
	return cm.result(action), nil
}

// upsert finds the issue's campaign by name and updates it if it is not
// sent, or creates it.
func (c *Client) upsert(ctx context.Context, is Issue, schedule bool) (campaign, Action, error) {
	if err := is.validate(); err != nil {
		return campaign{}, "", retry.Never(&Error{Op: "publish", Slug: is.Slug, Reason: err.Error()})
	}
	found, ok, err := c.find(ctx, is.Slug)
	if err != nil {
		return campaign{}, "", err
	}
	body := c.body(is, schedule)
	if !ok {
		var cm campaign
		if err := c.do(ctx, "create", is.Slug, http.MethodPost, "/api/campaigns", nil, body, &cm); err != nil {
			return campaign{}, "", err
		}
		c.log.Info("listmonk: campaign created", zap.String("slug", is.Slug), zap.Int("campaign_id", cm.ID))
		return cm, ActionCreated, nil
	}
	if Sent(found.Status) {
		c.log.Info("listmonk: campaign already sent; left unchanged", zap.String("slug", is.Slug),
			zap.Int("campaign_id", found.ID), zap.String("status", found.Status))
		return found, ActionAlreadySent, nil
	}
	if found.Status == StatusScheduled && !schedule {
		// listmonk keeps send_at; an update without it would unschedule
		// nothing, so keep the time it has.
		if found.SendAt != nil {
			body["send_at"] = found.SendAt.Format(time.RFC3339)
		}
	}
	var cm campaign
	if err := c.do(ctx, "update", is.Slug, http.MethodPut, fmt.Sprintf("/api/campaigns/%d", found.ID), nil, body, &cm); err != nil {
		return found, "", err
	}
	return cm, ActionUpdated, nil
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

func (c *Client) findWith(ctx context.Context, slug, query string) (campaign, bool, error) {
	name := CampaignName(slug)
	for page := 1; page <= maxPages; page++ {
		var data struct {
			Results []campaign `json:"results"`
			Total   int        `json:"total"`
		}
		q := url.Values{"order_by": {"created_at"}, "order": {"DESC"},
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
		if len(data.Results) == 0 || page*pageSize >= data.Total {
			return campaign{}, false, nil
		}
	}
	return campaign{}, false, retry.Never(&Error{Op: "lookup", Slug: slug, Reason: fmt.Sprintf(
		"more than %d campaigns match the slug, so its campaign cannot be ruled out", maxPages*pageSize)})
}

func (c *Client) setStatus(ctx context.Context, slug string, cm campaign, status string) (campaign, error) {
	var out campaign
	err := c.do(ctx, "status "+status, slug, http.MethodPut, fmt.Sprintf("/api/campaigns/%d/status", cm.ID), nil,
		map[string]any{"status": status}, &out)
	var le *Error
	if errors.As(err, &le) && le.Status == http.StatusForbidden {
		le.Reason = fmt.Sprintf("campaign %d was not set %s: listmonk answered HTTP 403 %q: the API user's role lacks campaigns:send, which listmonk 6.1 split from campaigns:manage; grant it under Admin → User roles (the campaign waits, %s)",
			cm.ID, status, le.Message, cm.Status)
	}
	if err != nil {
		return cm, err
	}
	return out, nil
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
			reason += "; whether it took effect is unknown, so the next attempt looks the campaign up by name first"
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

// scrub removes the key from a transport error, which may quote the URL
// (never the header, but a misconfigured URL could carry it).
func (c *Client) scrub(s string) string { return oneLine(strings.ReplaceAll(s, c.key, "[key]")) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
