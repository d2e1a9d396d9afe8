package web

import (
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryExclude leaves an entry out of the issue, or takes it back in.
func (h *Handler) entryExclude(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	f := form.NewExcludeForm(r)
	back := backTo(r, fmt.Sprintf("%s#entry-%d", Prefix, id))
	e, err := h.opts.Desk.Edit(r.Context(), id, api.Change{Excluded: &f.Excluded}, actor(r))
	if err != nil {
		h.draftFailure(w, r, err, back, id)
		return
	}
	what := desk.Josa(fmt.Sprintf("#%d %s", id, e.Title), "을")
	if f.Excluded {
		h.draftAnswer(w, r, back, id, done("%s 이번 호에서 뺐습니다.", what))
		return
	}
	h.draftAnswer(w, r, back, id, done("%s 이번 호에 다시 넣었습니다.", what))
}

// backTo is the page a form came from, when it says so in its "back"
// field and that is a desk page; otherwise fallback.
func backTo(r *http.Request, fallback string) string {
	if b := r.PostFormValue("back"); b != "" {
		if s := safeNext(b); s == b {
			return s
		}
	}
	return fallback
}
