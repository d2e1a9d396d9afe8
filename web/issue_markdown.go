package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/godevcommunity/newsletter/api"
)

// issueMarkdown downloads issue {id} as the markdown file publishing
// wrote (or would write, for an issue in review).
func (h *Handler) issueMarkdown(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	is, err := h.opts.Desk.Issue(r.Context(), id)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	h.sendMarkdown(w, is)
}

// draftMarkdown downloads the upcoming issue (the one in review, or the
// open draft) as the markdown file publishing it now would write: for a
// publication an editor posts by hand.
func (h *Handler) draftMarkdown(w http.ResponseWriter, r *http.Request) {
	is, err := h.opts.Desk.Draft(r.Context())
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	h.sendMarkdown(w, is)
}

// sendMarkdown answers is's markdown as a download, never rendered.
func (h *Handler) sendMarkdown(w http.ResponseWriter, is api.Issue) {
	name := fileName(is.Date.In(h.loc).Format("2006-01-02") + "-" + is.Slug + ".md")
	hd := w.Header()
	hd.Set("Content-Type", "text/markdown; charset=utf-8")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("Content-Length", strconv.Itoa(len(is.Markdown)))
	_, _ = w.Write([]byte(is.Markdown))
}

// fileName keeps letters, digits, '.', '-' and '_' of s, for a download's
// name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}
