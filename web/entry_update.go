package web

import (
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryUpdate saves the fields of the article editor the editor changed,
// or, for the preview button (the preview without JavaScript), shows
// them as they would be published without saving. A field counts as
// changed when its text differs from the text the page was loaded with;
// when a changed field was changed meanwhile as well (by another editor,
// by a regeneration), nothing is saved and the editor is shown both. An
// edit that breaks the markup rules is shown again as typed, with each
// problem by its field.
func (h *Handler) entryUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	f := form.NewEntryForm(r)
	typed := &entryInput{typed: f.Fields, base: f.Base}
	var fe *form.Error
	if err := f.Validate(); errors.As(err, &fe) {
		typed.problems = []desk.Violation{{Field: fe.Field, Detail: fe.Msg}}
		h.entryRender(w, r, http.StatusUnprocessableEntity, id, typed)
		return
	}
	if f.Preview {
		h.entryRender(w, r, http.StatusOK, id, typed)
		return
	}
	cur, err := h.opts.Desk.Entry(r.Context(), id)
	if err != nil {
		h.deskFailure(w, r, err, Prefix, target{entry: id})
		return
	}
	now := entryFields(cur)
	c, conflicts := f.Change(now)
	if len(conflicts) > 0 {
		// The form again with the editor's changes and the entry's text
		// now in every other field, loaded as it is now: saving it again
		// saves what the editor typed.
		in := &entryInput{typed: map[entry.Field]string{}, conflicts: conflicts}
		for _, name := range f.Edited(now) {
			in.typed[name] = f.Fields[name]
		}
		h.log.Info("entry edit refused: changed meanwhile", zap.Int64("submission_id", id), zap.String("by", actor(r)),
			zap.Strings("fields", fieldNames(conflicts)))
		h.entryRender(w, r, http.StatusConflict, id, in)
		return
	}
	back := fmt.Sprintf("%sentries/%d", Prefix, id)
	if len(c.Fields) == 0 {
		h.redirect(w, r, back, done("바뀐 칸이 없습니다."))
		return
	}
	e, err := h.opts.Desk.Edit(r.Context(), id, c, actor(r))
	var ee *desk.EditError
	if errors.As(err, &ee) {
		typed.problems = ee.Violations
		h.entryRender(w, r, http.StatusUnprocessableEntity, id, typed)
		return
	}
	if err != nil {
		h.deskFailure(w, r, err, back, target{entry: id})
		return
	}
	var changed []entry.Field
	for _, name := range entry.Fields {
		if _, ok := c.Fields[name]; ok {
			changed = append(changed, name)
		}
	}
	names := fieldNames(changed)
	h.log.Info("entry edited", zap.Int64("submission_id", id), zap.String("by", actor(r)), zap.Strings("fields", names))
	h.redirect(w, r, back, done("#%d의 %s을(를) 저장했습니다.", e.SubmissionID, fieldsText(names)))
}

// fieldNames are the names of fs.
func fieldNames(fs []entry.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
