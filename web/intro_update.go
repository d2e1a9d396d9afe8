package web

import (
	"errors"
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// introUpdate sets the opening paragraph of the upcoming issue; one that
// breaks the markup rules is shown again with why.
func (h *Handler) introUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := form.NewIntroForm(r)
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		h.draftRender(w, r, http.StatusUnprocessableEntity, &f.Intro, fe.Msg)
		return
	}
	if err := h.opts.Desk.SetIntro(r.Context(), f.Intro); err != nil {
		var ee *desk.EditError
		if errors.As(err, &ee) {
			h.draftRender(w, r, http.StatusUnprocessableEntity, &f.Intro, violationsText(ee.Violations))
			return
		}
		h.deskFailure(w, r, err, Prefix, target{})
		return
	}
	h.redirect(w, r, Prefix+"#intro", done("여는 글을 저장했습니다."))
}
