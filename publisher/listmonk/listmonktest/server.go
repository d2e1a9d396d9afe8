// Package listmonktest is a fake listmonk on a loopback port, built from
// listmonk's API documentation (docs/docs/content/apis in the public
// repository knadh/listmonk): every answer is the {"data": …} envelope,
// every failure {"message": "…"} with its HTTP status; lists of campaigns
// and lists are paginated (page, per_page, "all"; per_page clamped to 50,
// as listmonk's paginator does) and campaigns carry their body unless
// no_body=true is asked; a campaign listmonk lacks is HTTP 400 "Campaign
// not found."; requests authenticate as
// an API user ("Authorization: token user:key", or basic auth) whose role
// holds permissions (campaigns:get_all, campaigns:manage, campaigns:send,
// lists:get_all). Faults script what a real server does badly: an action
// performed whose answer is lost (the connection drops), a 5xx.
package listmonktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// The API user the fake accepts.
const (
	User  = "newsletter"
	Token = "lm-test-token-8d2f6a"
)

// Permissions the fake's routes need, as listmonk names them. listmonk 6.1
// split campaigns:send (start or schedule a campaign) from
// campaigns:manage (create, change, test).
const (
	PermGetCampaigns = "campaigns:get_all"
	PermManage       = "campaigns:manage"
	PermSend         = "campaigns:send"
	PermGetLists     = "lists:get_all"
)

// Campaign statuses.
const (
	StatusDraft     = "draft"
	StatusScheduled = "scheduled"
	StatusRunning   = "running"
	StatusPaused    = "paused"
	StatusCancelled = "cancelled"
	StatusFinished  = "finished"
)

// Campaign is a campaign the fake holds.
type Campaign struct {
	ID          int
	UUID        string
	Name        string
	Subject     string
	Body        string
	ContentType string
	Type        string
	Messenger   string
	Lists       []int
	TemplateID  int
	Status      string
	SendAt      time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Updates counts the PUTs of its content.
	Updates int
}

// List is a mailing list with its subscribers.
type List struct {
	ID              int
	Name            string
	SubscriberCount int
}

// Mail is one sending: a test to some addresses, or the campaign to its
// lists (Test false).
type Mail struct {
	CampaignID int
	Test       bool
	To         []string // a test's addresses
	Subject    string
	Body       string
	At         time.Time
}

// Fault is a scripted failure of the next request to one route.
type Fault struct {
	// Status answers this HTTP status with Message (a 5xx by default);
	// nothing is done.
	Status  int
	Message string
	// Applied performs the request first; with Drop the connection then
	// closes without an answer: the action happened, the client cannot
	// know.
	Applied bool
	Drop    bool
	// Delay, with Applied, performs the request only once the server's
	// clock has moved on by Delay (seen at the next request or look at
	// the server): a create that commits after the client gave up on it.
	Delay time.Duration
}

// LostAnswer is an action performed whose answer never arrives.
func LostAnswer() Fault { return Fault{Applied: true, Drop: true} }

// Unavailable answers status (a 5xx) without doing anything.
func Unavailable(status int) Fault {
	return Fault{Status: status, Message: http.StatusText(status)}
}

// Routes, as FailNext names them.
const (
	RouteListCampaigns = "GET /api/campaigns"
	RouteGet           = "GET /api/campaigns/{id}"
	RouteCreate        = "POST /api/campaigns"
	RouteUpdate        = "PUT /api/campaigns/{id}"
	RouteStatus        = "PUT /api/campaigns/{id}/status"
	RouteTest          = "POST /api/campaigns/{id}/test"
	RouteLists         = "GET /api/lists"
)

// Server is a running fake; it closes when the test ends.
type Server struct {
	URL string

	clock clockwork.Clock
	srv   *httptest.Server

	mu          sync.Mutex
	perms       map[string]bool
	campaigns   []*Campaign
	lists       []List
	subscribers map[string]bool
	faults      map[string][]Fault
	mails       []Mail
	requests    []string
	misses      bool
	late        []lateAction
	lastID      int // ids are never reused, as listmonk's sequence
}

// lateAction is a request performed once the clock reaches at.
type lateAction struct {
	at time.Time
	do func()
}

