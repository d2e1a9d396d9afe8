package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// discordFake is a Discord incoming webhook on loopback that records the
// messages it receives.
type discordFake struct {
	*httptest.Server
	mu       sync.Mutex
	messages []string
	received chan struct{} // closed and replaced on each message
}

func newDiscordFake(t *testing.T) *discordFake {
	f := &discordFake{received: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			Content string `json:"content"`
			Embeds  []struct {
				Title  string `json:"title"`
				URL    string `json:"url"`
				Fields []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"fields"`
			} `json:"embeds"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, `{"message": "Cannot send an empty message", "code": 50006}`, http.StatusBadRequest)
			return
		}
		text := m.Content
		for _, e := range m.Embeds {
			text += " " + e.Title + " " + e.URL
			for _, f := range e.Fields {
				text += " " + f.Name + ": " + f.Value
			}
		}
		f.mu.Lock()
		f.messages = append(f.messages, text)
		close(f.received)
		f.received = make(chan struct{})
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(f.Close)
	return f
}

// await waits until n messages have arrived; the bound only turns a hang
// into a failure.
func (f *discordFake) await(t *testing.T, what string, n int) {
	t.Helper()
	bound := time.NewTimer(30 * time.Second)
	defer bound.Stop()
	for {
		f.mu.Lock()
		got, received := len(f.messages), f.received
		f.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-received:
		case <-bound.C:
			t.Fatalf("gave up waiting for %s: %d of %d messages", what, got, n)
		}
	}
}

func (f *discordFake) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.messages...)
}

// outletService runs serve with Hashnode, a webhook and the public archive.
type outletService struct {
	cfg      config.Config
	api      apiClient
	env      map[string]string
	hashnode *hashnodetest.Server
	discord  *discordFake
	gemini   *geminitest.Server
	site     *articleSite
	clock    *timerClock
	settled  chan store.Delivery // every attempt at a delivery, once recorded
}

func startOutletService(t *testing.T, mode string) *outletService {
	t.Helper()
	s := &outletService{clock: newTimerClock(issueDate), gemini: geminitest.NewServer(t), site: newArticleSite(t),
		settled: make(chan store.Delivery, 100)}
	s.hashnode = hashnodetest.New(t, s.clock.FakeClock)
	s.discord = newDiscordFake(t)
	cfg := daemonTestConfig(t.TempDir(), s.gemini.URL)
	cfg.Schedule.Mode = config.ModeReview
	cfg.Publisher.Hashnode = config.Hashnode{Endpoint: s.hashnode.URL, PublicationID: hashnodetest.PublicationID,
		Token: hashnodetest.Token, Mode: mode}
	cfg.Notify.Webhooks = []string{"discord:" + s.discord.URL + "/api/webhooks/1/secret-token"}
	cfg.Server.PublicArchive = true
	cfg.Server.PublicURL = "https://newsletter.example"
	s.cfg, s.api, s.env, _ = serveWatching(t, cfg, s.clock, func(d store.Delivery) { s.settled <- d })
	return s
}

// forgetDeliveries drops the attempts recorded so far: what is awaited next
// happens after this.
func (s *outletService) forgetDeliveries() {
	for {
		select {
		case <-s.settled:
		default:
			return
		}
	}
}

// awaitDelivery waits until an attempt at a delivery to outlet ends in
// state, and returns it; the bound only turns a hang into a failure.
func (s *outletService) awaitDelivery(t *testing.T, outlet string, state store.DeliveryState) store.Delivery {
	t.Helper()
	bound := time.NewTimer(30 * time.Second)
	defer bound.Stop()
	for {
		select {
		case d := <-s.settled:
			if d.Outlet == outlet && d.State == state {
				return d
			}
		case <-bound.C:
			t.Fatalf("no delivery to %s ended %s within 30s", outlet, state)
			return store.Delivery{}
		}
	}
}

// summarised submits the site's pages and waits for their summaries.
func (s *outletService) summarised(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if code, _, errs := runApp(t, s.env, "submit", s.site.URL+p); code != 0 {
			t.Fatal(errs)
		}
	}
	waitFor(t, "the summaries", func() bool {
		_, body := s.api.do("GET", "/api/v1/issues/draft")
		return strings.Count(string(body), `"submission_id"`) == len(paths)
	})
}

