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

// Validate reports an unknown direction; the desk checks the position.
func (f *MoveForm) Validate() error {
	if f.Dir != "" && f.Dir != "up" && f.Dir != "down" {
		return errorf("dir", "이동 방향을 알 수 없습니다.")
	}
	return nil
}

// Target is the position to move an entry now at current to; the store
// keeps it within the issue, and the desk refuses a position below 1.
func (f *MoveForm) Target(current int) int {
	switch f.Dir {
	case "up":
		return max(1, current-1)
	case "down":
		return current + 1
	}
	return f.Position
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

// IntroForm is the opening paragraph of the issue.
type IntroForm struct {
	Intro string
}

// NewIntroForm reads the opening paragraph's form of r.
func NewIntroForm(r *http.Request) *IntroForm {
	return &IntroForm{Intro: strings.TrimSpace(value(r, "intro", false))}
}

// BulkForm is one action on the entries or submissions ticked: their
// checkboxes "id", the button "action".
type BulkForm struct {
	Action string
	IDs    []int64
}

// NewBulkForm reads the bulk form of r.
func NewBulkForm(r *http.Request) *BulkForm {
	f := &BulkForm{Action: r.PostFormValue("action")}
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			id = 0 // refused by Validate
		}
		f.IDs = append(f.IDs, id)
	}
	return f
}

// Validate asks for a tick; the desk checks the rest.
func (f *BulkForm) Validate() error {
	if len(f.IDs) == 0 {
		return errorf("id", "먼저 글을 하나 이상 고르세요.")
	}
	return nil
}
