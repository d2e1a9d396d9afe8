package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// outageService is `serve` in-process on a fake clock, with the fake
// Gemini and the loopback article site.
type outageService struct {
	t      *testing.T
	clock  *clockwork.FakeClock
	gemini *geminitest.Server
	site   *articleSite
	api    apiClient
	stop   func()
}

func startOutageService(t *testing.T, prepare func(*geminitest.Server, *clockwork.FakeClock)) *outageService {
	t.Helper()
	s := &outageService{t: t, clock: clockwork.NewFakeClockAt(issueDate), gemini: geminitest.NewServer(t), site: newArticleSite(t)}
	if prepare != nil {
		prepare(s.gemini, s.clock)
	}
	_, s.api, _, s.stop = serveForTest(t, daemonTestConfig(t.TempDir(), s.gemini.URL), s.clock)
	return s
}

// submitN submits n article pages through the API.
func (s *outageService) submitN(n int) {
	s.t.Helper()
	for i := range n {
		u := s.site.Add(fmt.Sprintf("/outage/%d", i), fmt.Sprintf("Article number %d about Go", i))
		body, _ := json.Marshal(map[string]string{"url": u})
		resp, err := http.Post(s.api.base+"/api/v1/submissions", "application/json", bytes.NewReader(body))
		if err != nil {
			s.t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			s.t.Fatalf("submit %s: %d", u, resp.StatusCode)
		}
	}
}

type outageStatus struct {
	Dependencies []pipeline.DependencyStatus `json:"dependencies"`
	Submissions  map[string]int              `json:"submissions"`
	Waiting      map[string]int              `json:"waiting"`
}

func (s *outageService) status() outageStatus {
	s.t.Helper()
	_, body := s.api.do("GET", "/api/v1/status")
	var st outageStatus
	if err := json.Unmarshal(body, &st); err != nil {
		s.t.Fatalf("status: %v: %s", err, body)
	}
	return st
}

func (s *outageService) gemini0() pipeline.DependencyStatus {
	for _, d := range s.status().Dependencies {
		if d.Dependency == "gemini" {
			return d
		}
	}
	s.t.Fatal("status names no gemini dependency")
	return pipeline.DependencyStatus{}
}

// submissionsAttempts maps every submission's id to its state and attempts.
func (s *outageService) attempts() map[int64]string {
	s.t.Helper()
	_, body := s.api.do("GET", "/api/v1/submissions?limit=1000")
	var out struct {
		Submissions []struct {
			ID       int64  `json:"id"`
			State    string `json:"state"`
			Attempts int    `json:"attempts"`
		} `json:"submissions"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		s.t.Fatal(err)
	}
	m := map[int64]string{}
	for _, sub := range out.Submissions {
		m[sub.ID] = fmt.Sprintf("%s/%d", sub.State, sub.Attempts)
	}
	return m
}

// TestServeQuotaOutage is the fault test of the failure model through
// serve: twenty submissions queued while the daily quota is used up are
// all summarised after it, none failed and no attempt charged.
func TestServeQuotaOutage(t *testing.T) {
	const n = 20
	var end time.Time
	s := startOutageService(t, func(g *geminitest.Server, c *clockwork.FakeClock) {
		end = c.Now().Add(2 * time.Hour)
		g.ExhaustQuotaUntil(end, c.Now)
	})
	s.submitN(n)
	waitFor(t, "every submission to wait for Gemini", func() bool { return s.status().Waiting["gemini"] == n })
	if g := s.gemini0(); g.Up || !strings.Contains(g.Reason, "quota is used up") || g.Until.IsZero() {
		t.Errorf("status of gemini = %+v, want paused on the daily quota, with its end", g)
	}
	for id, st := range s.attempts() {
		if st != "new/0" {
			t.Errorf("submission %d during the outage: %s, want new with no attempt charged", id, st)
		}
	}
	if got := s.gemini.QuotaRefusals(); got > 2 {
		t.Errorf("%d requests refused; after the first refusals (at most worker.concurrency = 2 in flight), the pause sends none", got)
	}

	// The fake clock moves a minute at a time until each probe is sent:
	// however late the worker arms its timer, a later minute reaches it.
	probes := 0
	for s.status().Submissions["summarized"] == 0 {
		if s.clock.Now().After(end.Add(time.Hour)) {
			t.Fatalf("an hour after the quota came back nothing is summarised; %d probes", probes)
		}
		refused := s.gemini.QuotaRefusals()
		waitAdvancing(t, "the probe", s.clock, func() bool {
			return s.gemini.QuotaRefusals() > refused || s.status().Submissions["summarized"] > 0
		})
		probes++
	}
	waitAdvancing(t, "every submission to be summarised", s.clock, func() bool { return s.status().Submissions["summarized"] == n })
	for id, st := range s.attempts() {
		if st != "summarized/1" {
			t.Errorf("submission %d after the outage: %s, want summarized with the one attempt that succeeded", id, st)
		}
	}
	if g := s.gemini0(); !g.Up {
		t.Errorf("gemini still paused: %+v", g)
	}
	t.Logf("%d submissions: %d requests refused in %d probes over the 2 h outage, %d failed, %d summarised after it",
		n, s.gemini.QuotaRefusals(), probes, s.status().Submissions["failed"], s.status().Submissions["summarized"])
}

// TestServeRefusedKey: with a key Gemini refuses, the start-up check
// pauses Gemini, nothing fails, and the status says why.
func TestServeRefusedKey(t *testing.T) {
	s := startOutageService(t, func(g *geminitest.Server, _ *clockwork.FakeClock) { g.RefuseKey(true) })
	s.submitN(3)
	waitFor(t, "the submissions to wait for Gemini", func() bool { return s.status().Waiting["gemini"] == 3 })
	if g := s.gemini0(); g.Up || !strings.Contains(g.Reason, "refused the API key") {
		t.Errorf("status of gemini = %+v, want paused because the key was refused", g)
	}
	if st := s.status(); st.Submissions["failed"] != 0 {
		t.Errorf("%d submissions failed", st.Submissions["failed"])
	}
	if n := len(s.gemini.GenerateRequests()); n != 0 {
		t.Errorf("%d generate requests with a key refused at start", n)
	}
}