// New starts a fake whose API user holds every permission, with one list
// ("Go 개발자 뉴스레터", id 1, 120 subscribers) and one subscriber address,
// editor@example.org, for test sends. clock is the server's time (nil: the
// real clock).
func New(t testing.TB, clock clockwork.Clock) *Server {
	t.Helper()
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	s := &Server{clock: clock, faults: map[string][]Fault{},
		perms:       map[string]bool{PermGetCampaigns: true, PermManage: true, PermSend: true, PermGetLists: true},
		lists:       []List{{ID: 1, Name: "Go 개발자 뉴스레터", SubscriberCount: 120}},
		subscribers: map[string]bool{"editor@example.org": true}}
	mux := http.NewServeMux()
	for route, h := range map[string]func(http.ResponseWriter, *http.Request, int) (any, int, string){
		RouteListCampaigns: s.listCampaigns,
		RouteGet:           s.getCampaign,
		RouteCreate:        s.create,
		RouteUpdate:        s.update,
		RouteStatus:        s.status,
		RouteTest:          s.test,
		RouteLists:         s.listLists,
	} {
		mux.HandleFunc(route, s.handler(route, h))
	}
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Deny takes perm from the API user's role.
func (s *Server) Deny(perm string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perms[perm] = false
}

// SearchMisses makes a campaign search by query find nothing, as
// listmonk's full-text search may for a term it reads otherwise.
func (s *Server) SearchMisses() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.misses = true
}

// AddList adds a list and returns it.
func (s *Server) AddList(name string, subscribers int) List {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := List{ID: len(s.lists) + 1, Name: name, SubscriberCount: subscribers}
	s.lists = append(s.lists, l)
	return l
}

// AddSubscriber adds an address test sends may go to.
func (s *Server) AddSubscriber(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subscribers[strings.ToLower(email)] = true
}

// AddCampaign stores c as if made by hand (its ID and times are set).
func (s *Server) AddCampaign(c Campaign) Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.add(c)
}

// DeleteCampaign removes campaign id, as an editor may in listmonk.
func (s *Server) DeleteCampaign(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.campaigns = slices.DeleteFunc(s.campaigns, func(c *Campaign) bool { return c.ID == id })
}

// RenameCampaign renames campaign id, as an editor may in listmonk.
func (s *Server) RenameCampaign(id int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, _, msg := s.campaign(id); msg == "" {
		c.Name = name
	}
}

// FailNext scripts the next requests to route (RouteCreate, …).
func (s *Server) FailNext(route string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], faults...)
}

// Campaigns returns the campaigns held, after any scheduled one due has
// started.
func (s *Server) Campaigns() []Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runLate()
	s.startDue()
	out := make([]Campaign, len(s.campaigns))
	for i, c := range s.campaigns {
		out[i] = *c
	}
	return out
}

// Mails returns every sending so far, tests and campaigns, in order.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runLate()
	s.startDue()
	return slices.Clone(s.mails)
}

// Requests returns "METHOD path" of every request received.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// handler authenticates, applies any scripted fault and answers h's
// result in listmonk's envelope.
func (s *Server) handler(route string, h func(http.ResponseWriter, *http.Request, int) (any, int, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		s.runLate()
		s.startDue()
		if !authorised(r) {
			writeJSON(w, http.StatusForbidden, map[string]any{"message": "Invalid API credentials"})
			return
		}
		var f *Fault
		if q := s.faults[route]; len(q) > 0 {
			f = &q[0]
			s.faults[route] = q[1:]
		}
		if f != nil && !f.Applied {
			writeJSON(w, f.Status, map[string]any{"message": f.Message})
			return
		}
		id := 0
		if v := r.PathValue("id"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid ID"})
				return
			}
			id = n
		}
		if f != nil && f.Delay > 0 {
			body, _ := io.ReadAll(r.Body)
			req := r.Clone(r.Context())
			s.late = append(s.late, lateAction{at: s.clock.Now().Add(f.Delay), do: func() {
				req.Body = io.NopCloser(bytes.NewReader(body))
				h(nil, req, id)
			}})
			drop(w)
			return
		}
		data, status, msg := h(w, r, id)
		if f != nil && f.Drop {
			drop(w)
			return
		}
		if msg != "" {
			writeJSON(w, status, map[string]any{"message": msg})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": data})
	}
}

