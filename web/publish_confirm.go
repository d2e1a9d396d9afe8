package web

import (
	"fmt"
	"net/http"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
)

// publishPage asks an editor to confirm a publication: what goes out and
// where, with the button that publishes it.
type publishPage struct {
	Issue api.Issue
	// Again: a published issue published again after corrections.
	Again bool
	// Articles are the entries that go out, Excluded those left out, and
	// Left the submissions failed or still waiting, which do not.
	Articles, Excluded, Left int
	Outlets                  api.Outlets
	Archive                  bool // server.public_archive: readers see it there
	// Action is where the confirmation posts; Back the page to return to.
	Action, Back string
	// Refusal says why it cannot be published now; then there is no button.
	Refusal string
	// Changed are the entries changed since the issue was last published,
	// for a publication again.
	Changed []api.Entry
}

func newPublishPage(h *Handler, r *http.Request, is api.Issue) publishPage {
	p := publishPage{Issue: is, Outlets: h.opts.Desk.Audience(r.Context()), Archive: h.opts.Server.PublicArchive,
		Left: len(is.Failed) + len(is.Pending)}
	for _, e := range is.Entries {
		if e.Excluded {
			p.Excluded++
		} else {
			p.Articles++
		}
	}
	return p
}

// draftPublishShow asks to confirm publishing the upcoming issue now (the
// issue in review, or the open draft): its title, its articles, and where
// it goes. Nothing is published before the editor confirms.
func (h *Handler) draftPublishShow(w http.ResponseWriter, r *http.Request) {
	is, err := h.opts.Desk.Draft(r.Context())
	if err != nil {
		h.deskPage(w, r, err)
		return
	}
	p := newPublishPage(h, r, is)
	p.Action, p.Back = Prefix+"draft/publish", Prefix
	if err := h.opts.Desk.PublishRefusal(r.Context(), is, false); err != nil {
		p.Refusal = desk.AsError(err).Korean
	}
	h.render(w, r, http.StatusOK, "publish", "draft", p)
}

// issuePublishShow asks to confirm publishing issue {id} again after
// corrections: the same file, slug and Hashnode post, with what it holds
// now.
func (h *Handler) issuePublishShow(w http.ResponseWriter, r *http.Request) {
	is, ok := h.pathIssue(w, r)
	if !ok {
		return
	}
	id := is.ID
	p := newPublishPage(h, r, is)
	p.Again, p.Left = true, 0
	for _, e := range is.Entries {
		if len(e.Changed) > 0 {
			p.Changed = append(p.Changed, e)
		}
	}
	p.Action, p.Back = fmt.Sprintf("%sissues/%d/publish", Prefix, id), fmt.Sprintf("%sissues/%d", Prefix, id)
	if err := h.opts.Desk.PublishRefusal(r.Context(), is, true); err != nil {
		p.Refusal = desk.AsError(err).Korean
	}
	h.render(w, r, http.StatusOK, "publish", "issues", p)
}
