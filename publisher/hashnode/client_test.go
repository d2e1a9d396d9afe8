package hashnode_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
	"github.com/godevcommunity/newsletter/retry"
)

func TestPublishModes(t *testing.T) {
	tests := []struct {
		mode       hashnode.Mode
		wantFields []string
		wantPosts  int
		wantDrafts int
	}{
		{hashnode.ModePublish, []string{"publication", "publication", "publishPost"}, 1, 0},
		{hashnode.ModeDraft, []string{"publication", "publication", "createDraft"}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			h := newHarness(t, tt.mode)
			p := issue()
			res, err := h.publish(p)
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if res.Action != hashnode.ActionCreated {
				t.Errorf("action = %s, want created", res.Action)
			}
			if got := h.srv.Fields(); !slices.Equal(got, tt.wantFields) {
				t.Errorf("requests = %v, want %v (post lookup, draft lookup, create)", got, tt.wantFields)
			}
			posts, drafts := h.srv.Posts(), h.srv.Drafts()
			if len(posts) != tt.wantPosts || len(drafts) != tt.wantDrafts {
				t.Fatalf("%d posts and %d drafts, want %d and %d", len(posts), len(drafts), tt.wantPosts, tt.wantDrafts)
			}
			wantTags := []hashnodetest.Tag{{Slug: "newsletter", Name: "newsletter"}, {Slug: "go", Name: "Go"}}
			var title, slug, content string
			var tags []hashnodetest.Tag
			var published time.Time
			if tt.mode == hashnode.ModePublish {
				got := posts[0]
				title, slug, content, tags, published = got.Title, got.Slug, got.ContentMarkdown, got.Tags, got.PublishedAt
				if res.PostID != got.ID || res.URL != got.URL || res.DraftID != "" {
					t.Errorf("result = %+v, want post %s at %s", res, got.ID, got.URL)
				}
			} else {
				got := drafts[0]
				title, slug, content, tags, published = got.Title, got.Slug, got.ContentMarkdown, got.Tags, got.PublishedAt
				if res.DraftID != got.ID || res.PostID != "" || res.URL != "" {
					t.Errorf("result = %+v, want draft %s and no URL", res, got.ID)
				}
				if !got.SlugOverridden {
					t.Errorf("draft made without slugOverridden: publishing it would derive a new slug from the title")
				}
			}
			if title != p.Title || slug != p.Slug || content != p.ContentMarkdown || !published.Equal(p.PublishedAt) || !slices.Equal(tags, wantTags) {
				t.Errorf("sent title %q slug %q tags %v date %s content %q; want %+v", title, slug, tags, published, content, p)
			}
			rec := h.record()
			if rec.PostID != res.PostID || rec.DraftID != res.DraftID || rec.Pending() {
				t.Errorf("ledger = %+v, want the result's ids, settled", rec)
			}
			for _, r := range h.srv.Requests() {
				if r.Authorization != "Bearer "+hashnodetest.Token {
					t.Errorf("%s sent Authorization %q, want the bearer token", r.Field, r.Authorization)
				}
			}
		})
	}
}

