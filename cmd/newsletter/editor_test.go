package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// runAppAsked runs the command line as runApp does, with answer on stdin
// and stdin a terminal when terminal is set.
func runAppAsked(t *testing.T, env map[string]string, answer string, terminal bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{
		stdout: &out, stderr: &errb,
		getenv:        func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		stdin:         strings.NewReader(answer),
		stdinTerminal: terminal,
	}
	code = a.main(context.Background(), args)
	return code, out.String(), errb.String()
}

// TestEditorCommands: the opening paragraph set, shown, edited in $EDITOR
// and removed; the status as tables with its times in schedule.timezone,
// the zone named; publishing the open draft before its run asks first on
// a terminal and needs --yes without one; then the open draft is next
// week's, in words and in JSON. The token is given by flag.
func TestEditorCommands(t *testing.T) {
	dir := t.TempDir()
	site := newArticleSite(t)
	cfg := daemonTestConfig(dir, geminitest.NewServer(t).URL)
	cfg.Schedule.Mode = config.ModeReview
	cfg.Schedule.Timezone = "Asia/Seoul"
	cfg.Server.Token = "desk-token"
	_, _, env, _ := serveForTest(t, cfg, clockwork.NewFakeClockAt(issueDate))
	env["NEWSLETTER_SCHEDULE_TIMEZONE"] = "Asia/Seoul"
	cli := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := runApp(t, env, append(args, "--token", "desk-token")...)
		if code != want {
			t.Fatalf("newsletter %s: exit %d, want %d; stdout %s; stderr %s", strings.Join(args, " "), code, want, out, errs)
		}
		return out + errs
	}
	if code, _, errs := runApp(t, env, "status", "--token", "wrong"); code != 1 || !strings.Contains(errs, "401") {
		t.Errorf("a wrong --token: code %d, %q", code, errs)
	}
	cli(0, "submit", site.URL+"/posts/generics")
	waitFor(t, "the summary", func() bool { return strings.Contains(cli(0, "draft"), "1 articles") })

	// The opening paragraph.
	if out := cli(0, "intro", "--show"); !strings.Contains(out, "no opening paragraph") {
		t.Errorf("intro --show with none: %q", out)
	}
	if out := cli(0, "intro", "--text", "이번 주에는 제네릭을 다룹니다."); !strings.Contains(out, "saved: 이번 주에는 제네릭을 다룹니다.") {
		t.Errorf("intro --text: %q", out)
	}
	env["VISUAL"] = editorScript(t, "편집기에서 고친 여는 글입니다.\n"+scissors+"\nhelp, dropped")
	if out := cli(0, "intro"); !strings.Contains(out, "saved: 편집기에서 고친 여는 글입니다.") {
		t.Errorf("intro in $EDITOR: %q", out)
	}
	delete(env, "VISUAL")
	if out := cli(0, "intro", "--show"); strings.TrimSpace(out) != "편집기에서 고친 여는 글입니다." {
		t.Errorf("intro --show: %q", out)
	}
	if out := cli(0, "draft"); !strings.Contains(out, "opening: 편집기에서 고친 여는 글입니다.") {
		t.Errorf("draft lacks the opening paragraph:\n%s", out)
	}
	if out := cli(2, "intro", "--show", "--clear"); !strings.Contains(out, "exclude each other") {
		t.Errorf("intro --show --clear: %q", out)
	}
	if out := cli(0, "intro", "--clear"); !strings.Contains(out, "opening paragraph removed") {
		t.Errorf("intro --clear: %q", out)
	}

	// The status: tables, times in the schedule's zone with its name.
	out := cli(0, "status")
	for _, want := range []string{"review mode", "times in Asia/Seoul", "DEPENDENCY  STATE", "gemini", "SUBMISSIONS  COUNT", "summarized   1", "next run:  2024-09-09 06:00 KST"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "map[") {
		t.Errorf("status prints a Go map:\n%s", out)
	}

	// Publishing the open draft early: asked on a terminal, --yes without one.
	args := []string{"publish", "--token", "desk-token"}
	if code, _, errs := runAppAsked(t, env, "", false, args...); code != 2 || !strings.Contains(errs, "add --yes") {
		t.Errorf("publish off a terminal: code %d, stderr %q; want 2 and --yes named", code, errs)
	}
	code, stdout, errs := runAppAsked(t, env, "n\n", true, args...)
	if code != 0 || !strings.Contains(errs, "has not been through the week's run yet") || !strings.Contains(errs, "with 1 article, to every outlet? [y/N]") ||
		!strings.Contains(stdout, "not published") {
		t.Errorf("publish answered no: code %d, stdout %q, stderr %q", code, stdout, errs)
	}
	if out := cli(0, "draft"); !strings.Contains(out, "(draft,") {
		t.Errorf("the draft after a no:\n%s", out)
	}
	code, stdout, errs = runAppAsked(t, env, "y\n", true, args...)
	if code != 0 || !strings.Contains(stdout, "published") || strings.Contains(stdout, "not published") {
		t.Errorf("publish answered yes: code %d, stdout %q, stderr %q", code, stdout, errs)
	}
	// This week's issue out, the open draft is next week's and says so.
	if out := cli(0, "draft"); !strings.Contains(out, "September 9th (draft, 2024-09-09)") || !strings.Contains(out, "next week's issue") {
		t.Errorf("the draft after publishing:\n%s", out)
	}
	out = cli(0, "draft", "--json")
	for _, want := range []string{`"week": "2024-W37"`, `"date": "2024-09-09T06:00:00+09:00"`, `"week_taken": true`, `"publishable": false`,
		`"code": "nothing_to_publish"`} {
		if !strings.Contains(out, want) {
			t.Errorf("draft --json lacks %s:\n%.600s", want, out)
		}
	}

	// delete takes several ids: each refusal said, the others deleted.
	cli(0, "submit", site.Add("/posts/next-week", "Next week's article"))
	waitFor(t, "next week's summary", func() bool { return strings.Contains(cli(0, "submissions"), "summarized") })
	out = cli(1, "delete", "2", "1", "99")
	for _, want := range []string{"#2 deleted", "submission 1 cannot be deleted: it is in published issue 1", "submission 99 not found"} {
		if !strings.Contains(out, want) {
			t.Errorf("delete 2 1 99 lacks %q:\n%s", want, out)
		}
	}
}
