package form

import (
	"net/http"
	"strconv"
	"strings"
)

// ExcludeForm leaves an entry out of the issue, or takes it back in.
type ExcludeForm struct {
	Excluded bool
}

// NewExcludeForm reads the exclude button of r.
func NewExcludeForm(r *http.Request) *ExcludeForm {
	return &ExcludeForm{Excluded: r.PostFormValue("excluded") == "1"}
}

// Validate accepts either choice.
func (f *ExcludeForm) Validate() error { return nil }

// MoveForm moves an entry one place up or down, or to a position.
type MoveForm struct {
	Dir      string // "up", "down" or "" for Position
	Position int
}

// NewMoveForm reads the move form of r.
func NewMoveForm(r *http.Request) *MoveForm {
	f := &MoveForm{Dir: r.PostFormValue("dir")}
	f.Position, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("position")))
	return f
}

// Validate reports an unknown direction or a position below 1.
func (f *MoveForm) Validate() error {
	switch {
	case f.Dir != "" && f.Dir != "up" && f.Dir != "down":
		return errorf("dir", "이동 방향을 알 수 없습니다.")
	case f.Dir == "" && f.Position < 1:
		return errorf("position", "위치는 1 이상의 숫자여야 합니다.")
	}
	return nil
}

// Target is the position to move an entry now at current to; the store
// keeps it within the issue.
func (f *MoveForm) Target(current int) int {
	p := f.Position
	switch f.Dir {
	case "up":
		p = current - 1
	case "down":
		p = current + 1
	}
	return max(1, p)
}

// RegenerateForm asks Gemini again for an entry, with an optional
// instruction ("더 짧게").
type RegenerateForm struct {
	Instruction string
}

// NewRegenerateForm reads the regenerate form of r.
func NewRegenerateForm(r *http.Request) *RegenerateForm {
	return &RegenerateForm{Instruction: value(r, "instruction", true)}
}

// Validate reports an instruction that is not UTF-8 or too long.
func (f *RegenerateForm) Validate() error {
	if err := checkText("instruction", "지시", f.Instruction, MaxInstruction); err != nil {
		return err
	}
	return nil
}

// IntroForm is the opening paragraph of the issue.
type IntroForm struct {
	Intro string
}

// NewIntroForm reads the opening paragraph's form of r.
func NewIntroForm(r *http.Request) *IntroForm {
	return &IntroForm{Intro: strings.TrimSpace(value(r, "intro", false))}
}

// Validate reports an opening that is not UTF-8 or too long.
func (f *IntroForm) Validate() error {
	if err := checkText("intro", "여는 글", f.Intro, MaxField); err != nil {
		return err
	}
	return nil
}
