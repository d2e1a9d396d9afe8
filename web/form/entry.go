package form

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
)

// EntryForm is the article editor: the five fields of an entry, the
// digest of each as the page loaded it, and whether to save them or only
// preview them.
type EntryForm struct {
	Fields map[string]string
	// Base is the Digest of each field as the form was loaded (its
	// "base_<field>" field); a field without one is compared with the
	// entry as it is now.
	Base    map[string]string
	Preview bool
}

// NewEntryForm reads the article editor's form of r. Fields the form does
// not hold are left out.
func NewEntryForm(r *http.Request) *EntryForm {
	f := &EntryForm{Fields: map[string]string{}, Base: map[string]string{},
		Preview: r.PostFormValue("action") == "preview"}
	for _, name := range api.Fields {
		if _, ok := r.PostForm[name]; ok {
			f.Fields[name] = value(r, name, name == api.FieldTitle)
		}
		if b := r.PostFormValue(BaseName(name)); b != "" {
			f.Base[name] = b
		}
	}
	return f
}

// BaseName is the name of the hidden field holding the Digest of field
// as loaded.
func BaseName(field string) string { return "base_" + field }

// Digest identifies the text of a field as the form reads it back (line
// ends "\n", the title trimmed): a field posted unchanged has the digest
// it was loaded with.
func Digest(field string, text string) string {
	sum := sha256.Sum256([]byte(normalize(text, field == api.FieldTitle)))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Edited lists the fields the editor changed: those whose text differs
// from the text the form was loaded with (from current, the entry as it
// is now, for a field posted without its digest).
func (f *EntryForm) Edited(current map[string]string) []string {
	var out []string
	for _, name := range api.Fields {
		v, ok := f.Fields[name]
		if !ok {
			continue
		}
		base, ok := f.Base[name]
		if !ok {
			base = Digest(name, current[name])
		}
		if Digest(name, v) != base {
			out = append(out, name)
		}
	}
	return out
}

// Change is what the form changes of an entry whose fields are now
// current: the fields the editor changed, unless the entry has a
// different text now than when the form was loaded. Those fields are the
// conflicts; when there is any, nothing is to be saved. A field changed
// meanwhile that the editor left alone keeps the entry's new text, and
// one the editor changed to what the entry now holds is no change.
func (f *EntryForm) Change(current map[string]string) (c api.Change, conflicts []string) {
	c = api.Change{Fields: map[string]*string{}}
	for _, name := range f.Edited(current) {
		v, now := f.Fields[name], Digest(name, current[name])
		if Digest(name, v) == now {
			continue
		}
		if base, ok := f.Base[name]; ok && base != now {
			conflicts = append(conflicts, name)
			continue
		}
		c.Fields[name] = &v
	}
	if len(conflicts) > 0 {
		return api.Change{}, conflicts
	}
	return c, nil
}

// RevertForm asks for a field to go back to the model's text.
type RevertForm struct {
	Field string
}

// NewRevertForm reads the revert button of r.
func NewRevertForm(r *http.Request) *RevertForm {
	return &RevertForm{Field: r.PostFormValue("field")}
}
