package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
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
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// The same bad input gives the same reason at every door: the desk's
// refusal is the API's JSON (its English message and code), the command
// line's one line (the message and the code), and the web desk's Korean.
func TestRefusalsAtEveryDoor(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	cfg := daemonTestConfig(dir, gemini.URL)
	cfg.Server.Token = "desk-token"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.Listen, cfg.Server.URL = ln.Addr().String(), "http://"+ln.Addr().String()
	d, err := buildDaemon(ctx, cfg, zaptest.NewLogger(t), clockwork.NewFakeClockAt(issueDate))
	if err != nil {
		cancel()
		t.Fatal(err)
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
	env := map[string]string{"NEWSLETTER_SERVER_URL": cfg.Server.URL, "NEWSLETTER_SERVER_TOKEN": cfg.Server.Token}
	apiDoor := apiClient{t: t, base: cfg.Server.URL, token: cfg.Server.Token}
	webDoor := newWebDoor(t, cfg.Server.URL, cfg.Server.Token)
	id := summarizedEntry(t, d.store, "https://example.com/generics", "Generics in practice")

	// Gemini answers the regeneration with a heading, twice (the answer and
	// the corrective retry): the guardrails refuse it.
	heading := geminitest.JSON(map[string]string{"title_ko": "제네릭 실전", "summary": "## 설치\n본문입니다.",
		"introduction": "소개하는 글입니다.", "recommendation": "", "caution": ""})
	refuseNext := func() { gemini.Enqueue(heading, heading) }
	longNote := strings.Repeat("가", desk.MaxNote+1)
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
			_, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: "http://10.0.0.1/admin"})
			return err
		},
			[]string{"submit", "http://10.0.0.1/admin"}, "/api/v1/submissions", api.SubmissionRequest{URL: "http://10.0.0.1/admin"},
			"/desk/submissions", url.Values{"url": {"http://10.0.0.1/admin"}}, func() {}},
		{"a note too long", func() error {
			_, err := d.desk.Submit(ctx, api.SubmissionRequest{URL: "https://example.com/x", Note: longNote})
			return err
		}, []string{"submit", "https://example.com/x", "--note", longNote}, "/api/v1/submissions", api.SubmissionRequest{URL: "https://example.com/x", Note: longNote},
			"/desk/submissions", url.Values{"url": {"https://example.com/x"}, "note": {longNote}}, func() {}},
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
