package form

import (
	"net/http"
)

// SigninForm is the sign-in form: a token.
type SigninForm struct {
	Token string
	// Next is the page to open after signing in.
	Next string
}

// NewSigninForm reads the sign-in form of r.
func NewSigninForm(r *http.Request) *SigninForm {
	return &SigninForm{Token: value(r, "token", true), Next: r.PostFormValue("next")}
}
