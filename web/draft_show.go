package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/publisher"
)

// draftPage is the landing page: this week's issue.
type draftPage struct {
	Issue    api.Issue
	HTML     template.HTML // the draft as it will be published
	Plan     desk.Plan
	Included int
	// Intro is the opening paragraph in the form, IntroError what is
	// wrong with it when it was not saved.
	Intro      string
	IntroError string
	// Refusal says, in Korean, why the upcoming issue cannot be published
	// now (desk's PublishRefusal); then nothing offers to publish it.
	Refusal string
}

// draftShow shows the upcoming issue: the open draft, or the issue frozen
// for review, rendered as it will be published, with every entry's state
// and controls, what Gemini cost for it so far, and when it goes out.
func (h *Handler) draftShow(w http.ResponseWriter, r *http.Request) {
	h.draftRender(w, r, http.StatusOK, nil, "")
}

// draftRender renders the landing page; intro, when not nil, is an opening
// paragraph that was not saved, for the reason given.
func (h *Handler) draftRender(w http.ResponseWriter, r *http.Request, status int, intro *string, introErr string) {
	is, err := h.opts.Desk.Draft(r.Context())
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	body, _, err := publisher.IssueHTML([]byte(is.Markdown))
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	p := draftPage{Issue: is, HTML: body, Plan: h.opts.Desk.PlanOf(is), Intro: is.Intro, IntroError: introErr}
	if intro != nil {
		p.Intro = *intro
	}
	if err := h.opts.Desk.PublishRefusal(r.Context(), is, false); err != nil {
		p.Refusal = desk.AsError(err).Korean
	}
	for _, e := range is.Entries {
		if !e.Excluded {
			p.Included++
		}
	}
	h.render(w, r, status, "draft", "draft", p)
}

// pathID is the {id} of the path, false (and a 404 answered) when it is
// not a positive integer.
func (h *Handler) pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		h.notFound(w, r)
		return 0, false
	}
	return id, true
}
