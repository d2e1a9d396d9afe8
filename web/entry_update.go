package web

import (
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryUpdate saves the article editor's fields that changed, or, for the
// preview button (the preview without JavaScript), shows them as they
// would be published without saving. An edit that breaks the markup rules
// is shown again as typed, with each problem by its field.
func (h *Handler) entryUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	f := form.NewEntryForm(r)
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		h.entryRender(w, r, http.StatusUnprocessableEntity, id, f.Fields, []desk.Violation{{Field: fe.Field, Detail: fe.Msg}})
		return
	}
	if f.Preview {
		h.entryRender(w, r, http.StatusOK, id, f.Fields, nil)
		return
	}
	cur, err := h.opts.Desk.Entry(r.Context(), id)
	if err != nil {
		h.deskFailure(w, r, err, Prefix)
		return
	}
	c := f.Change(entryFields(cur))
	back := fmt.Sprintf("%sentries/%d", Prefix, id)
	if len(c.Fields) == 0 {
		h.redirect(w, r, back, done("바뀐 칸이 없습니다."))
		return
	}
	e, err := h.opts.Desk.Edit(r.Context(), id, c, actor(r))
	var ee *desk.EditError
	if errors.As(err, &ee) {
		h.entryRender(w, r, http.StatusUnprocessableEntity, id, f.Fields, ee.Violations)
		return
	}
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	var names []string
	for _, name := range store.Fields {
		if _, changed := c.Fields[name]; changed {
			names = append(names, string(name))
		}
	}
	h.log.Info("entry edited", zap.Int64("submission_id", id), zap.String("by", actor(r)), zap.Strings("fields", names))
	h.redirect(w, r, back, done("#%d의 %s을(를) 저장했습니다.", e.SubmissionID, fieldsText(names)))
}
