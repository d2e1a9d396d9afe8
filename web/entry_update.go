package web

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryUpdate saves the fields of the article editor the editor changed,
// or, for the preview button (the preview without JavaScript), shows
// them as they would be published without saving. A field counts as
// changed when its text differs from the text the page was loaded with;
// when a changed field was changed meanwhile as well (by another editor,
// by a regeneration), nothing is saved and the editor is shown both. An
// edit the desk refuses is shown again as typed, with each problem by its
// field.
func (h *Handler) entryUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	f := form.NewEntryForm(r)
	typed := &entryInput{typed: f.Fields, base: f.Base}
	if f.Preview {
		h.entryRender(w, r, http.StatusOK, id, typed)
		return
	}
	cur, err := h.opts.Desk.Entry(r.Context(), id)
	if err != nil {
		h.deskFailure(w, r, err, Prefix)
		return
	}
	now := entryFields(cur)
	c, conflicts := f.Change(now)
	if len(conflicts) > 0 {
		// The form again with the editor's changes and the entry's text
		// now in every other field, loaded as it is now: saving it again
		// saves what the editor typed.
		in := &entryInput{typed: map[string]string{}, conflicts: conflicts}
		for _, name := range f.Edited(now) {
			in.typed[name] = f.Fields[name]
		}
		h.log.Info("entry edit refused: changed meanwhile", zap.Int64("submission_id", id), zap.String("by", actor(r)),
			zap.Strings("fields", conflicts))
		h.entryRender(w, r, http.StatusConflict, id, in)
		return
	}
	back := fmt.Sprintf("%sentries/%d", Prefix, id)
	if len(c.Fields) == 0 {
		h.savedAnswer(w, r, back, id, done("바뀐 칸이 없습니다."))
		return
	}
	e, err := h.opts.Desk.Edit(r.Context(), id, c, actor(r))
	if de := desk.AsError(err); err != nil && (de.Kind == desk.Invalid || de.Kind == desk.Unprocessable) {
		typed.problems = problemsOf(de)
		h.entryRender(w, r, http.StatusUnprocessableEntity, id, typed)
		return
	}
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	var changed []string
	for _, name := range api.Fields {
		if _, ok := c.Fields[name]; ok {
			changed = append(changed, name)
		}
	}
	h.log.Info("entry edited", zap.Int64("submission_id", id), zap.String("by", actor(r)), zap.Strings("fields", changed))
	h.savedAnswer(w, r, back, id, done("%s 저장했습니다.", desk.Josa(fmt.Sprintf("#%d의 %s", e.SubmissionID, fieldsText(changed)), "을")))
}

// savedAnswer answers a save: for the editor's script the editor's parts
// with f beside the save button, else a redirect to back, f shown there.
func (h *Handler) savedAnswer(w http.ResponseWriter, r *http.Request, back string, id int64, f flash) {
	if r.Header.Get(partsHeader) != "entry" {
		h.redirect(w, r, back, f)
		return
	}
	h.entryRender(w, r, http.StatusOK, id, &entryInput{saved: &f})
}

// problemsOf are the problems of a refused edit by field, in Korean: each
// rule it broke, or the one check of its input it failed.
func problemsOf(e *desk.Error) []problem {
	if len(e.Violations) == 0 {
		return []problem{{field: e.Field, text: e.Korean}}
	}
	out := make([]problem, 0, len(e.Violations))
	for _, v := range e.Violations {
		out = append(out, problem{field: v.Field, text: desk.ViolationKorean(v)})
	}
	return out
}
