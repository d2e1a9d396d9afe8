// Package form reads and checks the desk's HTML forms: one struct per
// form, built from a request by its NewXForm and checked by its Validate,
// so that parsing input never mixes with rendering pages.
package form

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Limits on what editors write, in characters, as in the API.
const (
	MaxField       = 5000
	MaxInstruction = 500
	MaxSubmittedBy = 100
	MaxNote        = 1000
	MaxToken       = 1000
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

// checkText reports a field that is not UTF-8 or longer than max characters.
func checkText(field, label, v string, max int) *Error {
	if !utf8.ValidString(v) {
		return errorf(field, "%s에 UTF-8이 아닌 글자가 있습니다.", label)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return errorf(field, "%s이(가) %d자입니다. %d자까지 쓸 수 있습니다.", label, n, max)
	}
	return nil
}