func TestCorrectedIssueUpdatesTheSamePost(t *testing.T) {
	tests := []struct {
		name string
		mode hashnode.Mode
		// forget starts the correction with an empty ledger, after the
		// cache window, so the post is found by its slug.
		forget bool
	}{
		{"publish, ledger", hashnode.ModePublish, false},
		{"publish, found by slug", hashnode.ModePublish, true},
		{"draft, ledger", hashnode.ModeDraft, false},
		{"draft, found by slug", hashnode.ModeDraft, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.mode)
			first, err := h.publish(issue())
			if err != nil {
				t.Fatalf("first Publish: %v", err)
			}
			client := h.client
			if tt.forget {
				client = h.newClient(&hashnode.MemoryLedger{})
				h.clock.Advance(hashnodetest.CacheTTL)
			}
			corrected := issue()
			corrected.Title += " (corrected)"
			corrected.ContentMarkdown = "## 고친 글\n"
			corrected.Tags = hashnode.ParseTags("newsletter")
			second, err := h.publishWith(client, corrected)
			if err != nil {
				t.Fatalf("second Publish: %v", err)
			}
			if second.Action != hashnode.ActionUpdated || second.PostID != first.PostID || second.DraftID != first.DraftID {
				t.Errorf("second result = %+v, want an update of %+v", second, first)
			}
			var title, content string
			var updates, n int
			if tt.mode == hashnode.ModePublish {
				posts := h.srv.Posts()
				n = len(posts) + len(h.srv.Drafts())
				title, content, updates = posts[0].Title, posts[0].ContentMarkdown, posts[0].Updates
			} else {
				drafts := h.srv.Drafts()
				n = len(drafts) + len(h.srv.Posts())
				title, content, updates = drafts[0].Title, drafts[0].ContentMarkdown, drafts[0].Updates
			}
			if n != 1 || updates != 1 || title != corrected.Title || content != corrected.ContentMarkdown {
				t.Errorf("%d posts and drafts, %d updates, title %q, content %q; want one, updated once with the correction", n, updates, title, content)
			}
		})
	}
}

// TestLostAnswerThenRetryLeavesOnePost loses the answer to each create
// after it took effect. Publish says the outcome is unknown and when it
// will know, sends nothing until then, and then finds what was made.
func TestLostAnswerThenRetryLeavesOnePost(t *testing.T) {
	tests := []struct {
		name   string
		mode   hashnode.Mode
		field  string
		drafts bool // a draft exists before, so publish mode publishes it
	}{
		{"publishPost", hashnode.ModePublish, "publishPost", false},
		{"createDraft", hashnode.ModeDraft, "createDraft", false},
		{"publishDraft", hashnode.ModePublish, "publishDraft", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.mode)
			if tt.drafts {
				if _, err := h.publishWith(h.newClient(h.ledger, func(c *hashnode.Config) { c.Mode = hashnode.ModeDraft }), issue()); err != nil {
					t.Fatalf("draft first: %v", err)
				}
			}
			h.srv.FailNext(tt.field, hashnodetest.LostAnswer())
			sent := h.clock.Now()
			_, err := h.publish(issue())
			wantAt := sent.Add(settle)
			checkUnconfirmed(t, err, wantAt)
			if !strings.Contains(err.Error(), "hashnode "+tt.field+" gdc-weekly-newsletter-march-2nd-2026: ") ||
				!strings.Contains(err.Error(), "unknown") {
				t.Errorf("error = %q, want it to name %s, the slug and the unknown outcome", err, tt.field)
			}
			if rec := h.record(); !rec.PendingSince.Equal(sent) || rec.PendingOp != tt.field {
				t.Errorf("ledger = %+v, want %s pending since %s", rec, tt.field, sent)
			}

			// Retries before the window ends send nothing.
			before := len(h.srv.Requests())
			for _, d := range []time.Duration{0, 10 * time.Second, settle - time.Second} {
				h.clock.Advance(d - h.clock.Since(sent))
				_, err := h.publish(issue())
				checkUnconfirmed(t, err, wantAt)
			}
			if n := len(h.srv.Requests()); n != before {
				t.Errorf("%d requests sent while the outcome was unknown, want none", n-before)
			}

			h.clock.Advance(time.Second)
			res, err := h.publish(issue())
			if err != nil {
				t.Fatalf("Publish after the window: %v", err)
			}
			posts, drafts := h.srv.Posts(), h.srv.Drafts()
			switch tt.mode {
			case hashnode.ModePublish:
				if len(posts) != 1 || len(drafts) != 0 || res.PostID != posts[0].ID || res.URL != posts[0].URL {
					t.Errorf("%d posts, %d drafts, result %+v; want exactly the one post", len(posts), len(drafts), res)
				}
			case hashnode.ModeDraft:
				if len(drafts) != 1 || len(posts) != 0 || res.DraftID != drafts[0].ID {
					t.Errorf("%d posts, %d drafts, result %+v; want exactly the one draft", len(posts), len(drafts), res)
				}
			}
			if rec := h.record(); rec.Pending() {
				t.Errorf("ledger still pending after settling: %+v", rec)
			}
		})
	}
}

