package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/godevcommunity/newsletter/internal/browsertest"
)

// fourEntries puts four of the publisher's fixture articles in the draft.
func fourEntries(h *harness) []int64 {
	fixtures := usableFixtures(h.t)
	var ids []int64
	for i := range 4 {
		ids = append(ids, h.addEntry(draftEntry{Article: fixtures[i%len(fixtures)], SubmittedBy: "kim"}))
	}
	return ids
}

// order is the draft's entries by position, excluded ones marked "x".
func (h *harness) order() string {
	h.t.Helper()
	is, err := h.desk.Draft(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, e := range is.Entries {
		s := fmt.Sprint(e.SubmissionID)
		if e.Excluded {
			s += "x"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// The landing page's actions answer a form without JavaScript with a
// redirect and the confirmation on the next page, as always; posted by
// the page's script (X-Desk-Parts) the same action answers the page's
// parts, the confirmation inside the card it is about, or by the list for
// a bulk action, each refusal with its reason.
func TestDraftActionsAnswer(t *testing.T) {
	h := newHarness(t, withTokens)
	ids := fourEntries(h)
	c := h.client()
	c.signIn(kimToken)
	parts := []string{partsHeader, "draft"}
	tests := []struct {
		name   string
		path   string
		form   url.Values
		header []string
		status int
		want   []string // in the answer, or on the page after the redirect
		order  string
		list   bool // the answer's parts hold the whole list, not one card
	}{
		{"exclude, no JavaScript", fmt.Sprintf("/desk/entries/%d/exclude", ids[1]), url.Values{"excluded": {"1"}}, nil,
			http.StatusSeeOther, []string{"이번 호에서 뺐습니다."}, "1 2x 3 4", false},
		{"include, in place", fmt.Sprintf("/desk/entries/%d/exclude", ids[1]), url.Values{"excluded": {"0"}}, parts,
			http.StatusOK, []string{`id="entry-2"`, `이번 호에 다시 넣었습니다.</p>`}, "1 2 3 4", false},
		{"move up, in place", fmt.Sprintf("/desk/entries/%d/move", ids[2]), url.Values{"dir": {"up"}}, parts,
			http.StatusOK, []string{"#3을 2번째로 옮겼습니다."}, "1 3 2 4", true},
		{"move to a position, no JavaScript", fmt.Sprintf("/desk/entries/%d/move", ids[3]), url.Values{"position": {"1"}}, nil,
			http.StatusSeeOther, []string{"#4를 1번째로 옮겼습니다."}, "4 1 3 2", false},
		{"bulk exclude, no JavaScript", "/desk/draft/bulk", url.Values{"action": {"exclude"}, "id": {"1", "3"}}, nil,
			http.StatusSeeOther, []string{"글 2개를 이번 호에서 뺐습니다."}, "4 1x 3x 2", false},
		{"bulk include with a refusal, in place", "/desk/draft/bulk", url.Values{"action": {"include"}, "id": {"1", "99"}}, parts,
			http.StatusOK, []string{"글 1개를 이번 호에 다시 넣었습니다.", "#99: "}, "4 1 3x 2", true},
		{"bulk with nothing ticked", "/desk/draft/bulk", url.Values{"action": {"exclude"}}, parts,
			http.StatusOK, []string{"먼저 글을 하나 이상 고르세요."}, "4 1 3x 2", true},
		{"bulk, an unknown action", "/desk/draft/bulk", url.Values{"action": {"publish"}, "id": {"1"}}, nil,
			http.StatusSeeOther, []string{"알 수 없는 일괄 작업입니다."}, "4 1 3x 2", false},
		{"move, a refusal in place", fmt.Sprintf("/desk/entries/%d/move", 99), url.Values{"dir": {"up"}}, parts,
			http.StatusNotFound, []string{"#99를 찾을 수 없습니다"}, "4 1 3x 2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("POST", tt.path, tt.form, tt.header...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			body := r.body
			if tt.header == nil {
				if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/desk/") {
					t.Fatalf("redirected to %q", loc)
				}
				body = c.get("/desk/").body
			} else {
				if r.header.Get(partsHeader) != "draft" || strings.Contains(body, "<html") || !strings.Contains(body, `id="plan"`) || !strings.Contains(body, `id="issue-preview"`) {
					t.Errorf("the answer is not the page's parts (%s): %.300s", r.header.Get(partsHeader), body)
				}
				if got := strings.Contains(body, `id="entries"`); got != tt.list || strings.Count(body, `<li id="entry-`) != map[bool]int{true: 4, false: 1}[tt.list] {
					t.Errorf("the answer holds the list: %v, want %v; %d cards", got, tt.list, strings.Count(body, `<li id="entry-`))
				}
				if strings.Contains(tt.path, "/entries/") && tt.status == http.StatusOK {
					card := body[strings.Index(body, `<li id="entry-`+strings.Split(tt.path, "/")[3]+`"`):]
					card = card[:strings.Index(card, "</li>")]
					if !strings.Contains(card, "data-flash>") {
						t.Errorf("the confirmation is not in the card:\n%s", card)
					}
				}
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("the answer lacks %q", want)
				}
			}
			if got := h.order(); got != tt.order {
				t.Errorf("the draft is %q, want %q", got, tt.order)
			}
		})
	}
}

// TestSubmissionsBulk: the submissions page retries and deletes the
// submissions ticked, each refusal said with its reason.
func TestSubmissionsBulk(t *testing.T) {
	h := newHarness(t, withTokens)
	ids := fourEntries(h)
	c := h.client()
	c.signIn(kimToken)
	if page := c.get("/desk/submissions"); !strings.Contains(page.body, `action="/desk/submissions/bulk"`) || !strings.Contains(page.body, `form="bulk" name="id"`) {
		t.Fatal("the submissions page has no bulk form")
	}
	r := c.post("/desk/submissions/bulk", url.Values{"action": {"retry"}, "id": {fmt.Sprint(ids[0])}, "back": {"/desk/submissions"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/desk/submissions" {
		t.Fatalf("bulk retry: %d %s", r.status, r.header.Get("Location"))
	}
	if text := textOf(t, c.get("/desk/submissions").body); !strings.Contains(text, "#1: 제출 #1은 요약됨 상태라 다시 시도할 수 없습니다") {
		t.Errorf("the refusal is not said:\n%s", text)
	}
}

// TestDraftInBrowser drives the landing page in Chromium with JavaScript:
// an entry excluded in place, without a reload, its confirmation inside
// its card and said to screen readers, the opening paragraph being typed
// untouched; a card moved with Alt+ArrowUp,
// keeping the focus; a card dragged onto another; two ticked and excluded
// together; the markdown copied (or shown selected). The store holds
// every change.
func TestDraftInBrowser(t *testing.T) {
	b := browsertest.New(t)
	h := newHarness(t, nil)
	fourEntries(h)
	tab := b.Tab()
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, steps...); err != nil {
			t.Fatal(err)
		}
	}
	wait := func(what, expr string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, 10*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
			dump, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.href + " " + document.body.innerText.slice(0, 600)`))
			t.Fatalf("%s: %v; the list shows:\n%s", what, err, dump)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	listed := `Array.from(document.querySelectorAll("#entry-list > li")).map(li => li.dataset.id + (li.classList.contains("excluded") ? "x" : "")).join(" ")`
	run(chromedp.Navigate(h.srv.URL+"/desk/"), js(`window.samePage = true`))

	// Exclude in place; an opening paragraph being typed stays as typed.
	run(chromedp.SetValue(chromedp.ID("intro-text"), "쓰는 중인 여는 글"),
		chromedp.Click(chromedp.CSS("#entry-2 form[action$='/exclude'] button")))
	wait("the confirmation in the card", `!!document.querySelector("#entry-2.excluded [data-flash]")`)
	if got := eval(`document.querySelector("#entry-2 [data-flash]").textContent`); !strings.HasSuffix(got, "이번 호에서 뺐습니다.") {
		t.Errorf("the card says %q", got)
	}
	if got := eval(`String(window.samePage) + " " + document.querySelectorAll("main [data-flash]").length`); got != "true 1" {
		t.Errorf("after excluding in place: page kept, flashes = %s, want true 1", got)
	}
	wait("the live region", `document.getElementById("live").textContent.includes("이번 호에서 뺐습니다")`)
	if got := eval(`document.getElementById("intro-text").value`); got != "쓰는 중인 여는 글" {
		t.Errorf("after the exclusion the opening paragraph being typed is %q", got)
	}
	if got := h.order(); got != "1 2x 3 4" {
		t.Errorf("after the exclusion the draft is %q", got)
	}

	// Keyboard: Alt+ArrowUp on the focused third card.
	run(js(`document.getElementById("entry-3").focus(), true`),
		chromedp.KeyEvent(kb.ArrowUp, chromedp.KeyModifiers(chromedp.ModifierAlt)))
	wait("the keyboard move", listed+` === "1 3 2x 4"`)
	if got := eval(`document.activeElement.id`); got != "entry-3" {
		t.Errorf("after the move the focus is on %q, want the moved card", got)
	}
	wait("the move said", `document.getElementById("live").textContent.includes("#3을 2번째로 옮겼습니다")`)

	// Drag the fourth card onto the first.
	run(js(`(function () {
		var dt = new DataTransfer(), from = document.getElementById("entry-4"), to = document.getElementById("entry-1");
		from.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: dt}));
		to.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: dt}));
		to.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: dt}));
		from.dispatchEvent(new DragEvent("dragend", {bubbles: true, dataTransfer: dt}));
		return true;
	})()`))
	wait("the drag move", listed+` === "4 1 3 2x"`)

	// Tick two and exclude them together.
	run(chromedp.Click(chromedp.ID("pick-1")), chromedp.Click(chromedp.ID("pick-3")))
	wait("the ticks", `document.getElementById("pick-1").checked && document.getElementById("pick-3").checked`)
	run(chromedp.Click(chromedp.CSS(`#bulk button[value=exclude]`)))
	wait("the bulk exclusion", listed+` === "4 1x 3x 2x"`)
	if got := eval(`document.querySelector("#entries > [data-flash]").textContent`); got != "글 2개를 이번 호에서 뺐습니다." {
		t.Errorf("the list says %q", got)
	}
	if got := h.order(); got != "4 1x 3x 2x" {
		t.Errorf("the draft is %q, want what the page shows", got)
	}
	if got := eval(`String(window.samePage)`); got != "true" {
		t.Error("the page was reloaded")
	}

	// The markdown's copy button: copied, or shown selected.
	run(chromedp.Click(chromedp.ID("md-copy")))
	wait("the copy", `document.getElementById("md-state").textContent !== ""`)
	state := eval(`document.getElementById("md-state").textContent`)
	switch {
	case strings.Contains(state, "복사했습니다"):
	case strings.Contains(state, "선택된 글을 복사하세요"):
		if got := eval(`(function(){var a=document.getElementById("md-text");return String(!document.getElementById("md-fallback").hidden && a.selectionEnd - a.selectionStart === a.value.length && a.value.includes("## "))})()`); got != "true" {
			t.Error("the markdown is not shown selected")
		}
	default:
		t.Errorf("after the copy button: %q", state)
	}
}

// js is an action running expr in the page.
func js(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](expr)(ctx, t)
		return chromedp.Void{}, err
	}
}