// runLate performs the delayed requests whose time has come.
func (s *Server) runLate() {
	now := s.clock.Now()
	keep := s.late[:0]
	for _, a := range s.late {
		if a.at.After(now) {
			keep = append(keep, a)
			continue
		}
		a.do()
	}
	s.late = keep
}

func authorised(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if rest, ok := strings.CutPrefix(h, "token "); ok {
		return rest == User+":"+Token
	}
	if rest, ok := strings.CutPrefix(h, "Basic "); ok {
		b, err := base64.StdEncoding.DecodeString(rest)
		return err == nil && string(b) == User+":"+Token
	}
	return false
}

// deny is listmonk's answer to a role without perm.
func (s *Server) deny(perm string) (any, int, string) {
	if s.perms[perm] {
		return nil, 0, ""
	}
	return nil, http.StatusForbidden, "Permission denied: " + perm
}

func (s *Server) listCampaigns(_ http.ResponseWriter, r *http.Request, _ int) (any, int, string) {
	if _, st, msg := s.deny(PermGetCampaigns); msg != "" {
		return nil, st, msg
	}
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query")))
	noBody, _ := strconv.ParseBool(r.URL.Query().Get("no_body"))
	var all []any
	for _, c := range slices.Backward(s.campaigns) { // the newest first
		if q == "" || !s.misses && strings.Contains(strings.ToLower(c.Name+" "+c.Subject), q) {
			all = append(all, s.view(c, noBody))
		}
	}
	return paginate(all, r)
}

// getCampaign is GET /api/campaigns/{id}: a campaign listmonk lacks is
// HTTP 400, "Campaign not found." (its globals.messages.notFound).
func (s *Server) getCampaign(_ http.ResponseWriter, r *http.Request, id int) (any, int, string) {
	if _, st, msg := s.deny(PermGetCampaigns); msg != "" {
		return nil, st, msg
	}
	c, st, msg := s.campaign(id)
	if msg != "" {
		return nil, st, msg
	}
	noBody, _ := strconv.ParseBool(r.URL.Query().Get("no_body"))
	return s.view(c, noBody), 0, ""
}

func (s *Server) listLists(_ http.ResponseWriter, r *http.Request, _ int) (any, int, string) {
	if _, st, msg := s.deny(PermGetLists); msg != "" {
		return nil, st, msg
	}
	var all []any
	for _, l := range s.lists {
		all = append(all, map[string]any{"id": l.ID, "name": l.Name, "subscriber_count": l.SubscriberCount,
			"type": "public", "optin": "single", "tags": []string{}})
	}
	return paginate(all, r)
}

// maxPerPage is listmonk's paginator's MaxPerPage: a larger per_page is
// clamped to it.
const maxPerPage = 50

// paginate answers one page of all as listmonk does: page from 1,
// per_page 20 by default, at most 50, or "all".
func paginate(all []any, r *http.Request) (any, int, string) {
	page, perPage := 1, 20
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, http.StatusBadRequest, "Invalid page"
		}
		page = n
	}
	if v := r.URL.Query().Get("per_page"); v == "all" {
		perPage = max(len(all), 1)
	} else if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, http.StatusBadRequest, "Invalid per_page"
		}
		perPage = min(n, maxPerPage)
	}
	start := min((page-1)*perPage, len(all))
	end := min(start+perPage, len(all))
	results := all[start:end]
	if results == nil {
		results = []any{}
	}
	return map[string]any{"results": results, "query": r.URL.Query().Get("query"), "total": len(all),
		"per_page": perPage, "page": page}, 0, ""
}

// campaignInput is POST /api/campaigns' body (and PUT's, and the test's).
type campaignInput struct {
	Name        *string  `json:"name"`
	Subject     *string  `json:"subject"`
	Lists       []int    `json:"lists"`
	Type        string   `json:"type"`
	ContentType string   `json:"content_type"`
	Body        *string  `json:"body"`
	SendAt      *string  `json:"send_at"`
	Messenger   string   `json:"messenger"`
	TemplateID  int      `json:"template_id"`
	Tags        []string `json:"tags"`
	Subscribers []string `json:"subscribers"` // a test's addresses
}

