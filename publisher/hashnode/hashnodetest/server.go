// Package hashnodetest is a fake Hashnode GraphQL API for tests: an httptest
// server on loopback that validates every request against the schema subset
// the client uses and answers in Hashnode's response shapes.
//
// Each request is parsed and validated with gqlparser against the embedded
// schema.graphql, its variables coerced and its custom scalars (ObjectId,
// DateTime) checked; a request that fails is answered as Apollo Server
// answers one (HTTP 400, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED or
// BAD_USER_INPUT) and fails the test unless AllowInvalid was called. Valid
// requests are executed against the posts and drafts the server holds, so a
// test can assert that exactly one post exists.
//
// Like Hashnode, the server needs the Personal Access Token for mutations
// (UNAUTHENTICATED otherwise), refuses writes and publication reads for a
// publication without a Pro plan (FORBIDDEN, with Hashnode's message),
// refuses bodies over 100 KB (413) and caches query answers: a query asked
// again within CacheTTL gets the answer it got the first time, even if a
// mutation changed what a fresh answer would say. Faults (5xx, an answer
// lost after the mutation took effect, a request that never gets an answer)
// are scripted per root field with FailNext. Time is the server's clock, a
// fake one in tests.
package hashnodetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/jonboulle/clockwork"
	"github.com/vektah/gqlparser/v2/ast"
)

// Values the server accepts.
const (
	// Token is the Personal Access Token the server accepts.
	Token = "hashnodetest-pat"
	// PublicationID is the publication the server holds.
	PublicationID = "65f1a2b3c4d5e6f708192a3b"
	// MaxRequestBytes is Hashnode's request body limit, 100 KB.
	MaxRequestBytes = 100 << 10
	// CacheTTL is how long the server serves a query's first answer again:
	// Hashnode caches query answers for up to about 25 seconds.
	CacheTTL = 25 * time.Second
	// ProPlanMessage is Hashnode's FORBIDDEN message for a publication
	// without an active Pro plan.
	ProPlanMessage = "Publication does not have an active Pro plan. Upgrade in your dashboard to access this via the API."
	// PublicationURL is the base of the posts' URLs; nothing is served there.
	PublicationURL = "https://blog.example.com"
)

// Tag is a post's or draft's tag as sent: a slug and an optional name.
type Tag struct {
	Slug string
	Name string
}

// Post is a post the server holds.
type Post struct {
	ID              string
	Slug            string
	Title           string
	ContentMarkdown string
	Tags            []Tag
	PublishedAt     time.Time
	URL             string
	// Updates counts the updatePost mutations applied to it.
	Updates int
	// FromDraft is the id of the draft it was published from, if any.
	FromDraft string
	// Newsletter: publishing it emailed the publication's subscribers
	// (a draft with activateNewsletter, published while the publication's
	// newsletter feature was on).
	Newsletter bool
}

// Draft is a draft the server holds; published or removed drafts are gone.
type Draft struct {
	ID              string
	Slug            string
	Title           string
	ContentMarkdown string
	Tags            []Tag
	PublishedAt     time.Time
	// SlugOverridden is the draft setting that makes publishDraft keep Slug
	// instead of deriving one from the title.
	SlugOverridden bool
	// ActivateNewsletter is the draft setting that makes publishDraft
	// email the publication's subscribers.
	ActivateNewsletter bool
	// Updates counts the updateDraft mutations applied to it.
	Updates int
}

// Fault is a scripted failure for the next request to one root field.
type Fault struct {
	// Status is the HTTP status answered (a 5xx); zero with Drop or Hang.
	Status int
	// RetryAfter is sent as the Retry-After header when not empty.
	RetryAfter string
	// Applied makes the operation take effect before the failure: the
	// client sees a failure although the post was made.
	Applied bool
	// Drop closes the connection instead of answering.
	Drop bool
	// Hang keeps the request open without an answer until the client gives
	// up; nothing is applied. Hung reports each such request.
	Hang bool
	// Code and Message answer a GraphQL error with that extensions.code
	// (HTTP Status, or 200 when Status is zero).
	Code    string
	Message string
	// Delay holds the answer this long on the server's clock, or until
	// the client gives up; the request is executed (or fails) at once. With
	// nothing else set it is a slow success.
	Delay time.Duration
}