func checkUnconfirmed(t *testing.T, err error, wantAt time.Time) {
	t.Helper()
	if !errors.Is(err, hashnode.ErrUnconfirmed) {
		t.Fatalf("error = %v, want ErrUnconfirmed", err)
	}
	c := retry.Classify(err)
	if c.Kind != retry.Transient || !c.At.Equal(wantAt) {
		t.Errorf("classified %s at %s, want transient at %s", c.Kind, c.At, wantAt)
	}
}

// TestStaleReadsAfterLostAnswer shows that the fake really answers a lookup
// from its cache after the post was made, and that Publish does not trust
// such a lookup: it creates no second post.
func TestStaleReadsAfterLostAnswer(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	h.srv.FailNext("publishPost", hashnodetest.LostAnswer())
	sent := h.clock.Now()
	if _, err := h.publish(issue()); !errors.Is(err, hashnode.ErrUnconfirmed) {
		t.Fatalf("first Publish: %v, want ErrUnconfirmed", err)
	}
	if n := len(h.srv.Posts()); n != 1 {
		t.Fatalf("%d posts after the lost answer, want the one it made", n)
	}

	// The same lookup the client makes, 20 s later, still says "no post".
	h.clock.Advance(20 * time.Second)
	lookup := hashnode.Documents()["post lookup"]
	stale := h.srv.Send(t, lookup, map[string]any{"publicationId": hashnodetest.PublicationID, "slug": issue().Slug})
	if post := stale.Data["publication"].(map[string]any)["post"]; post != nil || !stale.Cached {
		t.Fatalf("lookup 20 s after the create = %v (cached %v); the fake should answer stale here", post, stale.Cached)
	}

	// A second process with an empty ledger would believe it; this client
	// has the pending record and waits.
	if _, err := h.publish(issue()); !errors.Is(err, hashnode.ErrUnconfirmed) {
		t.Fatalf("Publish within the window: %v, want ErrUnconfirmed", err)
	}
	h.clock.Advance(settle - h.clock.Since(sent))
	res, err := h.publish(issue())
	if err != nil {
		t.Fatalf("Publish after the window: %v", err)
	}
	if posts := h.srv.Posts(); len(posts) != 1 || res.PostID != posts[0].ID || res.Action != hashnode.ActionUpdated {
		t.Errorf("posts = %+v, result %+v; want the one post, updated", posts, res)
	}
}

