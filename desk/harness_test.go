package desk

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// t0 is Monday 2 September 2024, 07:00 in Seoul: the harness's clock.
var t0 = time.Date(2024, 9, 2, 7, 0, 0, 0, seoul)

var seoul = testenv.Seoul

// harness is a Desk over a real store on a temporary file and a real
// pipeline whose Gemini is the fake of package geminitest.
type harness struct {
	*testenv.Env
	t      *testing.T
	pauses *pipeline.Pauses
	desk   *Desk
	woken  int
}

func newHarness(t *testing.T, change func(*config.Config)) *harness {
	t.Helper()
	b := testenv.New(t, testenv.Options{Start: t0, Gemini: true, Change: []func(*config.Config){
		func(c *config.Config) { c.Schedule.Timezone = "Asia/Seoul" }, change}})
	h := &harness{Env: b, t: t}
	cfg := b.Config
	h.pauses = pipeline.NewPauses(pipeline.Env{Clock: h.Clock, Log: b.Log}, summarizer.Dependency)
	proc := pipeline.NewProcessor(pipeline.Env{Store: b.Store, Fetcher: b.Fetcher, Summarizer: b.Summarizer, Pauses: h.pauses,
		Log: b.Log, Clock: h.Clock}, cfg.Worker)
	ed := edition.Env{Store: b.Store, Publisher: publisher.NewFilePublisher(cfg.Publisher.Dir), Clock: h.Clock, Log: b.Log}
	runner, err := edition.NewRunner(ed, proc, cfg.Schedule, cfg.Publisher)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(runner.Close)
	h.desk = New(b.Store, proc, runner, Options{Fetcher: cfg.Fetcher, Schedule: cfg.Schedule, Publisher: cfg.Publisher,
		Notify: cfg.Notify, Pauses: h.pauses, Version: "test", Wake: func() { h.woken++ }, Server: cfg.Server, Now: h.Clock.Now,
		NextRun: func() (time.Time, error) { return time.Date(2024, 9, 9, 6, 0, 0, 0, seoul), nil }})
	return h
}

// addEntry stores a summarised submission of the open draft titled
// title and returns its id.
func (h *harness) addEntry(title string) int64 {
	h.t.Helper()
	sub, _, err := h.Store.Submit(context.Background(), store.NewSubmission{URL: fmt.Sprintf("https://go.dev/blog/%x", sha256.Sum256([]byte(title)))})
	if err != nil {
		h.t.Fatal(err)
	}
	text := "Go 1.18 added generics. " + title + " shows how to use type parameters in practice."
	h.Summarized(sub.ID, store.Article{FinalURL: sub.URL, CanonicalURL: sub.URL, Title: title, Text: text},
		store.Summary{PromptVersion: "test", Model: "gemini-test",
			Sections: entry.Sections{TitleKo: title + " 한국어 제목", Summary: "모델이 쓴 요약입니다.", Introduction: "모델이 쓴 소개입니다."}})
	return sub.ID
}

// failed stores a submission that failed, and returns its id.
func (h *harness) failed(url string) int64 {
	h.t.Helper()
	ctx := context.Background()
	sub, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: url})
	if err != nil {
		h.t.Fatal(err)
	}
	if _, _, err := h.Store.Claim(ctx, sub.ID, h.Clock.Now()); err != nil {
		h.t.Fatal(err)
	}
	if err := h.Store.Fail(ctx, sub.ID, "resource not found (404 status code)"); err != nil {
		h.t.Fatal(err)
	}
	return sub.ID
}

// publish approves the draft, which must publish.
func (h *harness) publish() int64 {
	h.t.Helper()
	is, err := h.desk.Approve(context.Background(), "kim")
	if err != nil {
		h.t.Fatal(err)
	}
	return is.ID
}

// refusal is what a use case must refuse with: its kind and code, and
// words its English and Korean messages hold ("" for none).
type refusal struct {
	kind          Kind
	code          string
	english, ko   string
	field         string
	wantViolation string // a rule among the violations, "" for none
}

// check reports err against want, the zero refusal meaning success.
func (want refusal) check(t *testing.T, err error) {
	t.Helper()
	if want.code == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want an *Error %s", err, err, want.code)
	}
	if e.Kind != want.kind || e.Code != want.code || e.Field != want.field {
		t.Errorf("kind %d code %q field %q, want %d %q %q (%s)", e.Kind, e.Code, e.Field, want.kind, want.code, want.field, e.Message)
	}
	if !strings.Contains(e.Message, want.english) || strings.Contains(e.Message, "\n") {
		t.Errorf("message %q, want one line holding %q", e.Message, want.english)
	}
	if !strings.Contains(e.Korean, want.ko) {
		t.Errorf("Korean %q lacks %q", e.Korean, want.ko)
	}
	for _, bad := range []string{"(를)", "(가)", "(는)", "(로)", "(와)"} {
		if strings.Contains(e.Korean, bad) {
			t.Errorf("Korean %q says %s", e.Korean, bad)
		}
	}
	if want.wantViolation != "" {
		found := false
		for _, v := range e.Violations {
			found = found || v.Rule == want.wantViolation
		}
		if !found {
			t.Errorf("violations %+v lack rule %q", e.Violations, want.wantViolation)
		}
	}
}