// LostAnswer is the fault of a mutation that took effect whose answer never
// reached the client: the connection closes after the work is done.
func LostAnswer() Fault { return Fault{Applied: true, Drop: true} }

// Unavailable answers status (a 5xx) without doing anything.
func Unavailable(status int) Fault { return Fault{Status: status} }

// NoAnswer keeps the request open until the client gives up.
func NoAnswer() Fault { return Fault{Hang: true} }

// Slow answers as usual, after d: the work is done when the request
// arrives, its answer comes late (or never, if the client gives up first).
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// GraphQLError answers a GraphQL error with code and message, HTTP 200,
// without doing anything.
func GraphQLError(code, message string) Fault { return Fault{Code: code, Message: message} }

// Request is one request the server received.
type Request struct {
	Time          time.Time // on the server's clock
	Field         string    // the first root field: "publication", "publishPost"
	OperationName string
	Query         string
	Variables     map[string]any
	Authorization string // the header as received
	BodyBytes     int
	Status        int    // HTTP status answered; 0 when no answer was sent
	Code          string // extensions.code of the first error answered
	Message       string // message of the first error answered
	Cached        bool   // answered from the query cache
	Fault         *Fault // the scripted fault it met, if any
}

// Server is a running fake. It closes when the test ends.
type Server struct {
	// URL is the GraphQL endpoint, for the client's configuration.
	URL string

	t      testing.TB
	clock  clockwork.Clock
	srv    *httptest.Server
	schema *ast.Schema

	mu           sync.Mutex
	pro          bool
	newsletter   bool
	emails       []string
	cacheTTL     time.Duration
	allowInvalid bool
	nextID       int
	posts        []*Post
	drafts       []*Draft
	faults       map[string][]Fault
	cache        map[string]cached
	requests     []Request
	hung         chan string
}

type cached struct {
	body []byte
	at   time.Time
}

// New starts a fake on a loopback port whose publication has a Pro plan,
// with the query cache on (CacheTTL). clock is the server's time: pass the
// test's fake clock; nil means the real clock.
func New(t testing.TB, clock clockwork.Clock) *Server {
	t.Helper()
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	schema, err := Schema()
	if err != nil {
		t.Fatalf("hashnodetest: embedded schema: %v", err)
	}
	s := &Server{
		t:          t,
		clock:      clock,
		schema:     schema,
		pro:        true,
		newsletter: true,
		cacheTTL:   CacheTTL,
		faults:     map[string][]Fault{},
		hung:       make(chan string, 16),
		cache:      map[string]cached{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL + "/"
	t.Cleanup(s.srv.Close)
	return s
}

// SetPro sets whether the publication has an active Pro plan.
func (s *Server) SetPro(pro bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pro = pro
}

// SetNewsletter sets whether the publication's newsletter feature
// (features.newsletter.isEnabled) is on; it is on by default.
func (s *Server) SetNewsletter(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.newsletter = on
}

// Newsletters returns the slug of each post whose publication emailed the
// subscribers, in order: a post emailed twice appears twice.
func (s *Server) Newsletters() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.emails)
}

// SetCacheTTL sets how long query answers are served again; zero turns the
// cache off.
func (s *Server) SetCacheTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cacheTTL = d
	clear(s.cache)
}

// AllowInvalid stops invalid requests from failing the test, for tests that
// send them on purpose.
func (s *Server) AllowInvalid() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowInvalid = true
}

// FailNext scripts faults for the next requests whose first root field is
// field ("publication", "publishPost", ...), one fault a request, in order.
func (s *Server) FailNext(field string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[field] = append(s.faults[field], faults...)
}

// Hung receives the root field of each request that meets a Hang fault,
// once the request is being held.
func (s *Server) Hung() <-chan string { return s.hung }

// Posts returns copies of the posts the server holds, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, 0, len(s.posts))
	for _, p := range s.posts {
		c := *p
		c.Tags = slices.Clone(p.Tags)
		out = append(out, c)
	}
	return out
}

