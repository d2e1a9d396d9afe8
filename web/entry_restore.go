package web

import (
	"fmt"
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
)

// entryRestore gives a field of the entry {id} the text of its version
// {version} again: an edit like any other, kept as a version of its own.
func (h *Handler) entryRestore(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	vid, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil || vid < 1 {
		h.notFound(w, r)
		return
	}
	back := fmt.Sprintf("%sentries/%d", Prefix, id)
	vs, err := h.opts.Desk.Versions(r.Context(), id)
	if err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	label := "칸"
	for _, v := range vs {
		if v.ID == vid {
			label = desk.InputLabel(v.Field)
		}
	}
	if _, err := h.opts.Desk.Restore(r.Context(), id, vid, actor(r)); err != nil {
		h.deskFailure(w, r, err, back)
		return
	}
	h.log.Info("entry version restored", zap.Int64("submission_id", id), zap.Int64("version", vid), zap.String("by", actor(r)))
	h.redirect(w, r, back+"#versions-h", done("%s 이전 판으로 되돌렸습니다.", desk.Josa(label, "을")))
}
