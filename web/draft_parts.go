package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
)

// partsHeader is the header desk.js sends with a form of the landing page
// ("draft") or the article editor's save ("entry") it posts itself, and
// the answer's header saying it holds the page's parts: on the landing
// page the plan, the preview and the card, list or opening paragraph that
// changed; in the editor all but the source article; each an element
// whose id names the one it replaces. Without it (without JavaScript) an
// action is answered as always, with a redirect to the page.
const partsHeader = "X-Desk-Parts"

// wantsParts reports whether r is an action posted by the landing page's
// script, which replaces what changed in place.
func wantsParts(r *http.Request) bool { return r.Header.Get(partsHeader) == "draft" }

// draftAnswer answers an action taken on the landing page: for its script
// the page's parts, f beside entry at (0: beside the list); otherwise a
// redirect to back, f shown there.
func (h *Handler) draftAnswer(w http.ResponseWriter, r *http.Request, back string, at int64, f flash) {
	if !wantsParts(r) {
		h.redirect(w, r, back, f)
		return
	}
	h.draftPartsWith(w, r, http.StatusOK, at, f, nil)
}

// draftFailure answers a desk error of an action taken on the landing
// page: its reason in Korean beside entry at, or as deskFailure does.
func (h *Handler) draftFailure(w http.ResponseWriter, r *http.Request, err error, back string, at int64) {
	if !wantsParts(r) {
		h.deskFailure(w, r, err, back)
		return
	}
	f, known := deskFlash(err)
	if !known {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("desk action refused", append(zapRequest(r), zap.Error(err))...)
	h.draftPartsWith(w, r, deskStatus(desk.AsError(err).Kind), at, f, nil)
}

// draftPartsWith answers the landing page's parts with f beside entry at
// (0: beside the list); card, when not nil, changes that entry's card.
func (h *Handler) draftPartsWith(w http.ResponseWriter, r *http.Request, status int, at int64, f flash, card func(*entryCard)) {
	p, err := h.draftData(r)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	placed := false
	for i := range p.Cards {
		if p.Cards[i].SubmissionID == at {
			p.Cards[i].Flash = &f
			if card != nil {
				card(&p.Cards[i])
			}
			placed = true
		}
	}
	switch {
	case placed && cardOnly(r):
		p.Parts = "card"
	case !placed && f.Text != "":
		p.ListFlashes = append(p.ListFlashes, f)
	}
	h.writeParts(w, r, status, p)
}

// writeParts answers the landing page's parts of p.
func (h *Handler) writeParts(w http.ResponseWriter, r *http.Request, status int, p draftPage) {
	h.writeFragment(w, r, status, "draft", "parts", "draft", p)
}

// writeFragment answers template name of page's set with data, saying in
// partsHeader that it holds kind's parts.
func (h *Handler) writeFragment(w http.ResponseWriter, r *http.Request, status int, page, name, kind string, data any) {
	var b bytes.Buffer
	if err := h.pages.sets[page].ExecuteTemplate(&b, name, view{L: layout{Loc: h.loc}, Data: data}); err != nil {
		h.internalError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Length", strconv.Itoa(b.Len()))
	hd.Set(partsHeader, kind)
	hd.Set("Vary", partsHeader)
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// cardOnly reports whether r's action changes its entry's card and no
// other (leaving out, taking back in, regenerating): its answer holds
// that card, not the whole list. A move renumbers the others.
func cardOnly(r *http.Request) bool {
	return !strings.HasSuffix(r.URL.Path, "/move")
}
