package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
)

// assets holds the templates and the static files, embedded.
//
//go:embed assets
var assets embed.FS

// pageNames are the templates under assets/templates besides layout.html;
// each defines "title" and "content".
var pageNames = []string{"signin", "draft", "entry", "publish", "submissions", "issues", "issue", "status", "message", "suggestions"}

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
	Paused  []api.Dependency
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
		l.Version = h.opts.Desk.Version()
		for _, d := range h.opts.Desk.Dependencies() {
			if !d.Up {
				l.Paused = append(l.Paused, d)
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

// deskStatus is the status of a page answering a desk error: the desk's,
// but a form's wrong input is answered 422, with the form shown again.
func deskStatus(k desk.Kind) int {
	if k == desk.Invalid {
		return http.StatusUnprocessableEntity
	}
	return k.Status()
}

// retryAfter says, on a refusal that knows when to try again, when
// (desk.Error.RetryAfter).
func (h *Handler) retryAfter(w http.ResponseWriter, e *desk.Error) {
	if secs, ok := e.RetryAfter(h.opts.Now()); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
}

// deskPage answers a desk error reading a page: a page saying why in
// Korean, or 500 for the server's own errors.
func (h *Handler) deskPage(w http.ResponseWriter, r *http.Request, err error) {
	e := desk.AsError(err)
	if e.Kind == desk.Internal {
		h.internalError(w, r, err)
		return
	}
	h.renderStatus(w, r, deskStatus(e.Kind), e.Korean)
}

// deskFlash says in Korean why a desk action failed, or is false for an
// error that is the server's own (logged and answered 500).
func deskFlash(err error) (flash, bool) {
	e := desk.AsError(err)
	if e.Kind == desk.Internal {
		return flash{}, false
	}
	return flash{Error: true, Text: e.Korean}, true
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