// TestHashnodeThroughServe: approving publishes the file and then the
// Hashnode post, in both modes; publishing a corrected issue updates the
// same post; a lost answer retried from the CLI leaves one post.
func TestHashnodeThroughServe(t *testing.T) {
	for _, mode := range []string{config.HashnodeDraft, config.HashnodePublish} {
		t.Run(mode, func(t *testing.T) {
			s := startOutletService(t, mode)
			s.summarised(t, "/posts/generics", "/posts/zap")
			// The create's answer is lost once: the post exists, but
			// the service cannot know.
			field := map[string]string{config.HashnodeDraft: "createDraft", config.HashnodePublish: "publishPost"}[mode]
			s.hashnode.FailNext(field, hashnodetest.LostAnswer())
			if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
				t.Fatalf("publish: %s", errs)
			}
			// The outbox sends the post after the publication: its first
			// attempt ends with the outcome unknown.
			first := s.awaitDelivery(t, "hashnode", store.DeliveryPending)
			if first.Attempts != 1 || !strings.Contains(first.LastError, "unknown") {
				t.Errorf("first attempt: %+v, want one attempt whose outcome is unknown", first)
			}
			_, body := s.api.do("GET", "/api/v1/issues/1")
			if !strings.Contains(string(body), `"pending": true`) {
				t.Fatalf("after a lost answer the issue's Hashnode record is not pending: %s", body)
			}
			// Within Hashnode's cache window the outcome stays unknown; after
			// it, an editor's retry (or the outbox's own, due then) finds the
			// post instead of making a second.
			s.clock.Advance(2 * time.Minute)
			if code, out, errs := runApp(t, s.env, "publish", "--hashnode", "1"); code != 0 {
				t.Fatalf("publish --hashnode: %s %s", out, errs)
			}
			if _, body := s.api.do("GET", "/api/v1/issues/1"); strings.Contains(string(body), `"pending": true`) ||
				!strings.Contains(string(body), `"hashnode"`) {
				t.Fatalf("after the retry the issue's Hashnode record is still pending or missing: %s", body)
			}
			if code, out, errs := runApp(t, s.env, "publish", "--hashnode", "1"); code != 0 {
				t.Fatalf("publish --hashnode again: %s %s", out, errs)
			}
			count := func() int {
				if mode == config.HashnodeDraft {
					return len(s.hashnode.Drafts())
				}
				return len(s.hashnode.Posts())
			}
			if n := count(); n != 1 {
				t.Fatalf("Hashnode holds %d %ss after a lost answer and two retries, want 1", n, mode)
			}
			// A corrected issue updates the same post.
			title := "고친 제목"
			if code, body := s.api.doJSON("PATCH", "/api/v1/submissions/1/summary", map[string]any{"title": title}); code != 200 {
				t.Fatalf("edit: %d %s", code, body)
			}
			s.forgetDeliveries()
			if code, _, errs := runApp(t, s.env, "publish", "1"); code != 0 {
				t.Fatalf("publish again: %s", errs)
			}
			if d := s.awaitDelivery(t, "hashnode", store.DeliveryDone); d.Kind != "corrected" {
				t.Errorf("the correction's delivery is %q, want corrected", d.Kind)
			}
			if n := count(); n != 1 {
				t.Errorf("a corrected issue made a second %s", mode)
			}
			var content string
			if mode == config.HashnodeDraft {
				content = s.hashnode.Drafts()[0].ContentMarkdown
			} else {
				content = s.hashnode.Posts()[0].ContentMarkdown
			}
			if !strings.Contains(content, "## "+title) || strings.HasPrefix(content, "---") {
				t.Errorf("Hashnode content lacks the correction or carries the front matter:\n%.300s", content)
			}
		})
	}
}

