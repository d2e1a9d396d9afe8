package form

import (
	"net/http"
	"strconv"
)

// SuggestionForm picks candidates to accept or dismiss: one by its own
// button ("one"), or those checked ("id", the bulk buttons).
type SuggestionForm struct {
	IDs []int64
	// Source is the filter of the page the form was on, to go back to.
	Source string
}

// NewSuggestionForm reads the candidates' form of r.
func NewSuggestionForm(r *http.Request) (*SuggestionForm, *Error) {
	f := &SuggestionForm{Source: value(r, "source", true)}
	vals := r.PostForm["id"]
	if one := r.PostFormValue("one"); one != "" {
		vals = []string{one}
	}
	for _, v := range vals {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return nil, errorf("id", "후보 번호를 읽을 수 없습니다: %q.", v)
		}
		f.IDs = append(f.IDs, id)
	}
	return f, nil
}