// decode reads a campaign's body and checks it as listmonk does; the
// message is listmonk's for a 400, "" when the body is good.
func (s *Server) decode(r *http.Request) (campaignInput, string) {
	var in campaignInput
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&in); err != nil {
		return in, "Invalid JSON: " + err.Error()
	}
	return in, s.check(in)
}

// check validates in as listmonk does a create or an update.
func (s *Server) check(in campaignInput) string {
	switch {
	case in.Name == nil || strings.TrimSpace(*in.Name) == "":
		return "invalid length for name"
	case in.Subject == nil || strings.TrimSpace(*in.Subject) == "":
		return "invalid length for subject"
	case len(in.Lists) == 0:
		return "Invalid lists"
	case !slices.Contains([]string{"richtext", "html", "markdown", "plain", "visual"}, in.ContentType):
		return "Invalid content_type"
	case in.Type != "" && in.Type != "regular" && in.Type != "optin":
		return "Invalid type"
	}
	for _, id := range in.Lists {
		if !slices.ContainsFunc(s.lists, func(l List) bool { return l.ID == id }) {
			return "Invalid lists"
		}
	}
	if in.SendAt != nil {
		at, err := time.Parse(time.RFC3339Nano, *in.SendAt)
		if err != nil {
			return "Invalid send_at"
		}
		if !at.After(s.clock.Now()) {
			return "send_at date should be in the future."
		}
	}
	return ""
}

func (s *Server) create(_ http.ResponseWriter, r *http.Request, _ int) (any, int, string) {
	if _, st, msg := s.deny(PermManage); msg != "" {
		return nil, st, msg
	}
	in, msg := s.decode(r)
	if msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	c := &Campaign{}
	apply(c, in)
	return s.view(s.add(*c), false), 0, ""
}

func (s *Server) add(c Campaign) *Campaign {
	now := s.clock.Now()
	s.lastID++
	c.ID = s.lastID
	c.UUID = fmt.Sprintf("00000000-0000-4000-8000-%012d", c.ID)
	if c.Status == "" {
		c.Status = StatusDraft
	}
	if c.Type == "" {
		c.Type = "regular"
	}
	if c.Messenger == "" {
		c.Messenger = "email"
	}
	if c.TemplateID == 0 {
		c.TemplateID = 1
	}
	c.CreatedAt, c.UpdatedAt = now, now
	s.campaigns = append(s.campaigns, &c)
	return &c
}

func apply(c *Campaign, in campaignInput) {
	c.Name, c.Subject, c.Lists, c.ContentType = *in.Name, *in.Subject, slices.Clone(in.Lists), in.ContentType
	if in.Body != nil {
		c.Body = *in.Body
	}
	if in.Type != "" {
		c.Type = in.Type
	}
	if in.Messenger != "" {
		c.Messenger = in.Messenger
	}
	if in.TemplateID != 0 {
		c.TemplateID = in.TemplateID
	}
	c.SendAt = time.Time{}
	if in.SendAt != nil {
		c.SendAt, _ = time.Parse(time.RFC3339Nano, *in.SendAt)
	}
}

func (s *Server) campaign(id int) (*Campaign, int, string) {
	i := slices.IndexFunc(s.campaigns, func(c *Campaign) bool { return c.ID == id })
	if i < 0 {
		return nil, http.StatusBadRequest, "Campaign not found."
	}
	return s.campaigns[i], 0, ""
}

func (s *Server) update(_ http.ResponseWriter, r *http.Request, id int) (any, int, string) {
	if _, st, msg := s.deny(PermManage); msg != "" {
		return nil, st, msg
	}
	c, st, msg := s.campaign(id)
	if msg != "" {
		return nil, st, msg
	}
	if sent(c.Status) {
		return nil, http.StatusBadRequest, "Cannot update a running or a finished campaign."
	}
	in, msg := s.decode(r)
	if msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	apply(c, in)
	c.Updates++
	c.UpdatedAt = s.clock.Now()
	return s.view(c, false), 0, ""
}

func sent(status string) bool {
	return status == StatusRunning || status == StatusPaused || status == StatusCancelled || status == StatusFinished
}