// TestArchiveAndFeed: the public archive lists and shows published issues
// and its Atom feed parses with every required element.
func TestArchiveAndFeed(t *testing.T) {
	s := startOutletService(t, config.HashnodeDraft)
	s.summarised(t, "/posts/generics")
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	code, list := s.api.try("GET", "/issues")
	if code != 200 || !bytes.Contains(list, []byte("/issues/gdc-weekly-newsletter-september-2nd-2024")) {
		t.Fatalf("GET /issues = %d:\n%s", code, list)
	}
	code, page := s.api.try("GET", "/issues/gdc-weekly-newsletter-september-2nd-2024")
	if code != 200 || !bytes.Contains(page, []byte("<h2")) || bytes.Contains(page, []byte("<script")) {
		t.Errorf("GET /issues/slug = %d:\n%s", code, page)
	}
	code, raw := s.api.try("GET", "/feed.xml")
	if code != 200 {
		t.Fatalf("GET /feed.xml = %d", code)
	}
	f, err := gofeed.NewParser().ParseString(string(raw))
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, raw)
	}
	if f.FeedType != "atom" || f.Title == "" || f.UpdatedParsed == nil || len(f.Authors) == 0 || f.FeedLink != "https://newsletter.example/feed.xml" {
		t.Errorf("feed = type %s, title %q, updated %v, authors %v, self %q", f.FeedType, f.Title, f.UpdatedParsed, f.Authors, f.FeedLink)
	}
	if len(f.Items) != 1 {
		t.Fatalf("feed has %d entries, want 1", len(f.Items))
	}
	e := f.Items[0]
	if !strings.HasPrefix(e.GUID, "tag:newsletter.example,2024:issue:c") || e.Title != "[GDC] Weekly Newsletter September 2nd" ||
		e.UpdatedParsed == nil || e.Link != "https://newsletter.example/issues/gdc-weekly-newsletter-september-2nd-2024" ||
		!strings.Contains(e.Content, "<h2") {
		t.Errorf("entry = id %q, title %q, updated %v, link %q, content %.80q", e.GUID, e.Title, e.UpdatedParsed, e.Link, e.Content)
	}
	// The desk stays private: the API needs what it always did.
	if code, _ := s.api.try("GET", "/api/v1/issues/draft"); code != 200 {
		t.Errorf("API from loopback = %d", code)
	}
}

// TestNotifications: a webhook receives each event once: the draft ready,
// the issue published, a run failed, and a dependency's outage starting
// and ending; the webhook's token appears in none of them.
func TestNotifications(t *testing.T) {
	s := startOutletService(t, config.HashnodeDraft)
	s.summarised(t, "/posts/generics")
	if code, body := s.api.do("POST", "/api/v1/runs"); code != http.StatusAccepted {
		t.Fatalf("run: %d %s", code, body)
	}
	s.discord.await(t, "the draft-ready message", 1)
	// The message is queued with the freeze, so it may come before the
	// run ends; publishing waits for the run.
	waitFor(t, "the run to end", func() bool {
		_, body := s.api.do("GET", "/api/v1/runs/1")
		return !strings.Contains(string(body), `"state": "running"`)
	})
	if code, _, errs := runApp(t, s.env, "publish", "--yes"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	s.discord.await(t, "the published message", 2)

	s.gemini.RefuseKey(true)
	s.summaryAttempt(t, "/posts/sqlite")
	s.discord.await(t, "the outage message", 3)
	s.gemini.RefuseKey(false)
	waitAdvancing(t, "the recovery message", s.clock.FakeClock, func() bool { return len(s.discord.all()) >= 4 })

	msgs := s.discord.all()
	want := []string{"https://newsletter.example/desk/", "https://newsletter.example/issues/gdc-weekly-newsletter-september-2nd-2024", "gemini", "gemini"}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages, want %d:\n%s", len(msgs), len(want), strings.Join(msgs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(msgs[i], w) {
			t.Errorf("message %d lacks %q:\n%s", i+1, w, msgs[i])
		}
		if strings.Contains(msgs[i], "secret-token") {
			t.Errorf("message %d carries the webhook's token", i+1)
		}
	}
}

// summaryAttempt submits a page, so that the worker asks Gemini.
func (s *outletService) summaryAttempt(t *testing.T, path string) {
	t.Helper()
	if code, _, errs := runApp(t, s.env, "submit", s.site.URL+path); code != 0 {
		t.Fatal(errs)
	}
}
