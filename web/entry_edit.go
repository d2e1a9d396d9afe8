package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/web/form"
)

// entryPage is the article editor.
type entryPage struct {
	Entry  api.Entry
	Fields []fieldView
	// Preview is the entry as it will be published, with the fields as
	// shown (Unsaved: as typed, not yet saved).
	Preview template.HTML
	Unsaved bool
	// Article is the source article's extracted text; nil when it is gone.
	Article *api.Article
	History []eventView
	// Versions are every text each field has had, by field, the latest
	// first.
	Versions []versionGroup
	// Problems are what kept the fields from being saved.
	Problems []string
	// Conflicts name the fields not saved because the entry changed
	// meanwhile (another editor, a regeneration) as well.
	Conflicts []string
	// Instruction is the regeneration's instruction as typed, kept when
	// the regeneration was refused; RegenRefusal says why in Korean (the
	// rules Gemini's answer broke, what the attempt cost).
	Instruction, RegenRefusal string
	// Saved says what a save posted by the editor's script did, beside
	// its button.
	Saved *flash
}

// fieldView is one of the five fields in the editor.
type fieldView struct {
	Name, Label string
	Value       string
	// Base is the form.Digest of the field's text the form was loaded
	// with, posted back to tell the editor's changes from the store's.
	Base      string
	Multiline bool
	Edited    bool
	Model     string // the model's text, for an edited field
	Problem   string
	// Conflict marks a field changed meanwhile as well; Current is its
	// text now.
	Conflict bool
	Current  string
}

// versionGroup is the versions of one field.
type versionGroup struct {
	Field, Label string
	Versions     []api.Version
}

// eventView is one line of an entry's history.
type eventView struct {
	At     time.Time
	Kind   string
	Actor  string
	Detail string
	// Field, From and To are an edit's.
	Field, From, To string
}

// entryEdit shows the article editor of submission {id}.
func (h *Handler) entryEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	h.entryRender(w, r, http.StatusOK, id, nil)
}

// entryInput is the article editor's form posted and shown again, not
// saved.
type entryInput struct {
	typed map[string]string // the fields as typed
	// base are the digests the form was loaded with; a field without one
	// gets that of its text now.
	base      map[string]string
	problems  []problem
	conflicts []string
	// regen is a refused regeneration, when the page answers one.
	regen *regenInput
	// saved is what a save did, for the editor's script (partsHeader).
	saved *flash
}

// regenInput is a regeneration refused: the instruction as typed and why.
type regenInput struct {
	instruction string
	refusal     *desk.Error
}

// problem is what kept a field from being saved, in Korean.
type problem struct{ field, text string }

// entryRender renders the editor of submission id; in, when not nil, is
// the form as posted, shown as typed, with what kept it from being saved.
func (h *Handler) entryRender(w http.ResponseWriter, r *http.Request, status int, id int64, in *entryInput) {
	ctx := r.Context()
	e, err := h.opts.Desk.Entry(ctx, id)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	if in == nil {
		in = &entryInput{}
	}
	p := entryPage{Entry: e, Unsaved: in.typed != nil, Saved: in.saved}
	if rg := in.regen; rg != nil {
		p.Instruction, p.RegenRefusal = rg.instruction, rg.refusal.Korean
	}
	current := entryFields(e)
	values := entryFields(e)
	for f, v := range in.typed {
		values[f] = v
	}
	byField := map[string]string{}
	for _, v := range in.problems {
		byField[v.field] += v.text + " "
		p.Problems = append(p.Problems, desk.InputLabel(v.field)+": "+v.text)
	}
	for _, f := range in.conflicts {
		p.Conflicts = append(p.Conflicts, desk.InputLabel(f))
	}
	for _, f := range api.Fields {
		fv := fieldView{Name: f, Label: desk.InputLabel(f), Value: values[f], Base: in.base[f],
			Multiline: f != api.FieldTitle, Problem: byField[f], Conflict: slices.Contains(in.conflicts, f)}
		if fv.Base == "" {
			fv.Base = form.Digest(f, current[f])
		}
		if fv.Conflict {
			fv.Current = current[f]
		}
		if m, edited := e.ModelText[f]; edited {
			fv.Edited, fv.Model = true, m
		}
		p.Fields = append(p.Fields, fv)
	}
	if a, err := h.opts.Desk.Article(ctx, id); err == nil {
		p.Article = &a
	} else if desk.AsError(err).Kind != desk.NotFound {
		h.internalError(w, r, err)
		return
	}
	p.Preview = h.opts.Desk.EntryHTML(e, values)
	events, err := h.opts.Desk.History(ctx, id)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	for i := len(events) - 1; i >= 0; i-- { // the latest first
		p.History = append(p.History, toEventView(events[i]))
	}
	vs, err := h.opts.Desk.Versions(ctx, id)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	for _, f := range api.Fields {
		g := versionGroup{Field: f, Label: desk.InputLabel(f)}
		for i := len(vs) - 1; i >= 0; i-- {
			if vs[i].Field == f {
				g.Versions = append(g.Versions, vs[i])
			}
		}
		p.Versions = append(p.Versions, g)
	}
	if r.Header.Get(partsHeader) == "entry" {
		h.writeFragment(w, r, status, "entry", "entry-parts", "entry", p)
		return
	}
	h.render(w, r, status, "entry", "draft", p)
}

// entryFields are the entry's five fields as they will be published.
func entryFields(e api.Entry) map[string]string {
	out := make(map[string]string, len(api.Fields))
	for _, f := range api.Fields {
		out[f] = e.Field(f)
	}
	return out
}

func toEventView(ev api.Event) eventView {
	v := eventView{At: ev.At, Kind: ev.Kind, Actor: ev.Actor, Detail: ev.Detail}
	if len(ev.Edit) > 0 {
		var edit struct{ Field, From, To string }
		if json.Unmarshal(ev.Edit, &edit) == nil {
			v.Field, v.From, v.To = edit.Field, edit.From, edit.To
		}
	}
	var pos int
	if ev.Kind == "moved" {
		if _, err := fmt.Sscanf(ev.Detail, "to position %d", &pos); err == nil {
			v.Detail = fmt.Sprintf("%d번째로", pos)
		}
	}
	return v
}