func TestErrorsInWords(t *testing.T) {
	huge := issue()
	huge.ContentMarkdown = strings.Repeat("가나다라마바사 ", 5000) // 110,000 bytes of UTF-8
	tests := []struct {
		name    string
		setup   func(*harness)
		opts    []option
		post    hashnode.Post
		kind    error
		want    string // the whole message, or its start when it ends in "…"
		sent    bool   // whether any request reached the server
		pending bool
	}{
		{
			name: "token refused",
			opts: []option{func(c *hashnode.Config) { c.Token = "revoked-token" }},
			post: issue(), kind: hashnode.ErrUnauthenticated, sent: true,
			want: "hashnode post lookup gdc-weekly-newsletter-march-2nd-2026: Hashnode refused the Personal Access Token (UNAUTHENTICATED): " +
				"check the token (HASHNODE_PAT or the configured one): it must be valid and not revoked",
		},
		{
			name:  "no Pro plan",
			setup: func(h *harness) { h.srv.SetPro(false) },
			post:  issue(), kind: hashnode.ErrNoProPlan, sent: true,
			want: "hashnode post lookup gdc-weekly-newsletter-march-2nd-2026: publication " + hashnodetest.PublicationID +
				" does not have an active Hashnode Pro plan, which Hashnode's API requires for writes since 2026; " +
				"upgrade it in the Hashnode dashboard (FORBIDDEN, not retried)",
		},
		{
			name: "no Pro plan at the create",
			setup: func(h *harness) {
				h.srv.FailNext("publishPost", hashnodetest.GraphQLError("FORBIDDEN", hashnodetest.ProPlanMessage))
			},
			post: issue(), kind: hashnode.ErrNoProPlan, sent: true,
			want: "hashnode publishPost gdc-weekly-newsletter-march-2nd-2026: publication " + hashnodetest.PublicationID +
				" does not have an active Hashnode Pro plan…",
		},
		{
			name: "body over 100 KB",
			post: huge, kind: hashnode.ErrTooLarge, sent: false,
			want: "hashnode publishPost gdc-weekly-newsletter-march-2nd-2026: the request body would be 110411 bytes, " +
				"over Hashnode's 102400-byte (100 KB) limit; nothing was sent",
		},
		{
			name: "invalid input",
			setup: func(h *harness) {
				h.srv.FailNext("publishPost", hashnodetest.GraphQLError("BAD_USER_INPUT", "Tag slug \"go\" is reserved"))
			},
			post: issue(), sent: true,
			want: "hashnode publishPost gdc-weekly-newsletter-march-2nd-2026: BAD_USER_INPUT: Tag slug \"go\" is reserved",
		},
		{
			name: "validation failed",
			setup: func(h *harness) {
				h.srv.FailNext("publication", hashnodetest.Fault{Status: http.StatusBadRequest, Code: "GRAPHQL_VALIDATION_FAILED",
					Message: "Cannot query field \"post\" on type \"Publication\"."})
			},
			post: issue(), sent: true,
			want: "hashnode post lookup gdc-weekly-newsletter-march-2nd-2026: GRAPHQL_VALIDATION_FAILED: Cannot query field \"post\" on type \"Publication\".",
		},
		{
			name: "forbidden for another reason",
			setup: func(h *harness) {
				h.srv.FailNext("publishPost", hashnodetest.GraphQLError("FORBIDDEN", "Contributors cannot publish."))
			},
			post: issue(), sent: true,
			want: "hashnode publishPost gdc-weekly-newsletter-march-2nd-2026: FORBIDDEN: Contributors cannot publish.",
		},
		{
			name: "413 from Hashnode",
			setup: func(h *harness) {
				h.srv.FailNext("publishPost", hashnodetest.Fault{Status: http.StatusRequestEntityTooLarge})
			},
			post: issue(), kind: hashnode.ErrTooLarge, sent: true,
			want: "hashnode publishPost gdc-weekly-newsletter-march-2nd-2026: Hashnode refused the request body as too large (HTTP 413)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, hashnode.ModePublish, tt.opts...)
			if tt.setup != nil {
				tt.setup(h)
			}
			_, err := h.publish(tt.post)
			if err == nil {
				t.Fatal("Publish succeeded")
			}
			if prefix, ok := strings.CutSuffix(tt.want, "…"); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error =\n%s\nwant it to start\n%s", err, prefix)
				}
			} else if err.Error() != tt.want {
				t.Errorf("error =\n%s\nwant\n%s", err, tt.want)
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("error is not %v", tt.kind)
			}
			if !retry.IsPermanent(err) {
				t.Errorf("classified %s, want permanent", retry.Describe(err))
			}
			if sent := len(h.srv.Requests()) > 0; sent != tt.sent {
				t.Errorf("requests sent = %v, want %v", sent, tt.sent)
			}
			if n := len(h.srv.Posts()) + len(h.srv.Drafts()); n != 0 {
				t.Errorf("%d posts and drafts made", n)
			}
			if n := len(h.backoffWaits()); n != 0 {
				t.Errorf("%d retries of a permanent error", n)
			}
			if rec := h.record(); rec.Pending() {
				t.Errorf("ledger left pending after a refused request: %+v", rec)
			}
		})
	}
}

