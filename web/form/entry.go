package form

import (
	"net/http"

	"github.com/godevcommunity/newsletter/store"
)

// EntryForm is the article editor: the five fields of an entry, and
// whether to save them or only preview them.
type EntryForm struct {
	Fields  map[store.Field]string
	Preview bool
}

// NewEntryForm reads the article editor's form of r. Fields the form does
// not hold are left out.
func NewEntryForm(r *http.Request) *EntryForm {
	f := &EntryForm{Fields: map[store.Field]string{}, Preview: r.PostFormValue("action") == "preview"}
	for _, name := range store.Fields {
		if _, ok := r.PostForm[string(name)]; ok {
			f.Fields[name] = value(r, string(name), name == store.FieldTitle)
		}
	}
	return f
}

// Validate reports a field that is not UTF-8 or too long; the markup
// rules are the desk's to check.
func (f *EntryForm) Validate() error {
	for _, name := range store.Fields {
		if v, ok := f.Fields[name]; ok {
			if err := checkText(string(name), label(name), v, MaxField); err != nil {
				return err
			}
		}
	}
	return nil
}

// Change is what the form changes of an entry whose fields are now
// current: only the fields whose text differs.
func (f *EntryForm) Change(current map[store.Field]string) store.Change {
	c := store.Change{Fields: map[store.Field]*string{}}
	for name, v := range f.Fields {
		if v != current[name] {
			c.Fields[name] = &v
		}
	}
	return c
}

// RevertForm asks for a field to go back to the model's text.
type RevertForm struct {
	Field store.Field
}

// NewRevertForm reads the revert button of r.
func NewRevertForm(r *http.Request) *RevertForm {
	return &RevertForm{Field: store.Field(r.PostFormValue("field"))}
}

// Validate reports a field that is not one of the five.
func (f *RevertForm) Validate() error {
	if !f.Field.Valid() {
		return errorf("field", "되돌릴 칸을 알 수 없습니다.")
	}
	return nil
}

func label(f store.Field) string {
	switch f {
	case store.FieldTitle:
		return "제목"
	case store.FieldSummary:
		return "요약"
	case store.FieldIntroduction:
		return "소개"
	case store.FieldRecommendation:
		return "추천"
	case store.FieldCaution:
		return "주의"
	}
	return string(f)
}