// Drafts returns copies of the drafts the server holds, oldest first.
func (s *Server) Drafts() []Draft {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Draft, 0, len(s.drafts))
	for _, d := range s.drafts {
		c := *d
		c.Tags = slices.Clone(d.Tags)
		out = append(out, c)
	}
	return out
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Fields returns the first root field of every request so far, in order.
func (s *Server) Fields() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Field)
	}
	return out
}

// AddPost stores a post as if it had been written in the dashboard and
// returns it with its id and URL.
func (s *Server) AddPost(p Post) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	np := s.newPost(p)
	return *np
}

// PublishDraftInDashboard publishes a draft as an editor does in the
// dashboard: the post is made and the draft is gone. It returns the post.
func (s *Server) PublishDraftInDashboard(draftID string) (Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.publishDraft(draftID)
	if err != nil {
		return Post{}, err
	}
	return *p, nil
}

// RemoveDraft deletes a draft as an editor does in the dashboard.
func (s *Server) RemoveDraft(draftID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drafts = slices.DeleteFunc(s.drafts, func(d *Draft) bool { return d.ID == draftID })
}

// Response is an answer read by Send.
type Response struct {
	Status int
	Data   map[string]any
	Errors []ResponseError
	Cached bool
}

// ResponseError is one entry of a GraphQL answer's errors array.
type ResponseError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code is the error's extensions.code.
func (e ResponseError) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// Send posts a GraphQL request with the server's token, as a client would,
// and returns the answer. It is for tests that talk to the fake directly.
func (s *Server) Send(t testing.TB, query string, variables map[string]any) Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		t.Fatalf("hashnodetest: encode request: %v", err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("hashnodetest: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+Token)
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("hashnodetest: send: %v", err)
	}
	defer quiet.Close(resp.Body)
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("hashnodetest: read answer: %v", err)
	}
	out := Response{Status: resp.StatusCode, Cached: resp.Header.Get("X-Cache") == "HIT"}
	var decoded struct {
		Data   map[string]any  `json:"data"`
		Errors []ResponseError `json:"errors"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatalf("hashnodetest: answer %d is not JSON: %q", resp.StatusCode, raw)
	}
	out.Data, out.Errors = decoded.Data, decoded.Errors
	return out
}

// gqlError is an entry of the errors array as Apollo Server writes it.
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []location     `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions"`
}

type location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func newError(code, format string, args ...any) *gqlError {
	return &gqlError{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}

func (e *gqlError) Error() string { return e.Message }

func writeJSON(w http.ResponseWriter, status int, v any) []byte {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"errors":[{"message":"cannot encode the answer","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return body
}

func writeErrors(w http.ResponseWriter, status int, errs ...*gqlError) {
	writeJSON(w, status, map[string]any{"errors": errs})
}

// writeFault answers a scripted status the way the layer that fails does:
// Apollo's JSON for a 500, a gateway's text page for the others.
func writeFault(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Code != "" {
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		writeErrors(w, status, newError(f.Code, "%s", f.Message))
		return
	}
	if f.Status == http.StatusInternalServerError {
		writeErrors(w, f.Status, newError("INTERNAL_SERVER_ERROR", "Unexpected error."))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(f.Status)
	// A client that went away has what it read; the test judges that.
	_, _ = fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", f.Status, http.StatusText(f.Status))
}

// bearer reads the token from an Authorization header; the "Bearer " prefix
// is optional and case-insensitive, as Hashnode reads it.
func bearer(header string) string {
	h := strings.TrimSpace(header)
	if len(h) >= 7 && strings.EqualFold(h[:7], "bearer ") {
		h = strings.TrimSpace(h[7:])
	}
	return h
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

func (s *Server) invalid(r *Request, status int, err *gqlError) {
	r.Status, r.Code, r.Message = status, err.Extensions["code"].(string), err.Message
	s.mu.Lock()
	allowed := s.allowInvalid
	s.mu.Unlock()
	if !allowed {
		s.t.Errorf("hashnodetest: invalid request (%s): %s\nquery: %s", r.Code, err.Message, r.Query)
	}
}
