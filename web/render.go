package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// assets holds the templates and the static files, embedded.
//
//go:embed assets
var assets embed.FS

// pageNames are the templates under assets/templates besides layout.html;
// each defines "title" and "content".
var pageNames = []string{"signin", "draft", "entry", "publish", "submissions", "issues", "issue", "status", "message"}

// pages holds one template set per page, each with the layout.
type pages struct {
	sets map[string]*template.Template
}

func parsePages() (*pages, error) {
	p := &pages{sets: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "assets/templates/layout.html", "assets/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// layout is what every page's frame shows.
type layout struct {
	Title   string
	Actor   string // "" on the sign-in page
	Open    bool   // no token configured: no sign-out
	Nav     string // the current section, for aria-current
	Flashes []flash
	// Paused are the dependencies paused now, and Version the program's:
	// shown on every page, to editors only.
	Paused  []pipeline.DependencyStatus
	Version string
	CSS, JS string // static file paths with their version
	Loc     *time.Location
}

// view is what a page's template gets: the frame and the page's own data.
type view struct {
	L    layout
	Data any
}

// render writes page name with data, status, in the frame: for editors
// (a session, or no token configured) with the dependencies paused now
// and the version.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, nav string, data any) {
	se := sessionOf(r)
	l := layout{Open: h.open(), Nav: nav, CSS: staticPath("desk.css"), JS: staticPath("desk.js"), Loc: h.loc}
	if se != nil {
		l.Actor = se.actor
		l.Flashes = h.sessions.takeFlashes(se)
	}
	// What the service is up to is for editors, not for anyone who opens
	// the sign-in page or a page that is not there.
	if se != nil || h.open() {
		l.Version = h.opts.Version
		if h.opts.Pauses != nil {
			for _, d := range h.opts.Pauses.Status() {
				if !d.Up {
					l.Paused = append(l.Paused, d)
				}
			}
		}
	}
	h.write(w, status, name, view{L: l, Data: data})
}

// write answers with page name of v. The page is rendered in full before
// anything is sent, so a failure is a clean 500.
func (h *Handler) write(w http.ResponseWriter, status int, name string, v view) {
	var b bytes.Buffer
	if err := h.pages.sets[name].Execute(&b, v); err != nil {
		h.log.Error("rendering a page failed", zap.String("page", name), zap.Error(err))
		http.Error(w, "서버 오류로 페이지를 만들지 못했습니다. 서버 로그를 보세요.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// messagePage is a page that only says something.
type messagePage struct {
	Status int
	Text   string
}

// renderStatus answers with a page saying text.
func (h *Handler) renderStatus(w http.ResponseWriter, r *http.Request, status int, text string) {
	h.render(w, r, status, "message", "", messagePage{Status: status, Text: text})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.renderStatus(w, r, http.StatusNotFound, "없는 페이지입니다.")
}

// internalError logs err and answers 500 without details.
func (h *Handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("request failed", append(zapRequest(r), zap.Error(err))...)
	h.renderStatus(w, r, http.StatusInternalServerError, "서버 오류가 났습니다. 서버 로그를 보세요.")
}

func zapRequest(r *http.Request) []zap.Field {
	return []zap.Field{zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.String("by", actor(r))}
}

// redirect answers a form's post: the page to read next, with a message.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to string, f flash) {
	if se := sessionOf(r); se != nil && f.Text != "" {
		h.sessions.addFlash(se, f)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func done(format string, args ...any) flash { return flash{Text: fmt.Sprintf(format, args...)} }

func failed(format string, args ...any) flash {
	return flash{Error: true, Text: fmt.Sprintf(format, args...)}
}

// deskFlash says in Korean why a desk operation on what failed, or is
// false for an error that is the server's own (logged and answered 500).
func (h *Handler) deskFlash(ctx context.Context, err error, on target) (flash, bool) {
	var ee *desk.EditError
	var busy *edition.BusyError
	switch {
	case errors.As(err, &ee):
		return failed("%s", violationsText(ee.Violations)), true
	case errors.Is(err, desk.ErrNotFound) && on.entry != 0:
		if _, err := h.opts.Store.Submission(ctx, on.entry); err == nil { // a submission with no summary
			return failed("%s", h.conflictText(ctx, on)), true
		}
		return failed("글 #%d을(를) 찾을 수 없습니다.", on.entry), true
	case errors.Is(err, desk.ErrNotFound):
		return failed("찾을 수 없습니다."), true
	case errors.As(err, &busy) && busy.ID == 0:
		return failed("발행이 진행 중입니다. 끝난 뒤 다시 시도하세요."), true
	case errors.As(err, &busy):
		return failed("발행 실행 #%d이 진행 중입니다. 끝난 뒤 다시 시도하세요.", busy.ID), true
	case errors.Is(err, desk.ErrWeekTaken):
		return failed("이번 주 호는 이미 나갔습니다. 이 초안은 다음 주 호로 나갑니다."), true
	case errors.Is(err, desk.ErrNothingToPublish):
		return failed("발행할 글이 없습니다: 이번 주 초안이 비어 있고 검토를 기다리는 호도 없습니다."), true
	case errors.Is(err, desk.ErrStateChanged):
		return failed("그 사이에 글의 상태가 바뀌었습니다(삭제, 재시도, 발행). 다시 읽어 보세요."), true
	case errors.Is(err, desk.ErrConflict):
		return failed("%s", h.conflictText(ctx, on)), true
	case retry.IsOutage(err):
		return failed("%s", h.outageText(retry.Classify(err))), true
	}
	return flash{}, false
}

// target is what a desk action was on: the entry of a submission, an
// issue, or (the zero target) the upcoming issue.
type target struct {
	entry, issue int64
}

// conflictText says in Korean why an action on t does not fit the state
// t is in now, which it reads again (the store's conflict says it in
// English, for the log).
func (h *Handler) conflictText(ctx context.Context, t target) string {
	switch {
	case t.entry != 0:
		sub, err := h.opts.Store.Submission(ctx, t.entry)
		if err != nil {
			break
		}
		switch sub.State {
		case store.StateDeleted:
			return fmt.Sprintf("글 #%d은(는) 지워졌습니다.", t.entry)
		case store.StateNew, store.StateProcessing:
			return fmt.Sprintf("글 #%d은(는) 아직 요약되지 않았습니다(%s). 요약된 뒤에 고칠 수 있습니다.", t.entry, stateLabel(string(sub.State)))
		case store.StateFailed, store.StateDuplicate:
			return fmt.Sprintf("글 #%d은(는) %s 상태라 요약이 없습니다. 요약된 글과 발행된 호의 글만 고칠 수 있습니다.", t.entry, stateLabel(string(sub.State)))
		}
		return fmt.Sprintf("글 #%d은(는) 지금 %s 상태라 할 수 없습니다. 페이지를 새로 고쳐 다시 보세요.", t.entry, stateLabel(string(sub.State)))
	case t.issue != 0:
		is, err := h.opts.Store.Issue(ctx, t.issue)
		if err != nil {
			break
		}
		switch is.State {
		case store.IssueReview:
			return fmt.Sprintf("%d호는 검토를 기다립니다: 다시 발행하지 말고 이번 호에서 승인하세요.", t.issue)
		case store.IssuePublishing:
			return fmt.Sprintf("%d호는 발행 중입니다. 끝난 뒤 다시 시도하세요.", t.issue)
		}
		return fmt.Sprintf("%d호는 지금 %s 상태라 할 수 없습니다. 페이지를 새로 고쳐 다시 보세요.", t.issue, issueStateLabel(string(is.State)))
	}
	return "지금 상태에서는 할 수 없습니다. 페이지를 새로 고쳐 다시 보세요."
}

// outageText says in Korean that a dependency every article needs is
// unavailable, and until when if that is known; the status page has the
// reason.
func (h *Handler) outageText(c *retry.Error) string {
	when := "다시 쓸 수 있게 되면 다시 시도하세요."
	if !c.At.IsZero() {
		when = formatDateTime(c.At, h.loc) + " 이후에 다시 시도하세요."
	}
	return fmt.Sprintf("%s 사용 불가: 지금은 할 수 없습니다. %s 이유는 상태 페이지에 있습니다.", dependencyName(c.Dependency), when)
}

// violationsText lists in Korean the rules an edit broke, by field.
func violationsText(vs []desk.Violation) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		parts = append(parts, fieldLabel(v.Field)+": "+violationText(v))
	}
	return "고칠 곳이 있어 저장하지 않았습니다. " + strings.Join(parts, " ")
}

// staticFiles are the embedded static files and their version, the first
// hex digits of their SHA-256, which makes their URLs change with them.
var staticFiles = mustStatic()

type staticFile struct {
	body    []byte
	version string
	ctype   string
}

func mustStatic() map[string]staticFile {
	out := map[string]staticFile{}
	// The folder is embedded in the binary: reading it cannot fail.
	entries, _ := fs.ReadDir(assets, "assets/static")
	for _, e := range entries {
		b, _ := assets.ReadFile("assets/static/" + e.Name())
		ctype := "text/css; charset=utf-8"
		if strings.HasSuffix(e.Name(), ".js") {
			ctype = "text/javascript; charset=utf-8"
		}
		out[e.Name()] = staticFile{body: b, version: contentVersion(b), ctype: ctype}
	}
	return out
}

// staticPath is the URL of a static file, with its version.
func staticPath(name string) string {
	return Prefix + "static/" + name + "?v=" + url.QueryEscape(staticFiles[name].version)
}
