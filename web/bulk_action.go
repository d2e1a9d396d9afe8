package web

import (
	"errors"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// bulkDone says in Korean what a bulk action did to n submissions.
var bulkDone = map[string]string{
	api.BulkExclude: "글 %d개를 이번 호에서 뺐습니다.",
	api.BulkInclude: "글 %d개를 이번 호에 다시 넣었습니다.",
	api.BulkRetry:   "제출 %d개를 다시 대기열에 넣었습니다.",
	api.BulkDelete:  "제출 %d개를 지웠습니다.",
}

// bulkAction applies the button's action to every entry or submission
// ticked (the landing page's exclude and include, the submissions page's
// retry and delete), each through its own use case: it says how many
// were done and, one by one, why each other was refused.
func (h *Handler) bulkAction(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	back := Prefix
	if r.URL.Path == "/desk/submissions/bulk" {
		back = backTo(r, "/desk/submissions")
	}
	f := form.NewBulkForm(r)
	var flashes []flash
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		flashes = append(flashes, failed("%s", fe.Msg))
	} else {
		out, err := h.opts.Desk.Bulk(r.Context(), f.Action, f.IDs, actor(r))
		if err != nil {
			h.draftFailure(w, r, err, back, 0)
			return
		}
		res := desk.BulkResult(f.Action, out)
		h.log.Info("bulk action", zap.String("action", f.Action), zap.Int("done", res.Done), zap.Int("refused", res.Refused), zap.String("by", actor(r)))
		if res.Done > 0 {
			flashes = append(flashes, done(bulkDone[f.Action], res.Done))
		}
		for _, o := range out {
			if o.Err != nil {
				flashes = append(flashes, failed("#%d: %s", o.ID, o.Err.Korean))
			}
		}
	}
	if len(flashes) == 0 { // nothing done and nothing refused: say so rather than nothing
		flashes = append(flashes, done("바뀐 글이 없습니다."))
	}
	if !wantsParts(r) {
		for _, fl := range flashes[:len(flashes)-1] {
			h.sessions.addFlash(sessionOf(r), fl)
		}
		h.redirect(w, r, back, flashes[len(flashes)-1])
		return
	}
	p, err := h.draftData(r)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	p.ListFlashes = flashes
	h.writeParts(w, r, http.StatusOK, p)
}