func (s *Server) status(_ http.ResponseWriter, r *http.Request, id int) (any, int, string) {
	if _, st, msg := s.deny(PermSend); msg != "" {
		return nil, st, msg
	}
	c, st, msg := s.campaign(id)
	if msg != "" {
		return nil, st, msg
	}
	var in struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return nil, http.StatusBadRequest, "Invalid JSON"
	}
	switch {
	case in.Status == StatusScheduled && c.Status != StatusDraft:
		return nil, http.StatusBadRequest, "Only draft campaigns can be scheduled."
	case in.Status == StatusScheduled && c.SendAt.IsZero():
		return nil, http.StatusBadRequest, "send_at date should be set."
	case in.Status == StatusDraft && c.Status != StatusScheduled:
		return nil, http.StatusBadRequest, "Only scheduled campaigns can be unscheduled."
	case in.Status == StatusRunning && c.Status != StatusDraft && c.Status != StatusPaused:
		return nil, http.StatusBadRequest, "Only paused and draft campaigns can be started."
	case in.Status != StatusScheduled && in.Status != StatusDraft && in.Status != StatusRunning &&
		in.Status != StatusPaused && in.Status != StatusCancelled:
		return nil, http.StatusBadRequest, "Invalid status"
	}
	c.Status = in.Status
	c.UpdatedAt = s.clock.Now()
	if c.Status == StatusRunning {
		s.mails = append(s.mails, Mail{CampaignID: c.ID, Subject: c.Subject, Body: c.Body, At: s.clock.Now()})
	}
	return s.view(c, false), 0, ""
}

func (s *Server) test(_ http.ResponseWriter, r *http.Request, id int) (any, int, string) {
	if _, st, msg := s.deny(PermManage); msg != "" {
		return nil, st, msg
	}
	c, st, msg := s.campaign(id)
	if msg != "" {
		return nil, st, msg
	}
	in, msg := s.decode(r)
	if msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	if len(in.Subscribers) == 0 {
		return nil, http.StatusBadRequest, "No subscribers"
	}
	for _, e := range in.Subscribers {
		if !s.subscribers[strings.ToLower(e)] {
			return nil, http.StatusBadRequest, "Subscriber(s) not found"
		}
	}
	body := c.Body
	if in.Body != nil {
		body = *in.Body
	}
	s.mails = append(s.mails, Mail{CampaignID: c.ID, Test: true, To: slices.Clone(in.Subscribers), Subject: *in.Subject,
		Body: body, At: s.clock.Now()})
	return true, 0, ""
}

// startDue starts the scheduled campaigns whose time has come, as
// listmonk's manager does.
func (s *Server) startDue() {
	now := s.clock.Now()
	for _, c := range s.campaigns {
		if c.Status == StatusScheduled && !c.SendAt.After(now) {
			c.Status = StatusRunning
			s.mails = append(s.mails, Mail{CampaignID: c.ID, Subject: c.Subject, Body: c.Body, At: now})
		}
	}
}

// view is a campaign as the API shows it, its body blanked with noBody.
func (s *Server) view(c *Campaign, noBody bool) map[string]any {
	lists := []map[string]any{}
	for _, id := range c.Lists {
		name := ""
		if i := slices.IndexFunc(s.lists, func(l List) bool { return l.ID == id }); i >= 0 {
			name = s.lists[i].Name
		}
		lists = append(lists, map[string]any{"id": id, "name": name})
	}
	var sendAt any
	if !c.SendAt.IsZero() {
		sendAt = c.SendAt.Format(time.RFC3339Nano)
	}
	body := c.Body
	if noBody {
		body = ""
	}
	return map[string]any{"id": c.ID, "uuid": c.UUID, "name": c.Name, "subject": c.Subject, "body": body,
		"content_type": c.ContentType, "type": c.Type, "messenger": c.Messenger, "template_id": c.TemplateID,
		"status": c.Status, "send_at": sendAt, "lists": lists, "tags": []string{}, "views": 0, "clicks": 0,
		"to_send": 0, "sent": 0, "started_at": nil,
		"created_at": c.CreatedAt.Format(time.RFC3339Nano), "updated_at": c.UpdatedAt.Format(time.RFC3339Nano)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "listmonktest: cannot drop the connection"})
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}
