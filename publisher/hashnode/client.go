// Package hashnode publishes an issue to a Hashnode publication through
// Hashnode's GraphQL API, exactly once however often it is retried.
//
// Hashnode has no idempotency key, so the client keeps each issue's post or
// draft id in a Ledger the caller provides and, before creating anything,
// looks the issue's slug up in the publication: a second Publish of an issue
// updates the post (or draft) the first one made. Hashnode caches query
// answers for up to about 25 seconds, so a lookup right after a create whose
// answer was lost may not see what the create made. The client therefore
// records a create before sending it and, when its answer is lost, settles
// the outcome only once the cache window has passed, by looking the slug up
// again: until then Publish answers with a transient error whose time is
// the end of that window. It never guesses.
//
// Every error is one line naming the operation, the issue's slug and the
// reason, is classified with the retry package (permanent: a refused token,
// no Pro plan, a body over 100 KB, a request Hashnode finds invalid;
// transient with the earliest useful time: 5xx, timeouts, an unknown
// outcome), and never holds the token.
package hashnode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/retry"
)

// Defaults for Config's zero values.
const (
	DefaultEndpoint    = "https://gql-beta.hashnode.com/"
	DefaultTimeout     = 30 * time.Second
	DefaultCacheWindow = 30 * time.Second
	DefaultMaxAttempts = 4
	DefaultUserAgent   = "newsletter-hashnode"
)

// DefaultBackoff spaces attempts after a 5xx or a timeout: 1 s, 2 s, 4 s,
// jittered, at most 30 s, or longer when Hashnode asks with Retry-After.
var DefaultBackoff = retry.Backoff{Base: time.Second, Max: 30 * time.Second}

// Config configures a Client. Token, PublicationID and Ledger are required.
type Config struct {
	// Endpoint is the GraphQL endpoint; empty means DefaultEndpoint. It must
	// be https, or http on a loopback address (a test server).
	Endpoint string
	// Token is the Personal Access Token. It is sent as a bearer token and
	// never logged or put in an error.
	Token string
	// PublicationID is the publication's id, 24 hexadecimal digits.
	PublicationID string
	// Mode is where issues go; empty means ModeDraft.
	Mode Mode
	// Ledger keeps each issue's post and draft ids between attempts.
	Ledger Ledger
	// Newsletter emails the publication's subscribers when an issue is
	// first published: the post is made as a draft with the setting
	// activateNewsletter and then published (publishDraft), which is the
	// only way Hashnode's API sends its newsletter. An update never emails.
	// The publication's newsletter feature must be on; Publish checks it
	// before it makes anything.
	Newsletter bool

	// HTTPClient sends the requests; nil means one over
	// http.DefaultTransport. The client never follows redirects.
	HTTPClient *http.Client
	// Clock times attempts, backoff and the cache window; nil means the
	// real clock.
	Clock clockwork.Clock
	// Backoff spaces attempts; zero Base and Max mean DefaultBackoff's
	// (Jitter is kept, so tests can make waits exact).
	Backoff retry.Backoff
	// MaxAttempts bounds the attempts of one request; 0 means
	// DefaultMaxAttempts.
	MaxAttempts int
	// Timeout bounds one attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// CacheWindow is how long Hashnode may answer a query from its cache;
	// 0 means DefaultCacheWindow (its 25 seconds and a margin).
	CacheWindow time.Duration
	// Logger receives retries and outcomes; nil means none.
	Logger *zap.Logger
	// UserAgent is sent with every request; empty means DefaultUserAgent.
	UserAgent string
}

// Client publishes issues to one Hashnode publication. It is safe for
// concurrent use; Publish calls run one at a time.
type Client struct {
	endpoint      string
	token         string
	publicationID string
	mode          Mode
	newsletter    bool
	ledger        Ledger
	http          *http.Client
	clock         clockwork.Clock
	backoff       retry.Backoff
	maxAttempts   int
	timeout       time.Duration
	cacheWindow   time.Duration
	log           *zap.Logger
	userAgent     string

	mu sync.Mutex // one Publish at a time, so two cannot both create
}

var objectID = regexp.MustCompile(`^[0-9a-fA-F]{24}$`)

