package web

import (
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// introUpdate sets the opening paragraph of the upcoming issue; one the
// desk refuses (too long, markup the newsletter writes itself) is shown
// again with why.
func (h *Handler) introUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := form.NewIntroForm(r)
	if err := h.opts.Desk.SetIntro(r.Context(), f.Intro); err != nil {
		if e := desk.AsError(err); e.Kind == desk.Invalid || e.Kind == desk.Unprocessable {
			h.draftRender(w, r, http.StatusUnprocessableEntity, &f.Intro, e.Korean)
			return
		}
		h.draftFailure(w, r, err, Prefix, 0)
		return
	}
	saved := done("여는 글을 저장했습니다.")
	if !wantsParts(r) {
		h.redirect(w, r, Prefix+"#intro", saved)
		return
	}
	p, err := h.draftData(r)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	p.IntroFlashes, p.Parts = []flash{saved}, "intro"
	h.writeParts(w, r, http.StatusOK, p)
}
