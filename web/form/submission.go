package form

import (
	"net/http"
	"strings"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// SubmissionForm submits a link, as POST /api/v1/submissions does.
type SubmissionForm struct {
	URL         string
	SubmittedBy string
	Note        string
}

// NewSubmissionForm reads the submission form of r.
func NewSubmissionForm(r *http.Request) *SubmissionForm {
	return &SubmissionForm{URL: value(r, "url", true), SubmittedBy: value(r, "submitted_by", true), Note: value(r, "note", true)}
}

// Validate checks the link as the API does, without any traffic to it
// (bad syntax, not http(s), a private or loopback address unless cfg
// allows it), and returns the submission to store, its URL normalised.
func (f *SubmissionForm) Validate(cfg config.Fetcher) (store.NewSubmission, error) {
	if f.URL == "" {
		return store.NewSubmission{}, errorf("url", "링크를 입력하세요.")
	}
	if err := checkText("url", "링크", f.URL, 4000); err != nil {
		return store.NewSubmission{}, err
	}
	if err := fetcher.CheckURL(f.URL, cfg); err != nil {
		return store.NewSubmission{}, errorf("url", "받을 수 없는 링크입니다: %s", strings.TrimPrefix(err.Error(), "fetcher: "))
	}
	u, err := urlnorm.Normalize(f.URL)
	if err != nil {
		return store.NewSubmission{}, errorf("url", "받을 수 없는 링크입니다: %s", strings.TrimPrefix(err.Error(), "fetcher: "))
	}
	if err := checkText("submitted_by", "제출자", f.SubmittedBy, MaxSubmittedBy); err != nil {
		return store.NewSubmission{}, err
	}
	if err := checkText("note", "메모", f.Note, MaxNote); err != nil {
		return store.NewSubmission{}, err
	}
	return store.NewSubmission{URL: u, SubmittedBy: f.SubmittedBy, Note: f.Note}, nil
}
