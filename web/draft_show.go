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
	// Cards are the issue's entries as the page lists them.
	Cards []entryCard
	// Intro is the opening paragraph in the form, IntroError what is
	// wrong with it when it was not saved.
	Intro      string
	IntroError string
	// Refusal says, in Korean, why the upcoming issue cannot be published
	// now (desk's PublishRefusal); then nothing offers to publish it.
	Refusal string
	// ListFlashes and IntroFlashes say what an action taken in place did,
	// beside the list and beside the opening paragraph.
	ListFlashes, IntroFlashes []flash
	// Parts is what an answer of parts holds besides the plan and the
	// preview: "card" (the one with a Flash), "intro", or the list.
	Parts string
}

// entryCard is an entry in the landing page's list, with what is said
// beside it of the last action taken on it in place.
type entryCard struct {
	api.Entry
	Flash *flash
	// Instruction is a regeneration's instruction typed and refused, kept
	// in its form, which is then open.
	Instruction string
	Open        bool
}

// draftShow shows the upcoming issue: the open draft, or the issue frozen
// for review, rendered as it will be published, with every entry's state
// and controls, what Gemini cost for it so far, and when it goes out.
func (h *Handler) draftShow(w http.ResponseWriter, r *http.Request) {
	h.draftRender(w, r, http.StatusOK, nil, "")
}

// draftRender renders the landing page; intro, when not nil, is an opening
// paragraph that was not saved, for the reason given. A request from the
// page's script gets the page's parts instead.
func (h *Handler) draftRender(w http.ResponseWriter, r *http.Request, status int, intro *string, introErr string) {
	p, err := h.draftData(r)
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	p.IntroError = introErr
	if intro != nil {
		p.Intro, p.Parts = *intro, "intro"
	}
	if wantsParts(r) {
		// An action of the page that another handler answers with a
		// redirect here (a failed article's retry): its message by the list.
		if se := sessionOf(r); se != nil {
			p.ListFlashes = h.sessions.takeFlashes(se)
		}
		h.writeParts(w, r, status, p)
		return
	}
	h.render(w, r, status, "draft", "draft", p)
}

// draftData reads what the landing page shows.
func (h *Handler) draftData(r *http.Request) (draftPage, error) {
	is, err := h.opts.Desk.Draft(r.Context())
	if err != nil {
		return draftPage{}, err
	}
	body, _, err := publisher.IssueHTML([]byte(is.Markdown))
	if err != nil {
		return draftPage{}, err
	}
	p := draftPage{Issue: is, HTML: body, Plan: h.opts.Desk.PlanOf(is), Intro: is.Intro}
	if err := h.opts.Desk.PublishRefusal(r.Context(), is, false); err != nil {
		p.Refusal = desk.AsError(err).Korean
	}
	for _, e := range is.Entries {
		if !e.Excluded {
			p.Included++
		}
		p.Cards = append(p.Cards, entryCard{Entry: e})
	}
	return p, nil
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
