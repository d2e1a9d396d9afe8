package hashnode_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
	"github.com/godevcommunity/newsletter/retry"
)

func withNewsletter(c *hashnode.Config) { c.Newsletter = true }

// TestNewsletterEmailsOnce: with the newsletter on, the first publication
// is a draft with activateNewsletter, then published, which emails the
// subscribers; a lost answer on each create and a correction after it
// leave one post and one email.
func TestNewsletterEmailsOnce(t *testing.T) {
	for _, lost := range []string{"", "createDraft", "publishDraft"} {
		t.Run("lost "+lost, func(t *testing.T) {
			h := newHarness(t, hashnode.ModePublish, withNewsletter)
			if lost != "" {
				h.srv.FailNext(lost, hashnodetest.LostAnswer())
				if _, err := h.publish(issue()); !errors.Is(err, hashnode.ErrUnconfirmed) {
					t.Fatalf("after a lost %s: %v, want unconfirmed", lost, err)
				}
				h.clock.Advance(settle)
			}
			res, err := h.publish(issue())
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if res.PostID == "" || res.URL == "" {
				t.Errorf("result %+v names no post", res)
			}
			corrected := issue()
			corrected.ContentMarkdown += "\n고침\n"
			if res, err := h.publish(corrected); err != nil || res.Action != hashnode.ActionUpdated {
				t.Fatalf("correction: %+v %v, want updated", res, err)
			}
			posts := h.srv.Posts()
			if len(posts) != 1 || !posts[0].Newsletter || !strings.Contains(posts[0].ContentMarkdown, "고침") {
				t.Fatalf("posts = %+v, want one emailed post with the correction", posts)
			}
			if got := h.srv.Newsletters(); len(got) != 1 {
				t.Errorf("subscribers emailed %d times (%v), want once", len(got), got)
			}
			if n := len(h.srv.Drafts()); n != 0 {
				t.Errorf("%d drafts left, want 0", n)
			}
		})
	}
}

// TestNewsletterOffIsRefusedBeforeSending: a publication whose newsletter
// feature is off gets a clear error and no mutation.
func TestNewsletterOffIsRefusedBeforeSending(t *testing.T) {
	for _, mode := range []hashnode.Mode{hashnode.ModePublish, hashnode.ModeDraft} {
		t.Run(string(mode), func(t *testing.T) {
			h := newHarness(t, mode, withNewsletter)
			h.srv.SetNewsletter(false)
			_, err := h.publish(issue())
			if !errors.Is(err, hashnode.ErrNewsletterOff) || !retry.IsPermanent(err) {
				t.Fatalf("err = %v, want a permanent ErrNewsletterOff", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "newsletter feature off") || !strings.Contains(msg, "nothing was sent") {
				t.Errorf("message %q does not say why and that nothing was sent", msg)
			}
			for _, f := range h.srv.Fields() {
				if f != "publication" {
					t.Errorf("a %s was sent to a publication whose newsletter is off", f)
				}
			}
		})
	}
}

// TestDraftLinkThenPublish: the test send's draft (with activateNewsletter)
// is the draft that publishing publishes: one email, one post.
func TestDraftLinkThenPublish(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish, withNewsletter)
	res, err := h.client.Draft(context.Background(), issueKey, issue())
	if err != nil {
		t.Fatalf("Draft: %v", err)
	}
	drafts := h.srv.Drafts()
	if len(drafts) != 1 || !drafts[0].ActivateNewsletter || res.URL != hashnode.DraftURL(drafts[0].ID) {
		t.Fatalf("Draft = %+v, drafts %+v: want one draft with the newsletter on and its link", res, drafts)
	}
	if _, err := h.publish(issue()); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	posts := h.srv.Posts()
	if len(posts) != 1 || posts[0].FromDraft != drafts[0].ID || len(h.srv.Newsletters()) != 1 {
		t.Fatalf("posts %+v, emails %v: want the test draft published once", posts, h.srv.Newsletters())
	}
	// A test send after publication leaves the post alone.
	if res, err := h.client.Draft(context.Background(), issueKey, issue()); err != nil || res.PostID != posts[0].ID {
		t.Errorf("Draft after publication = %+v %v, want the post", res, err)
	}
	if len(h.srv.Drafts()) != 0 || len(h.srv.Newsletters()) != 1 {
		t.Errorf("a test send after publication made a draft or an email")
	}
}

// TestDraftTooLarge: a test send's draft over Hashnode's limit is refused
// before anything is sent, with the size, as Publish refuses a post.
func TestDraftTooLarge(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	p := issue()
	p.ContentMarkdown = strings.Repeat("가나다라마바사 ", 5000) // 110,000 bytes of UTF-8
	_, err := h.client.Draft(context.Background(), issueKey, p)
	if !errors.Is(err, hashnode.ErrTooLarge) || !retry.IsPermanent(err) ||
		!strings.Contains(err.Error(), "hashnode createDraft "+p.Slug+": the request body would be") ||
		!strings.Contains(err.Error(), "nothing was sent") {
		t.Fatalf("Draft of a huge issue = %v, want a permanent ErrTooLarge naming the size", err)
	}
	if n := len(h.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
