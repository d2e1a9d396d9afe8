package web

import (
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/store"
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
	e, err := h.opts.Desk.Edit(r.Context(), id, store.Change{Excluded: &f.Excluded}, actor(r))
	if err != nil {
		h.deskFailure(w, r, err, back, target{entry: id})
		return
	}
	if f.Excluded {
		h.redirect(w, r, back, done("#%d %s을(를) 이번 호에서 뺐습니다.", id, e.Title))
		return
	}
	h.redirect(w, r, back, done("#%d %s을(를) 이번 호에 다시 넣었습니다.", id, e.Title))
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
