package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// doors is who the doors' requests are, to the desk: the server token
// from this machine.
var doors = desk.Caller{Actor: "api", Addr: "127.0.0.1"}

// The same bad input gives the same reason at every door: the desk's
// refusal is the API's JSON (its English message and code), the command
// line's one line (the message and the code), and the web desk's Korean.
func TestRefusalsAtEveryDoor(t *testing.T) {
	ctx := context.Background()
	gemini := geminitest.NewServer(t)
	cfg := daemonTestConfig(t.TempDir(), gemini.URL)
	cfg.Server.Token = "desk-token"
	cfg.Server.SubmissionsPerHourPerToken = 3
	var id int64
	d := serveDoors(t, &cfg, func(d *daemon) {
		// The entry is made before serve starts, so that its worker,
		// looking once at start, cannot claim the submission first.
		id = summarizedEntry(t, d.store, "https://example.com/generics", "Generics in practice")
	})
	env := map[string]string{"NEWSLETTER_SERVER_URL": cfg.Server.URL, "NEWSLETTER_SERVER_TOKEN": cfg.Server.Token}
	apiDoor := apiClient{t: t, base: cfg.Server.URL, token: cfg.Server.Token}
	webDoor := newWebDoor(t, cfg.Server.URL, cfg.Server.Token)

	// Gemini answers the regeneration with a heading, twice (the answer and
	// the corrective retry): the guardrails refuse it.
	heading := geminitest.JSON(map[string]string{"title_ko": "제네릭 실전", "summary": "## 설치\n본문입니다.",
		"introduction": "소개하는 글입니다.", "recommendation": "", "caution": ""})
	refuseNext := func() { gemini.Enqueue(heading, heading) }
	longNote := strings.Repeat("가", desk.MaxNote+1)
	// fill submits links from the doors' token and address until the
	// desk refuses one: the clock stands still, so the limit holds.
	var filled int
	fill := func() {
		for {
			filled++
			if _, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: fmt.Sprintf("https://example.com/fill/%d", filled)}, doors); err != nil {
				return
			}
		}
	}
	tests := []struct {
		name string
		// desk is the refusal as the desk gives it, the expected words.
		desk    func() error
		cli     []string
		apiPath string
		apiBody any
		// webPath and webForm post the web desk's form; a refusal shown
		// on the page answered, or on the page it redirects to.
		webPath string
		webForm url.Values
		before  func()
	}{
		{"a refused URL", func() error {
			_, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: "http://10.0.0.1/admin"}, doors)
			return err
		},
			[]string{"submit", "http://10.0.0.1/admin"}, "/api/v1/submissions", api.SubmissionRequest{URL: "http://10.0.0.1/admin"},
			"/desk/submissions", url.Values{"url": {"http://10.0.0.1/admin"}}, func() {}},
		{"a note too long", func() error {
			_, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: "https://example.com/x", Note: longNote}, doors)
			return err
		}, []string{"submit", "https://example.com/x", "--note", longNote}, "/api/v1/submissions", api.SubmissionRequest{URL: "https://example.com/x", Note: longNote},
			"/desk/submissions", url.Values{"url": {"https://example.com/x"}, "note": {longNote}}, func() {}},
		{"a NUL in the submitter", func() error {
			_, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: "https://example.com/x", SubmittedBy: "kim\x00"}, doors)
			return err
		}, []string{"submit", "https://example.com/x", "--by", "kim\x00"}, "/api/v1/submissions", api.SubmissionRequest{URL: "https://example.com/x", SubmittedBy: "kim\x00"},
			"/desk/submissions", url.Values{"url": {"https://example.com/x"}, "submitted_by": {"kim\x00"}}, func() {}},
		{"too many submissions from a token", func() error {
			_, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: "https://example.com/y"}, doors)
			return err
		}, []string{"submit", "https://example.com/y"}, "/api/v1/submissions", api.SubmissionRequest{URL: "https://example.com/y"},
			"/desk/submissions", url.Values{"url": {"https://example.com/y"}}, fill},
		{"a regeneration the guardrails refuse", func() error { _, err := d.desk.Regenerate(ctx, id, "", "kim"); return err },
			[]string{"regenerate", "1"}, "/api/v1/submissions/1/regenerate", api.RegenerateRequest{},
			"/desk/entries/1/regenerate", url.Values{}, refuseNext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.before()
			var want *desk.Error
			if err := tt.desk(); !errors.As(err, &want) || want.Kind == desk.Internal {
				t.Fatalf("the desk: %v, want its refusal", err)
			}

			tt.before()
			status, body := apiDoor.doJSON("POST", tt.apiPath, tt.apiBody)
			var got api.ErrorBody
			if err := json.Unmarshal(body, &got); err != nil || status < 400 || got.Error != want.Message || got.Code != want.Code || got.Field != want.Field {
				t.Errorf("the API: %d %s, want %q (%s)", status, body, want.Message, want.Code)
			}
			if want.Usage != nil && (got.Usage == nil || got.Usage.Requests != want.Usage.Requests) {
				t.Errorf("the API does not say what the refused attempt cost: %s", body)
			}

			tt.before()
			code, _, errs := runApp(t, env, tt.cli...)
			said := false
			for line := range strings.Lines(errs) {
				said = said || strings.Contains(line, want.Message) && strings.Contains(line, "("+want.Code+", ")
			}
			if code == 0 || !said {
				t.Errorf("the command line: exit %d, %q, want a line with %q and %s", code, errs, want.Message, want.Code)
			}
			for _, v := range want.Violations {
				if !strings.Contains(errs, v.Field+": "+v.Detail) {
					t.Errorf("the command line does not list %s: %s", v.Field, v.Detail)
				}
			}

			tt.before()
			page := webDoor.post(tt.webPath, tt.webForm)
			if !strings.Contains(page, html.EscapeString(want.Korean)) {
				t.Errorf("the web desk does not say %q:\n%s", want.Korean, page)
			}
			for _, bad := range []string{"(를)", "(가)", "(는)", "서버 오류"} {
				if strings.Contains(page, bad) {
					t.Errorf("the web desk says %q", bad)
				}
			}
		})
	}
	if e, _ := d.store.Entry(ctx, id); e.Effective().Summary != "모델이 쓴 요약입니다." {
		t.Errorf("a refused regeneration changed the entry: %q", e.Effective().Summary)
	}
}