func TestTransientFailuresAreRetried(t *testing.T) {
	tests := []struct {
		name      string
		field     string
		faults    []hashnodetest.Fault
		wantWaits []time.Duration
	}{
		{"503 twice on the lookup", "publication",
			[]hashnodetest.Fault{hashnodetest.Unavailable(503), hashnodetest.Unavailable(503)},
			[]time.Duration{time.Second, 2 * time.Second}},
		{"500 from Apollo", "publication",
			[]hashnodetest.Fault{hashnodetest.Unavailable(500)},
			[]time.Duration{time.Second}},
		{"502 asking for 7 s", "publication",
			[]hashnodetest.Fault{{Status: 502, RetryAfter: "7"}},
			[]time.Duration{7 * time.Second}},
		{"429 on the create", "publishPost",
			[]hashnodetest.Fault{{Status: 429, RetryAfter: "3"}},
			[]time.Duration{3 * time.Second}},
		{"internal error in a 200", "publication",
			[]hashnodetest.Fault{hashnodetest.GraphQLError("INTERNAL_SERVER_ERROR", "Unexpected error.")},
			[]time.Duration{time.Second}},
		{"timeout on the lookup", "publication",
			[]hashnodetest.Fault{hashnodetest.NoAnswer()},
			[]time.Duration{time.Second}},
		{"504 on an update", "updatePost",
			[]hashnodetest.Fault{hashnodetest.Unavailable(504), hashnodetest.Unavailable(504), hashnodetest.Unavailable(504)},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, hashnode.ModePublish)
			if tt.field == "updatePost" {
				h.srv.AddPost(hashnodetest.Post{Slug: issue().Slug, Title: "old", ContentMarkdown: "old"})
			}
			h.srv.FailNext(tt.field, tt.faults...)
			res, err := h.publish(issue())
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if got := h.backoffWaits(); !slices.Equal(got, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", got, tt.wantWaits)
			}
			if posts := h.srv.Posts(); len(posts) != 1 || posts[0].ID != res.PostID {
				t.Errorf("posts = %+v, want exactly the one in the result %+v", posts, res)
			}
			// Each retry came after its wait on the server's clock.
			var times []time.Time
			for _, r := range h.srv.Requests() {
				if r.Field == tt.field {
					times = append(times, r.Time)
				}
			}
			for i, d := range tt.wantWaits {
				if i+1 < len(times) && times[i+1].Sub(times[i]) < d {
					t.Errorf("attempt %d came %s after the one before, want at least %s", i+2, times[i+1].Sub(times[i]), d)
				}
			}
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	h.srv.FailNext("publication", slices.Repeat([]hashnodetest.Fault{hashnodetest.Unavailable(503)}, 4)...)
	_, err := h.publish(issue())
	want := "hashnode post lookup gdc-weekly-newsletter-march-2nd-2026: HTTP 503 Service Unavailable (4 attempts)"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
	c := retry.Classify(err)
	if c.Kind != retry.Transient || !c.At.Equal(h.clock.Now().Add(8*time.Second)) {
		t.Errorf("classified %s at %s, want transient at now + 8 s", c.Kind, c.At)
	}
	if got, want := h.backoffWaits(), []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

// TestServerErrorOnCreateIsNotRetriedBlindly: a 5xx after a create was sent
// may come after the post was made, so it is an unknown outcome like a lost
// answer, never an immediate second create.
func TestServerErrorOnCreateIsNotRetriedBlindly(t *testing.T) {
	tests := []struct {
		name  string
		fault hashnodetest.Fault
		posts int // what the failed create made
	}{
		{"502 before the work", hashnodetest.Unavailable(502), 0},
		{"504 after the work", hashnodetest.Fault{Status: 504, Applied: true}, 1},
		{"no answer", hashnodetest.NoAnswer(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, hashnode.ModePublish)
			h.srv.FailNext("publishPost", tt.fault)
			sent := h.clock.Now()
			_, err := h.publish(issue())
			checkUnconfirmed(t, err, sent.Add(settle))
			if n := len(h.srv.Posts()); n != tt.posts {
				t.Fatalf("%d posts after the failed create, want %d", n, tt.posts)
			}
			h.clock.Advance(settle - h.clock.Since(sent))
			if _, err := h.publish(issue()); err != nil {
				t.Fatalf("Publish after the window: %v", err)
			}
			if n := len(h.srv.Posts()); n != 1 {
				t.Errorf("%d posts, want 1", n)
			}
			if got := h.backoffWaits(); len(got) != 0 {
				t.Errorf("create retried in the call after %v", got)
			}
		})
	}
}

func TestDraftThenPublishPublishesTheDraft(t *testing.T) {
	h := newHarness(t, hashnode.ModeDraft)
	draft, err := h.publish(issue())
	if err != nil {
		t.Fatalf("draft: %v", err)
	}
	publisher := h.newClient(h.ledger, func(c *hashnode.Config) { c.Mode = hashnode.ModePublish })
	approved := issue()
	approved.ContentMarkdown = "## 마지막으로 고친 글\n"
	res, err := h.publishWith(publisher, approved)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	posts, drafts := h.srv.Posts(), h.srv.Drafts()
	if len(posts) != 1 || len(drafts) != 0 {
		t.Fatalf("%d posts and %d drafts, want the draft become the one post", len(posts), len(drafts))
	}
	p := posts[0]
	if p.FromDraft != draft.DraftID || p.Slug != approved.Slug || p.ContentMarkdown != approved.ContentMarkdown {
		t.Errorf("post = %+v, want draft %s published with slug %s and the latest content", p, draft.DraftID, approved.Slug)
	}
	if res.Action != hashnode.ActionPublishedDraft || res.PostID != p.ID || res.DraftID != "" || res.URL != p.URL {
		t.Errorf("result = %+v", res)
	}
	if got := h.srv.Fields()[3:]; !slices.Equal(got, []string{"publication", "updateDraft", "publishDraft"}) {
		t.Errorf("requests of the publish = %v, want post lookup, updateDraft, publishDraft", got)
	}
}

// TestDraftModeLeavesAPublishedPostAlone: the editor published the draft in
// the dashboard; a later Publish in draft mode must neither touch the post
// nor make a second draft, even while the cache still hides the post.
func TestDraftModeLeavesAPublishedPostAlone(t *testing.T) {
	for _, stale := range []bool{false, true} {
		name := "after the cache window"
		if stale {
			name = "within the cache window"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, hashnode.ModeDraft)
			draft, err := h.publish(issue())
			if err != nil {
				t.Fatalf("draft: %v", err)
			}
			post, err := h.srv.PublishDraftInDashboard(draft.DraftID)
			if err != nil {
				t.Fatal(err)
			}
			if !stale {
				h.clock.Advance(hashnodetest.CacheTTL)
			} else {
				// The lookup is stale, so the client tries to update the
				// recorded draft, which is gone.
				h.clock.Advance(time.Second)
				gone := h.clock.Now()
				_, err := h.publish(issue())
				c := retry.Classify(err)
				if err == nil || !strings.Contains(err.Error(), "no longer exists on Hashnode (NOT_FOUND)") ||
					c.Kind != retry.Transient || !c.At.Equal(gone.Add(settle)) {
					t.Fatalf("error = %v (%s at %s), want the draft gone, transient until %s", err, c.Kind, c.At, gone.Add(settle))
				}
				h.clock.Advance(settle)
			}
			_, err = h.publish(issue())
			if !errors.Is(err, hashnode.ErrAlreadyPublished) || !retry.IsPermanent(err) {
				t.Fatalf("error = %v, want ErrAlreadyPublished, permanent", err)
			}
			want := "hashnode draft gdc-weekly-newsletter-march-2nd-2026: the issue is already published as post " + post.ID +
				" (" + post.URL + "); draft mode leaves published posts alone: publish in mode publish to update it"
			if err.Error() != want {
				t.Errorf("error =\n%s\nwant\n%s", err, want)
			}
			posts := h.srv.Posts()
			if len(posts) != 1 || posts[0].Updates != 0 || len(h.srv.Drafts()) != 0 {
				t.Errorf("posts %+v and %d drafts, want the post untouched and no draft", posts, len(h.srv.Drafts()))
			}
		})
	}
}