// New checks cfg and returns a Client. Its errors name the setting at fault
// and never hold the token.
func New(cfg Config) (*Client, error) {
	c := &Client{
		endpoint:      strings.TrimSpace(cfg.Endpoint),
		token:         strings.TrimSpace(cfg.Token),
		publicationID: strings.TrimSpace(cfg.PublicationID),
		ledger:        cfg.Ledger,
		newsletter:    cfg.Newsletter,
		clock:         cfg.Clock,
		backoff:       cfg.Backoff,
		maxAttempts:   cfg.MaxAttempts,
		timeout:       cfg.Timeout,
		cacheWindow:   cfg.CacheWindow,
		log:           cfg.Logger,
		userAgent:     cfg.UserAgent,
	}
	if c.endpoint == "" {
		c.endpoint = DefaultEndpoint
	}
	if err := checkEndpoint(c.endpoint); err != nil {
		return nil, err
	}
	mode, err := ParseMode(string(cfg.Mode))
	if err != nil {
		return nil, err
	}
	c.mode = mode
	switch {
	case c.token == "":
		return nil, errors.New("hashnode: no Personal Access Token (HASHNODE_PAT or the configured token)")
	case strings.ContainsAny(c.token, " \t\r\n"):
		return nil, errors.New("hashnode: the Personal Access Token contains white space")
	case c.publicationID == "":
		return nil, errors.New("hashnode: no publication id")
	case !objectID.MatchString(c.publicationID):
		return nil, fmt.Errorf("hashnode: publication id %q is not 24 hexadecimal digits", c.publicationID)
	case c.ledger == nil:
		return nil, errors.New("hashnode: no ledger to record posts in")
	case c.maxAttempts < 0 || c.timeout < 0 || c.cacheWindow < 0:
		return nil, errors.New("hashnode: attempts, timeout and cache window must not be negative")
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
	if c.backoff.Base == 0 && c.backoff.Max == 0 {
		c.backoff.Base, c.backoff.Max = DefaultBackoff.Base, DefaultBackoff.Max
	}
	if c.maxAttempts == 0 {
		c.maxAttempts = DefaultMaxAttempts
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.cacheWindow == 0 {
		c.cacheWindow = DefaultCacheWindow
	}
	if c.log == nil {
		c.log = zap.NewNop()
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	return c, nil
}

// checkEndpoint accepts https, and http only on loopback, so the token never
// crosses a network in the clear.
func checkEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil {
		return fmt.Errorf("hashnode: endpoint %q is not an absolute URL without credentials", endpoint)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
		return fmt.Errorf("hashnode: endpoint %q is http; the token needs https (http only for a loopback address)", endpoint)
	}
	return fmt.Errorf("hashnode: endpoint %q is neither https nor http", endpoint)
}

// Mode is where the client puts issues.
func (c *Client) Mode() Mode { return c.mode }

// Action is what Publish did.
type Action string

// Actions.
const (
	ActionCreated        Action = "created"         // a new post or draft
	ActionUpdated        Action = "updated"         // the issue's post or draft was updated
	ActionPublishedDraft Action = "published-draft" // the issue's draft was updated and published
)

// Result is where an issue is on Hashnode after Publish.
type Result struct {
	PostID  string // empty in draft mode
	DraftID string // empty once published
	URL     string // the post's URL; empty for a draft, which Hashnode gives none
	Action  Action
}

// Publish puts the issue identified by issueKey on Hashnode according to
// the mode, once:
//
//   - publish: the issue's post is updated if there is one (recorded in
//     the ledger, or found by slug); else its draft, if there is one, is
//     updated and published (publishDraft), so the draft an editor looked
//     at becomes the post; else a post is created (publishPost).
//   - draft: the issue's draft is updated if there is one, else created
//     (createDraft, with the slug kept when it is published). An issue
//     already published fails with ErrAlreadyPublished: draft mode never
//     changes what readers see.
//
// The ledger is read first and saved after every change, and before every
// create. A create whose answer is lost returns ErrUnconfirmed (transient,
// retry.After the end of the cache window); calling Publish again before
// then returns the same error without sending anything, and after it looks
// the slug up and carries on from what it finds.
func (c *Client) Publish(ctx context.Context, issueKey string, p Post) (Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &run{c: c, key: issueKey, post: p}
	if strings.TrimSpace(issueKey) == "" {
		return Result{}, retry.Never(&Error{Op: "publish", Slug: p.Slug, Reason: "no issue key for the ledger", kind: ErrInvalidPost})
	}
	if err := p.validate(); err != nil {
		return Result{}, retry.Never(&Error{Op: "publish", Slug: p.Slug, Reason: err.Error(), kind: ErrInvalidPost})
	}
	if err := r.checkSize(c.mode == ModeDraft || c.newsletter); err != nil {
		return Result{}, err
	}
	rec, err := c.ledger.Load(ctx, issueKey)
	if err != nil {
		return Result{}, retry.After(&Error{Op: "publish", Slug: p.Slug,
			Reason: fmt.Sprintf("cannot read the ledger record of issue %q: %v", issueKey, oneLine(err.Error())), cause: err}, time.Time{})
	}
	r.rec = rec
	if r.rec.Pending() {
		if err := r.settle(ctx); err != nil {
			return Result{}, err
		}
	}
	if c.mode == ModePublish {
		return r.publish(ctx)
	}
	return r.draft(ctx)
}

// run is one Publish of one issue.
type run struct {
	c    *Client
	key  string
	post Post
	rec  Record
	// looked: the slug was looked up in this run, after any cache window.
	postLooked, draftLooked bool
}

func (r *run) publish(ctx context.Context) (Result, error) {
	if err := r.findPost(ctx); err != nil {
		return Result{}, err
	}
	if r.rec.PostID != "" {
		return r.updatePost(ctx)
	}
	if err := r.findDraft(ctx); err != nil {
		return Result{}, err
	}
	if r.c.newsletter {
		if err := r.checkNewsletter(ctx); err != nil {
			return Result{}, err
		}
		if r.rec.DraftID == "" {
			// Only a draft published emails the subscribers: make one.
			if _, err := r.create(ctx, opCreateDraft, map[string]any{"input": r.input(map[string]any{
				"publicationId": r.c.publicationID, "settings": r.settings()})}); err != nil {
				return Result{}, err
			}
			return r.create(ctx, opPublishDraft, map[string]any{"input": map[string]any{"draftId": r.rec.DraftID}})
		}
	}
	if r.rec.DraftID != "" {
		if _, err := r.updateDraft(ctx); err != nil {
			return Result{}, err
		}
		return r.create(ctx, opPublishDraft, map[string]any{"input": map[string]any{"draftId": r.rec.DraftID}})
	}
	return r.create(ctx, opPublishPost, map[string]any{"input": r.input(map[string]any{"publicationId": r.c.publicationID})})
}

func (r *run) draft(ctx context.Context) (Result, error) {
	if err := r.findPost(ctx); err != nil {
		return Result{}, err
	}
	if r.rec.PostID != "" {
		return Result{}, retry.Never(&Error{Op: "draft", Slug: r.post.Slug, kind: ErrAlreadyPublished, Reason: fmt.Sprintf(
			"the issue is already published as post %s (%s); draft mode leaves published posts alone: publish in mode publish to update it",
			r.rec.PostID, r.rec.URL)})
	}
	if err := r.findDraft(ctx); err != nil {
		return Result{}, err
	}
	if r.c.newsletter {
		if err := r.checkNewsletter(ctx); err != nil {
			return Result{}, err
		}
	}
	if r.rec.DraftID != "" {
		return r.updateDraft(ctx)
	}
	return r.create(ctx, opCreateDraft, map[string]any{"input": r.input(map[string]any{
		"publicationId": r.c.publicationID,
		"settings":      r.settings(),
	})})
}

// settings are a draft's settings: the slug kept when it is published,
// and with the newsletter on, the subscribers emailed then.
func (r *run) settings() map[string]any {
	s := map[string]any{"slugOverridden": true}
	if r.c.newsletter {
		s["activateNewsletter"] = true
	}
	return s
}

// checkNewsletter refuses, before anything is made, to publish with the
// newsletter to a publication whose newsletter feature is off: Hashnode
// would publish the post and email no one.
func (r *run) checkNewsletter(ctx context.Context) error {
	var data struct {
		Publication *struct {
			Features struct {
				Newsletter *struct {
					IsEnabled bool `json:"isEnabled"`
				} `json:"newsletter"`
			} `json:"features"`
		} `json:"publication"`
	}
	if err := r.c.do(ctx, opNewsletter, r.post.Slug, map[string]any{"publicationId": r.c.publicationID}, &data); err != nil {
		return err
	}
	if data.Publication == nil {
		return r.noPublication(opNewsletter)
	}
	if n := data.Publication.Features.Newsletter; n == nil || !n.IsEnabled {
		return retry.Never(&Error{Op: opNewsletter.name, Slug: r.post.Slug, kind: ErrNewsletterOff, Reason: fmt.Sprintf(
			"publication %s has its newsletter feature off, so no subscriber would be emailed; turn the newsletter on in the publication's dashboard, or set publisher.hashnode.newsletter to false; nothing was sent",
			r.c.publicationID)})
	}
	return nil
}

// DraftURL is where an editor opens draft id in Hashnode's editor.
func DraftURL(id string) string { return "https://hashnode.com/draft/" + id }

// Draft makes or updates the issue's draft, for a look before it is
// published (a test send): its Result's URL is the draft's link in
// Hashnode's editor. An issue already published is left alone and its
// post's URL returned. Publishing later (mode publish) publishes this
// draft, so the subscribers are emailed once, then.
func (c *Client) Draft(ctx context.Context, issueKey string, p Post) (Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &run{c: c, key: issueKey, post: p}
	if strings.TrimSpace(issueKey) == "" {
		return Result{}, retry.Never(&Error{Op: "draft", Slug: p.Slug, Reason: "no issue key for the ledger", kind: ErrInvalidPost})
	}
	if err := p.validate(); err != nil {
		return Result{}, retry.Never(&Error{Op: "draft", Slug: p.Slug, Reason: err.Error(), kind: ErrInvalidPost})
	}
	if err := r.checkSize(true); err != nil {
		return Result{}, err
	}
	rec, err := c.ledger.Load(ctx, issueKey)
	if err != nil {
		return Result{}, retry.After(&Error{Op: "draft", Slug: p.Slug,
			Reason: fmt.Sprintf("cannot read the ledger record of issue %q: %v", issueKey, oneLine(err.Error())), cause: err}, time.Time{})
	}
	r.rec = rec
	if r.rec.Pending() {
		if err := r.settle(ctx); err != nil {
			return Result{}, err
		}
	}
	if err := r.findPost(ctx); err != nil {
		return Result{}, err
	}
	if r.rec.PostID != "" {
		return r.result(ActionUpdated), nil
	}
	res, err := r.draft(ctx)
	if err == nil && res.DraftID != "" {
		res.URL = DraftURL(res.DraftID)
	}
	return res, err
}

// input is the issue's fields, as every create and update sends them,
// with extra fields added.
func (r *run) input(extra map[string]any) map[string]any {
	tags := make([]map[string]any, 0, len(r.post.Tags))
	for _, t := range r.post.Tags {
		tag := map[string]any{"slug": t.Slug}
		if t.Name != "" {
			tag["name"] = t.Name
		}
		tags = append(tags, tag)
	}
	in := map[string]any{
		"title":           r.post.Title,
		"slug":            r.post.Slug,
		"contentMarkdown": r.post.ContentMarkdown,
		"tags":            tags,
		"publishedAt":     r.post.PublishedAt.UTC().Format(time.RFC3339),
	}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

// checkSize refuses, before anything is sent, an issue whose create or
// update would be over Hashnode's limit: of a draft (createDraft,
// updateDraft) when draft is set, as in mode draft, with the newsletter and
// for Draft, else of a post. (The updateDraft that precedes publishing a
// draft is checked when it is sent, before it is.)
func (r *run) checkSize(draft bool) error {
	type candidate struct {
		op operation
		in map[string]any
	}
	id := strings.Repeat("0", 24) // the length of any post or draft id
	requests := []candidate{
		{opPublishPost, r.input(map[string]any{"publicationId": r.c.publicationID})},
		{opUpdatePost, r.input(map[string]any{"id": id})},
	}
	if draft {
		settings := r.settings()
		requests = []candidate{
			{opCreateDraft, r.input(map[string]any{"publicationId": r.c.publicationID, "settings": settings})},
			{opUpdateDraft, r.input(map[string]any{"draftId": id, "settings": settings})},
		}
	}
	for _, req := range requests {
		body, err := encode(req.op, map[string]any{"input": req.in})
		if err != nil {
			return retry.Never(&Error{Op: req.op.name, Slug: r.post.Slug, Reason: "cannot encode the request: " + err.Error(), kind: ErrInvalidPost, cause: err})
		}
		if len(body) > MaxRequestBytes {
			return retry.Never(tooLarge(req.op, r.post.Slug, len(body)))
		}
	}
	return nil
}

func (r *run) save(ctx context.Context, op string) *Error {
	if err := r.c.ledger.Save(ctx, r.key, r.rec); err != nil {
		return &Error{Op: op, Slug: r.post.Slug, cause: err,
			Reason: fmt.Sprintf("cannot save the ledger record of issue %q: %s", r.key, oneLine(err.Error()))}
	}
	return nil
}

// settleAt is when lookups by slug show what the pending operation did: it
// may have run until the attempt's timeout, and a query answered just
// before it took effect may be served from Hashnode's cache for the cache
// window after that.
func (r *run) settleAt() time.Time {
	return r.rec.PendingSince.Add(r.c.timeout + r.c.cacheWindow)
}

// settle resolves a pending operation by looking the slug up, once the
// cache window has passed; before then it returns ErrUnconfirmed.
func (r *run) settle(ctx context.Context) error {
	at := r.settleAt()
	if now := r.c.clock.Now(); now.Before(at) {
		return retry.After(&Error{Op: r.rec.PendingOp, Slug: r.post.Slug, kind: ErrUnconfirmed, Reason: fmt.Sprintf(
			"%s sent at %s has an unknown outcome; the issue is looked up by its slug no earlier than %s, when Hashnode's query cache shows it",
			r.rec.PendingOp, r.rec.PendingSince.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))}, at)
	}
	op := r.rec.PendingOp
	if err := r.findPost(ctx); err != nil {
		return err
	}
	if r.rec.PostID != "" && op == opPublishDraft.name {
		r.rec.DraftID = ""
	}
	if r.rec.PostID == "" {
		if err := r.findDraft(ctx); err != nil {
			return err
		}
	}
	r.rec.PendingSince, r.rec.PendingOp = time.Time{}, ""
	if err := r.save(ctx, op); err != nil {
		return retry.After(err, time.Time{})
	}
	r.c.log.Info("hashnode: unknown outcome settled", zap.String("op", op), zap.String("slug", r.post.Slug),
		zap.String("post_id", r.rec.PostID), zap.String("draft_id", r.rec.DraftID))
	return nil
}

// findPost looks the issue's post up by slug unless its id is known.
func (r *run) findPost(ctx context.Context) error {
	if r.rec.PostID != "" || r.postLooked {
		return nil
	}
	var data struct {
		Publication *struct {
			Post *struct {
				ID, Slug, URL string
			} `json:"post"`
		} `json:"publication"`
	}
	vars := map[string]any{"publicationId": r.c.publicationID, "slug": r.post.Slug}
	if err := r.c.do(ctx, opPostLookup, r.post.Slug, vars, &data); err != nil {
		return err
	}
	if data.Publication == nil {
		return r.noPublication(opPostLookup)
	}
	r.postLooked = true
	if p := data.Publication.Post; p != nil && p.ID != "" {
		r.rec.PostID, r.rec.URL = p.ID, p.URL
		r.c.log.Info("hashnode: found the issue's post by slug", zap.String("slug", r.post.Slug), zap.String("post_id", p.ID))
		if err := r.save(ctx, opPostLookup.name); err != nil {
			return retry.After(err, time.Time{})
		}
	}
	return nil
}

// maxDraftPages bounds the draft lookup: 20 pages of 50.
const maxDraftPages = 20

// findDraft looks the issue's draft up by slug among the publication's
// drafts unless its id is known.
func (r *run) findDraft(ctx context.Context) error {
	if r.rec.DraftID != "" || r.draftLooked {
		return nil
	}
	var after any
	for page := 0; page < maxDraftPages; page++ {
		var data struct {
			Publication *struct {
				Drafts struct {
					Edges []struct {
						Node struct {
							ID   string  `json:"id"`
							Slug *string `json:"slug"`
						} `json:"node"`
					} `json:"edges"`
					PageInfo struct {
						HasNextPage bool    `json:"hasNextPage"`
						EndCursor   *string `json:"endCursor"`
					} `json:"pageInfo"`
				} `json:"drafts"`
			} `json:"publication"`
		}
		vars := map[string]any{"publicationId": r.c.publicationID, "after": after}
		if err := r.c.do(ctx, opDraftLookup, r.post.Slug, vars, &data); err != nil {
			return err
		}
		if data.Publication == nil {
			return r.noPublication(opDraftLookup)
		}
		for _, e := range data.Publication.Drafts.Edges {
			if e.Node.Slug != nil && *e.Node.Slug == r.post.Slug {
				r.draftLooked = true
				r.rec.DraftID = e.Node.ID
				r.c.log.Info("hashnode: found the issue's draft by slug", zap.String("slug", r.post.Slug), zap.String("draft_id", e.Node.ID))
				if err := r.save(ctx, opDraftLookup.name); err != nil {
					return retry.After(err, time.Time{})
				}
				return nil
			}
		}
		info := data.Publication.Drafts.PageInfo
		if !info.HasNextPage || info.EndCursor == nil {
			r.draftLooked = true
			return nil
		}
		after = *info.EndCursor
	}
	return retry.Never(&Error{Op: opDraftLookup.name, Slug: r.post.Slug, Reason: fmt.Sprintf(
		"the publication has more than %d drafts, so a draft of this issue cannot be ruled out; delete old drafts in the dashboard",
		maxDraftPages*50)})
}

func (r *run) noPublication(op operation) error {
	return retry.Never(&Error{Op: op.name, Slug: r.post.Slug,
		Reason: fmt.Sprintf("publication %s does not exist on Hashnode; check the publication id", r.c.publicationID)})
}

type postPayload struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

func (r *run) updatePost(ctx context.Context) (Result, error) {
	var data struct {
		UpdatePost struct {
			Post postPayload `json:"post"`
		} `json:"updatePost"`
	}
	vars := map[string]any{"input": r.input(map[string]any{"id": r.rec.PostID})}
	if err := r.c.do(ctx, opUpdatePost, r.post.Slug, vars, &data); err != nil {
		return Result{}, r.gone(ctx, err, opUpdatePost, "post", &r.rec.PostID)
	}
	r.rec.URL = data.UpdatePost.Post.URL
	if err := r.save(ctx, opUpdatePost.name); err != nil {
		return Result{}, retry.After(err, time.Time{})
	}
	r.c.log.Info("hashnode: post updated", zap.String("slug", r.post.Slug), zap.String("post_id", r.rec.PostID), zap.String("url", r.rec.URL))
	return r.result(ActionUpdated), nil
}

func (r *run) updateDraft(ctx context.Context) (Result, error) {
	var data struct {
		UpdateDraft struct {
			Draft struct {
				ID string `json:"id"`
			} `json:"draft"`
		} `json:"updateDraft"`
	}
	vars := map[string]any{"input": r.input(map[string]any{"draftId": r.rec.DraftID, "settings": r.settings()})}
	if err := r.c.do(ctx, opUpdateDraft, r.post.Slug, vars, &data); err != nil {
		return Result{}, r.gone(ctx, err, opUpdateDraft, "draft", &r.rec.DraftID)
	}
	r.c.log.Info("hashnode: draft updated", zap.String("slug", r.post.Slug), zap.String("draft_id", r.rec.DraftID))
	return r.result(ActionUpdated), nil
}

// gone handles an update whose recorded post or draft no longer exists
// (NOT_FOUND: deleted, or a draft published in the dashboard): the id is
// forgotten and the record made pending, so the next Publish looks the slug
// up once the cache shows the change. Other errors pass through.
func (r *run) gone(ctx context.Context, err error, op operation, what string, id *string) error {
	var he *Error
	if !errors.As(err, &he) || he.Code != "NOT_FOUND" {
		return err
	}
	old := *id
	*id = ""
	r.rec.PendingSince, r.rec.PendingOp = r.c.clock.Now(), op.name
	if serr := r.save(ctx, op.name); serr != nil {
		return retry.After(serr, time.Time{})
	}
	at := r.settleAt()
	he.Reason = fmt.Sprintf("%s %s no longer exists on Hashnode (NOT_FOUND); the issue is looked up by its slug again no earlier than %s",
		what, old, at.UTC().Format(time.RFC3339))
	return retry.After(he, at)
}

// create sends a create, saving the record as pending first, so that a
// lost answer is never followed by a second create before the cache shows
// the first.
func (r *run) create(ctx context.Context, op operation, vars map[string]any) (Result, error) {
	sent := r.c.clock.Now()
	r.rec.PendingSince, r.rec.PendingOp = sent, op.name
	at := r.settleAt()
	if err := r.save(ctx, op.name); err != nil {
		err.Reason += "; nothing was sent"
		return Result{}, retry.After(err, time.Time{})
	}
	var data map[string]struct {
		Post  *postPayload `json:"post"`
		Draft *struct {
			ID string `json:"id"`
		} `json:"draft"`
	}
	err := r.c.do(ctx, op, r.post.Slug, vars, &data)
	var he *Error
	if errors.Is(err, ErrUnconfirmed) && errors.As(err, &he) {
		he.Reason = fmt.Sprintf("%s; whether the %s took effect is unknown, so the issue is looked up by its slug no earlier than %s, when Hashnode's query cache shows it",
			he.Reason, op.name, at.UTC().Format(time.RFC3339))
		r.c.log.Warn("hashnode: create outcome unknown", zap.String("op", op.name), zap.String("slug", r.post.Slug),
			zap.Time("sent", sent), zap.Time("settle_at", at), zap.String("reason", he.Reason))
		return Result{}, retry.After(he, at)
	}
	if err != nil {
		// Refused: nothing was made, so the record is settled again.
		r.rec.PendingSince, r.rec.PendingOp = time.Time{}, ""
		if serr := r.save(ctx, op.name); serr != nil {
			r.c.log.Warn("hashnode: cannot clear the pending record", zap.String("slug", r.post.Slug), zap.Error(serr))
		}
		return Result{}, err
	}
	var payload struct {
		Post  *postPayload
		Draft *struct{ ID string }
	}
	for _, v := range data {
		payload.Post = v.Post
		if v.Draft != nil {
			payload.Draft = &struct{ ID string }{v.Draft.ID}
		}
	}
	action := ActionCreated
	switch {
	case payload.Post != nil && payload.Post.ID != "":
		if op == opPublishDraft {
			action, r.rec.DraftID = ActionPublishedDraft, ""
		}
		r.rec.PostID, r.rec.URL = payload.Post.ID, payload.Post.URL
	case payload.Draft != nil && payload.Draft.ID != "":
		r.rec.DraftID = payload.Draft.ID
	default:
		return Result{}, retry.After(&Error{Op: op.name, Slug: r.post.Slug, kind: ErrUnconfirmed, Reason: fmt.Sprintf(
			"the answer names no id; the issue is looked up by its slug no earlier than %s", at.UTC().Format(time.RFC3339))}, at)
	}
	r.rec.PendingSince, r.rec.PendingOp = time.Time{}, ""
	if err := r.save(ctx, op.name); err != nil {
		// Still pending in the ledger: the next Publish settles it by slug.
		return Result{}, retry.After(err, at)
	}
	r.c.log.Info("hashnode: created", zap.String("op", op.name), zap.String("slug", r.post.Slug),
		zap.String("post_id", r.rec.PostID), zap.String("draft_id", r.rec.DraftID), zap.String("url", r.rec.URL))
	return r.result(action), nil
}

func (r *run) result(a Action) Result {
	return Result{PostID: r.rec.PostID, DraftID: r.rec.DraftID, URL: r.rec.URL, Action: a}
}