// Wrong tokens are one limit for every door: after desk.MaxTokenFailures
// wrong ones sent to the API from this machine, the right token is
// refused with the same reason by the API (429, Retry-After), the command
// line (one line) and the web desk's sign-in (in Korean).
func TestTokenGuessesAtEveryDoor(t *testing.T) {
	cfg := daemonTestConfig(t.TempDir(), geminitest.NewServer(t).URL)
	cfg.Server.Token = "desk-token-0123456789"
	d := serveDoors(t, &cfg, nil)
	for i := range desk.MaxTokenFailures {
		if status, body := (apiClient{t: t, base: cfg.Server.URL, token: fmt.Sprint("guess-", i)}).do("GET", "/api/v1/status"); status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d %s, want 401", i, status, body)
		}
	}
	_, err := d.desk.SignIn(cfg.Server.Token, "127.0.0.1")
	var want *desk.Error
	if !errors.As(err, &want) || want.Code != "too_many_attempts" {
		t.Fatalf("the desk: %v, want too_many_attempts", err)
	}

	req, _ := http.NewRequest("GET", cfg.Server.URL+"/api/v1/status", nil)
	req.Header.Set("Authorization", "Bearer "+cfg.Server.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var got api.ErrorBody
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" ||
		got.Error != want.Message || got.Code != want.Code {
		t.Errorf("the API: %d, Retry-After %q, %+v; want 429, 60, %q", resp.StatusCode, resp.Header.Get("Retry-After"), got, want.Message)
	}

	env := map[string]string{"NEWSLETTER_SERVER_URL": cfg.Server.URL, "NEWSLETTER_SERVER_TOKEN": cfg.Server.Token}
	code, _, errs := runApp(t, env, "submit", "https://example.com/z")
	if code == 0 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, want.Message) ||
		!strings.Contains(errs, "(too_many_attempts, 429 Too Many Requests)") {
		t.Errorf("the command line: exit %d, %q, want one line with %q", code, errs, want.Message)
	}

	jar, _ := cookiejar.New(nil)
	page := webDoor{t: t, base: cfg.Server.URL, client: &http.Client{Jar: jar}}.post("/desk/signin", url.Values{"token": {cfg.Server.Token}})
	if !strings.Contains(page, html.EscapeString(want.Korean)) {
		t.Errorf("the web desk does not say %q:\n%s", want.Korean, page)
	}
}

// serveDoors serves the daemon of cfg on loopback (cfg's server.listen
// and server.url set to it) until the test ends.
// serveDoors serves cfg in-process on a loopback port (set in cfg); before,
// if set, prepares the daemon's state before it serves.
func serveDoors(t *testing.T, cfg *config.Config, before func(*daemon)) *daemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.Listen, cfg.Server.URL = ln.Addr().String(), "http://"+ln.Addr().String()
	d, err := buildDaemon(ctx, *cfg, zaptest.NewLogger(t), clockwork.NewFakeClockAt(issueDate))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if before != nil {
		before(d)
	}
	served := make(chan error, 1)
	go func() { served <- d.serve(ctx, ln) }() // requests wait in the listener's queue until it serves
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		d.Close()
	})
	return d
}

// summarizedEntry puts a summarised article in the open draft, as the
// worker would, and returns its submission's id.
func summarizedEntry(t *testing.T, st *store.Store, link, title string) int64 {
	t.Helper()
	ctx := context.Background()
	sub, _, err := st.Submit(ctx, store.NewSubmission{URL: link})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.Claim(ctx, sub.ID, issueDate); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	text := title + ": Go 1.18 added type parameters."
	sum := sha256.Sum256([]byte(text))
	hash := hex.EncodeToString(sum[:])
	if _, err := st.SaveArticle(ctx, store.Article{SubmissionID: sub.ID, FinalURL: link, CanonicalURL: link, Title: title,
		Text: text, TextHash: hash, WordCount: 7, FetchedAt: issueDate}); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSummarized(ctx, store.Summary{SubmissionID: sub.ID, TextHash: hash, PromptVersion: "test", Model: "gemini-test",
		Sections: entry.Sections{TitleKo: "제네릭 실전", Summary: "모델이 쓴 요약입니다.", Introduction: "모델이 쓴 소개입니다."}}); err != nil {
		t.Fatal(err)
	}
	return sub.ID
}

// webDoor is a browser without JavaScript signed in to the web desk.
type webDoor struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newWebDoor(t *testing.T, base, token string) webDoor {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	w := webDoor{t: t, base: base, client: &http.Client{Jar: jar}}
	w.post("/desk/signin", url.Values{"token": {token}})
	return w
}

// post posts a form and returns the page it ends on, redirects followed.
func (w webDoor) post(path string, form url.Values) string {
	w.t.Helper()
	resp, err := w.client.PostForm(w.base+path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}