func TestPostMadeByHandIsUpdatedNotDuplicated(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	made := h.srv.AddPost(hashnodetest.Post{Slug: issue().Slug, Title: "written by hand", ContentMarkdown: "draft"})
	res, err := h.publish(issue())
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if posts := h.srv.Posts(); len(posts) != 1 || res.PostID != made.ID || res.Action != hashnode.ActionUpdated {
		t.Errorf("posts = %+v, result %+v; want the hand-made post updated", posts, res)
	}
}

func TestRecordedPostGoneIsLookedUpAgain(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	if err := h.ledger.Save(t.Context(), issueKey, hashnode.Record{PostID: "66000000000000000000dead"}); err != nil {
		t.Fatal(err)
	}
	_, err := h.publish(issue())
	if err == nil || !strings.Contains(err.Error(), "hashnode updatePost gdc-weekly-newsletter-march-2nd-2026: post 66000000000000000000dead no longer exists") {
		t.Fatalf("error = %v, want the recorded post gone", err)
	}
	h.clock.Advance(settle)
	res, err := h.publish(issue())
	if err != nil || res.Action != hashnode.ActionCreated || len(h.srv.Posts()) != 1 {
		t.Errorf("after the window: %+v, %v, %d posts; want one post created", res, err, len(h.srv.Posts()))
	}
}

