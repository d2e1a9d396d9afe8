package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// editorScript writes a script that an editor command runs as $VISUAL: it
// replaces the file it is given with text, as an editor saving it would.
func editorScript(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.WriteFile(content, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "editor.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat '"+content+"' > \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

// TestEditorsDesk is the editor's workflow through serve and the CLI:
// five links in, the draft read, two fields of one article edited in
// $EDITOR, another excluded, a third regenerated with an instruction,
// published; the file holds exactly the edits and four articles; a second
// run of the week keeps them; a file changed by hand is kept beside the
// new one when the issue is published again.
func TestEditorsDesk(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	cfg := daemonTestConfig(dir, gemini.URL)
	cfg.Schedule.Mode = config.ModeReview
	cfg.Server.Token = "desk-token"
	cfg, c, env, _ := serveForTest(t, cfg, clockwork.NewFakeClockAt(issueDate))
	cli := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := runApp(t, env, args...)
		if code != want {
			t.Fatalf("newsletter %s: exit %d, want %d; stderr %s", strings.Join(args, " "), code, want, errs)
		}
		return out + errs
	}

	titles := []string{"Go generics in practice", "SQLite in WAL mode", "Structured logging with zap", "Fuzzing in Go", "Profiling with pprof"}
	for i, title := range titles {
		cli(0, "submit", site.Add(fmt.Sprintf("/desk/%d", i), title), "--by", "kim")
	}
	draft := func() api.Issue {
		t.Helper()
		var d api.Issue
		if err := json.Unmarshal([]byte(cli(0, "draft", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	waitFor(t, "five summaries in the draft", func() bool { return len(draft().Entries) == 5 })
	if d := draft(); d.State != "draft" || !strings.Contains(d.Markdown, "## ") || d.Usage.Requests != 5 {
		t.Errorf("draft = state %s, usage %+v", d.State, d.Usage)
	}

	// Two fields of #1 in $EDITOR.
	env["VISUAL"] = editorScript(t, "편집자가 고친 요약입니다. 이 글은 Go 제네릭을 실제로 쓰는 방법을 설명합니다.\n"+scissors+"\na comment line, dropped")
	cli(0, "edit", "1", "--field", "summary")
	env["VISUAL"] = editorScript(t, "편집한 제목")
	if out := cli(0, "edit", "1", "--field", "title"); !strings.Contains(out, "edited: title, summary") {
		t.Errorf("edit said %q", out)
	}
	// An edit with a heading is refused, naming the rule; the text typed
	// is kept in a file the command names, and the next edit of the field
	// reopens it.
	env["XDG_STATE_HOME"] = t.TempDir()
	if out := cli(1, "edit", "1", "--resume", "--field", "introduction"); !strings.Contains(out, "nothing to resume") {
		t.Errorf("--resume with nothing kept: %q", out)
	}
	env["VISUAL"] = editorScript(t, "## 제목을 넣은 소개")
	out := cli(1, "edit", "1", "--field", "introduction")
	if !strings.Contains(out, "introduction: heading") || !strings.Contains(out, "422") {
		t.Errorf("a heading in an edit: %q", out)
	}
	keptText := filepath.Join(env["XDG_STATE_HOME"], "newsletter", "edit-1-introduction.md")
	if b, err := os.ReadFile(keptText); err != nil || string(b) != "## 제목을 넣은 소개" || !strings.Contains(out, "your text is kept in "+keptText) {
		t.Errorf("the refused text is not kept in the file named (%q, %v): %q", b, err, out)
	}
	seen := filepath.Join(t.TempDir(), "seen")
	fixed := "제목 없이 고친 소개입니다. 이 글은 Go 제네릭을 실제로 쓰는 방법을 설명합니다."
	recorder := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(recorder, []byte("#!/bin/sh\ncp \"$1\" '"+seen+"'\nprintf '%s' '"+fixed+"' > \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env["VISUAL"] = recorder
	if out := cli(0, "edit", "1", "--field", "introduction"); !strings.Contains(out, "reopening the text the server refused") {
		t.Errorf("the next edit did not reopen the refused text: %q", out)
	}
	if b, _ := os.ReadFile(seen); !strings.HasPrefix(string(b), "## 제목을 넣은 소개\n") {
		t.Errorf("the editor opened %q, want the refused text", b)
	}
	if _, err := os.Stat(keptText); !os.IsNotExist(err) {
		t.Errorf("the kept text is still there after saving: %v", err)
	}
	// Every version is kept and any restored, through the API.
	status, body := c.do("GET", "/api/v1/submissions/1/versions")
	var vs struct{ Versions []api.Version }
	if err := json.Unmarshal(body, &vs); status != http.StatusOK || err != nil {
		t.Fatalf("GET versions: %d %s", status, body)
	}
	var modelIntro int64
	for _, v := range vs.Versions {
		if v.Field == "introduction" && v.Source == "model" {
			modelIntro = v.ID
		}
	}
	if modelIntro == 0 || len(vs.Versions) < 8 { // five of the model's, three edits
		t.Fatalf("versions: %s", body)
	}
	status, body = c.do("POST", fmt.Sprintf("/api/v1/submissions/1/versions/%d/restore", modelIntro))
	var restored api.Entry
	if err := json.Unmarshal(body, &restored); status != http.StatusOK || err != nil || slices.Contains(restored.Edited, "introduction") {
		t.Errorf("restoring the model's introduction: %d %s", status, body)
	}
	env["VISUAL"] = editorScript(t, fixed)
	cli(0, "edit", "1", "--field", "introduction")
	delete(env, "VISUAL")
	cli(0, "edit", "2", "--exclude")
	if out := cli(0, "regenerate", "3", "--instruction", "더 짧게"); !strings.Contains(out, "#3 regenerated") {
		t.Errorf("regenerate said %q", out)
	}
	reqs := gemini.GenerateRequests()
	if last := reqs[len(reqs)-1]; !strings.Contains(last.UserText(), "더 짧게") {
		t.Errorf("the regeneration's request lacks the instruction:\n%s", last.UserText())
	}

	if out := cli(0, "publish", "--yes"); !strings.Contains(out, "(4 articles)") {
		t.Errorf("publish said %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(cfg.Publisher.Dir, "*.md"))
	if len(files) != 1 {
		t.Fatalf("issue files %v, want one", files)
	}
	issue, _ := os.ReadFile(files[0])
	checkPublished := func(doc []byte) {
		t.Helper()
		md := string(doc)
		if n := strings.Count(md, "\n## ") - 1; n != 4 { // the closing 주의 too
			t.Errorf("the issue has %d articles, want 4:\n%s", n, md)
		}
		for _, want := range []string{"## 편집한 제목", "편집자가 고친 요약입니다."} {
			if !strings.Contains(md, want) {
				t.Errorf("the issue lacks the edit %q", want)
			}
		}
		if strings.Contains(md, "a comment line") || strings.Contains(md, "SQLite in WAL mode") {
			t.Errorf("the issue has the editor's comment or the excluded article:\n%s", md)
		}
	}
	checkPublished(issue)
	if code, latest := c.do("GET", "/api/v1/issues/latest"); code != 200 || !bytes.Equal(latest, issue) {
		t.Error("the latest issue differs from the file")
	}

	// A second run of the week keeps the edits.
	if code, body := c.do("POST", "/api/v1/runs"); code != http.StatusAccepted {
		t.Fatalf("second run: %d %s", code, body)
	}
	waitFor(t, "the second run", func() bool {
		_, body := c.do("GET", "/api/v1/runs/1")
		return strings.Contains(string(body), `"state": "succeeded"`)
	})
	again, _ := os.ReadFile(files[0])
	checkPublished(again)

	// A copy changed by hand is kept beside the one published again.
	hand := append(bytes.Clone(again), []byte("\n손으로 고친 줄\n")...)
	if err := os.WriteFile(files[0], hand, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := cli(0, "publish", "1"); !strings.Contains(out, "changed by hand") {
		t.Errorf("publishing again said %q", out)
	}
	kept, _ := filepath.Glob(filepath.Join(cfg.Publisher.Dir, "*.edited-*.md"))
	if len(kept) != 1 {
		t.Fatalf("kept copies %v, want one", kept)
	}
	if b, _ := os.ReadFile(kept[0]); !bytes.Equal(b, hand) {
		t.Error("the kept copy is not the hand-edited file")
	}
	if b, _ := os.ReadFile(files[0]); !bytes.Equal(b, again) {
		t.Error("the issue published again is not rebuilt from the database")
	}
	// A link already published is refused, naming the issue; --again
	// includes it once more, on purpose; --announce tells the chats of a
	// correction (none are configured here: it is accepted and said).
	first := site.URL + "/desk/0"
	if out := cli(1, "submit", first); !strings.Contains(out, "was already published in issue 1") || !strings.Contains(out, "already_published") {
		t.Errorf("submitting a published link: %q", out)
	}
	if out := cli(0, "submit", first, "--again"); !strings.Contains(out, "submitted #") {
		t.Errorf("submitting a published link again on purpose: %q", out)
	}
	cli(0, "publish", "1", "--announce")
	if out := cli(2, "publish", "--announce"); !strings.Contains(out, "--announce is for a published issue") {
		t.Errorf("--announce without an issue: %q", out)
	}
}
