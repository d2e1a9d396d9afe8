package form

import (
	"net/http"

	"github.com/godevcommunity/newsletter/desk"
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

// Validate reports an empty or oversized token.
func (f *SigninForm) Validate() error {
	if f.Token == "" {
		return errorf("token", "토큰을 입력하세요.")
	}
	if len(f.Token) > desk.MaxToken {
		return errorf("token", "토큰이 맞지 않습니다.")
	}
	return nil
}
