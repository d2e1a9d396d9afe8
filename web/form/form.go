// Package form reads the desk's HTML forms: one struct per form, built
// from a request by its NewXForm, so that parsing input never mixes with
// rendering pages. What a form holds is checked by package desk, as for
// every other front end; a form checks only what is its own (a choice
// among its buttons).
package form

import (
	"fmt"
	"net/http"
	"strings"
)

// Error is what is wrong with a form, in words for the editor.
type Error struct {
	Field string // the form field, "" for the whole form
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

func errorf(field, format string, args ...any) *Error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// value returns a form field as typed: trimmed when trim, line ends made
// "\n" (browsers send a textarea's as "\r\n").
func value(r *http.Request, name string, trim bool) string {
	return normalize(r.PostFormValue(name), trim)
}

// normalize makes line ends "\n" and, when trim, trims spaces around v.
func normalize(v string, trim bool) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	v = strings.ReplaceAll(v, "\r", "\n")
	if trim {
		v = strings.TrimSpace(v)
	}
	return v
}