func TestInvalidPostIsRefusedBeforeSending(t *testing.T) {
	many := make([]hashnode.Tag, 16)
	for i := range many {
		many[i] = hashnode.Tag{Slug: "tag" + string(rune('a'+i))}
	}
	tests := []struct {
		name   string
		change func(*hashnode.Post)
		want   string
	}{
		{"no title", func(p *hashnode.Post) { p.Title = " " }, "no title"},
		{"slug with spaces", func(p *hashnode.Post) { p.Slug = "weekly newsletter" }, `slug "weekly newsletter" is not`},
		{"no content", func(p *hashnode.Post) { p.ContentMarkdown = "" }, "no content"},
		{"front matter", func(p *hashnode.Post) { p.ContentMarkdown = "---\ntitle: x\n---\n" }, "front matter"},
		{"no date", func(p *hashnode.Post) { p.PublishedAt = time.Time{} }, "no publication date"},
		{"16 tags", func(p *hashnode.Post) { p.Tags = many }, "16 tags, Hashnode takes at most 15"},
		{"tag without slug", func(p *hashnode.Post) { p.Tags = hashnode.ParseTags("뉴스레터") }, `tag "뉴스레터" has no valid slug`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, hashnode.ModePublish)
			p := issue()
			tt.change(&p)
			_, err := h.publish(p)
			if !errors.Is(err, hashnode.ErrInvalidPost) || !retry.IsPermanent(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want a permanent ErrInvalidPost naming %q", err, tt.want)
			}
			if n := len(h.srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// failingLedger fails every Save.
type failingLedger struct{ hashnode.MemoryLedger }

func (l *failingLedger) Save(ctx context.Context, key string, r hashnode.Record) error {
	return errors.New("disk full")
}

func TestLedgerFailureSendsNoCreate(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	c := h.newClient(&failingLedger{})
	_, err := h.publishWith(c, issue())
	want := `hashnode publishPost gdc-weekly-newsletter-march-2nd-2026: cannot save the ledger record of issue "` + issueKey + `": disk full; nothing was sent`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
	if retry.IsPermanent(err) {
		t.Errorf("a ledger failure is permanent; want transient")
	}
	if slices.Contains(h.srv.Fields(), "publishPost") {
		t.Errorf("publishPost sent without a pending record")
	}
}

// TestCancelledCreateIsUnconfirmed: a caller that gives up while a create
// is on its way cannot know whether it took effect either.
func TestCancelledCreateIsUnconfirmed(t *testing.T) {
	h := newHarness(t, hashnode.ModePublish)
	h.srv.FailNext("publishPost", hashnodetest.NoAnswer())
	ctx, cancel := context.WithCancel(t.Context())
	sent := h.clock.Now()
	go func() {
		<-h.srv.Hung()
		cancel()
	}()
	_, err := h.client.Publish(ctx, issueKey, issue())
	checkUnconfirmed(t, err, sent.Add(settle))
	if rec := h.record(); rec.PendingOp != "publishPost" {
		t.Errorf("ledger = %+v, want publishPost pending", rec)
	}
}
