package hashnodetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

const publishPost = `mutation PublishPost($input: PublishPostInput!) {
  publishPost(input: $input) { post { id slug url } }
}`

const postBySlug = `query PostBySlug($publicationId: ObjectId!, $slug: String!) {
  publication(id: $publicationId) { id post(slug: $slug) { id slug url } }
}`

func publishInput(slug string) map[string]any {
	return map[string]any{"input": map[string]any{
		"publicationId":   PublicationID,
		"title":           "Weekly",
		"contentMarkdown": "## hello",
		"slug":            slug,
		"tags":            []any{map[string]any{"slug": "newsletter", "name": "Newsletter"}},
		"publishedAt":     "2026-03-02T06:00:00Z",
	}}
}

// TestValidationRejectsMalformedRequests proves that the fake validates:
// each request here is wrong in one way and gets Apollo Server's answer.
func TestValidationRejectsMalformedRequests(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		wantCode string
		wantMsg  string
	}{
		{"syntax error", `mutation { publishPost(input: {) { post { id } } }`, nil,
			"GRAPHQL_PARSE_FAILED", ""},
		{"field not in the schema", `query { publication(id: "` + PublicationID + `") { id posts(first: 1) { totalDocuments } } }`, nil,
			"GRAPHQL_VALIDATION_FAILED", `Cannot query field "posts"`},
		{"misspelt field", `mutation PublishPost($input: PublishPostInput!) { publishPost(input: $input) { post { id slugg } } }`, publishInput("a"),
			"GRAPHQL_VALIDATION_FAILED", `"slugg"`},
		{"object without a selection", `mutation PublishPost($input: PublishPostInput!) { publishPost(input: $input) { post } }`, publishInput("a"),
			"GRAPHQL_VALIDATION_FAILED", "must have a selection"},
		{"unknown argument", `query { publication(id: "` + PublicationID + `", host: "x") { id } }`, nil,
			"GRAPHQL_VALIDATION_FAILED", `"host"`},
		{"variable of the wrong type", `query Q($id: String!) { publication(id: $id) { id } }`, map[string]any{"id": PublicationID},
			"GRAPHQL_VALIDATION_FAILED", "String!"},
		{"required variable missing", postBySlug, map[string]any{"publicationId": PublicationID},
			"BAD_USER_INPUT", "slug"},
		{"input field unknown", publishPost, map[string]any{"input": map[string]any{
			"publicationId": PublicationID, "title": "t", "contentMarkdown": "c", "subtitle": "s"}},
			"BAD_USER_INPUT", "subtitle"},
		{"required input field missing", publishPost, map[string]any{"input": map[string]any{
			"publicationId": PublicationID, "title": "t"}},
			"BAD_USER_INPUT", "contentMarkdown"},
		{"tags as strings", publishPost, map[string]any{"input": map[string]any{
			"publicationId": PublicationID, "title": "t", "contentMarkdown": "c", "tags": []any{"go"}}},
			"BAD_USER_INPUT", "tags"},
		{"ObjectId not hexadecimal", publishPost, map[string]any{"input": map[string]any{
			"publicationId": "newsletter", "title": "t", "contentMarkdown": "c"}},
			"BAD_USER_INPUT", "ObjectId"},
		{"DateTime not ISO 8601", publishPost, map[string]any{"input": map[string]any{
			"publicationId": PublicationID, "title": "t", "contentMarkdown": "c", "publishedAt": "Sun Sep 01 2024"}},
			"BAD_USER_INPUT", "DateTime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t, clockwork.NewFakeClock())
			s.AllowInvalid()
			got := s.Send(t, tt.query, tt.vars)
			if got.Status != http.StatusBadRequest || len(got.Errors) != 1 {
				t.Fatalf("answer = %d %+v, want 400 with one error", got.Status, got.Errors)
			}
			if code := got.Errors[0].Code(); code != tt.wantCode {
				t.Errorf("code = %s (%s), want %s", code, got.Errors[0].Message, tt.wantCode)
			}
			if !strings.Contains(got.Errors[0].Message, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", got.Errors[0].Message, tt.wantMsg)
			}
			if n := len(s.Posts()); n != 0 {
				t.Errorf("%d posts after an invalid request, want 0", n)
			}
		})
	}
}

func TestValidRequestIsExecuted(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC))
	s := New(t, clock)
	got := s.Send(t, publishPost, publishInput("gdc-weekly-newsletter-2026-03-02"))
	if got.Status != http.StatusOK || len(got.Errors) != 0 {
		t.Fatalf("answer = %d %+v, want 200 without errors", got.Status, got.Errors)
	}
	post := got.Data["publishPost"].(map[string]any)["post"].(map[string]any)
	posts := s.Posts()
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want one", posts)
	}
	p := posts[0]
	if post["id"] != p.ID || post["slug"] != "gdc-weekly-newsletter-2026-03-02" || post["url"] != PublicationURL+"/gdc-weekly-newsletter-2026-03-02" {
		t.Errorf("answer post = %v, stored %+v", post, p)
	}
	if p.Title != "Weekly" || p.ContentMarkdown != "## hello" || len(p.Tags) != 1 || p.Tags[0] != (Tag{"newsletter", "Newsletter"}) ||
		!p.PublishedAt.Equal(time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("stored post = %+v", p)
	}
}

func TestAuthorizationAndProPlan(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		pro      bool
		query    string
		wantCode string
		wantMsg  string
	}{
		{"no token for a mutation", "", true, publishPost, "UNAUTHENTICATED", "Token"},
		{"wrong token", "Bearer nope", true, publishPost, "UNAUTHENTICATED", "Token"},
		{"wrong token for a query", "Bearer nope", true, postBySlug, "UNAUTHENTICATED", "Token"},
		{"token without Bearer", Token, true, publishPost, "", ""},
		{"no Pro plan, mutation", "Bearer " + Token, false, publishPost, "FORBIDDEN", ProPlanMessage},
		{"no Pro plan, publication query", "Bearer " + Token, false, postBySlug, "FORBIDDEN", ProPlanMessage},
		{"Pro plan, query without a token", "", true, postBySlug, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t, clockwork.NewFakeClock())
			s.SetPro(tt.pro)
			vars := publishInput("weekly")
			if tt.query == postBySlug {
				vars = map[string]any{"publicationId": PublicationID, "slug": "weekly"}
			}
			status, answer := rawPost(t, s, tt.header, map[string]any{"query": tt.query, "variables": vars})
			if status != http.StatusOK {
				t.Fatalf("status = %d, want 200 (%s)", status, answer)
			}
			if tt.wantCode == "" {
				if strings.Contains(answer, `"errors"`) {
					t.Errorf("answer = %s, want no errors", answer)
				}
				return
			}
			if !strings.Contains(answer, `"code":"`+tt.wantCode+`"`) || !strings.Contains(answer, tt.wantMsg) {
				t.Errorf("answer = %s, want code %s and %q", answer, tt.wantCode, tt.wantMsg)
			}
			if n := len(s.Posts()); n != 0 {
				t.Errorf("%d posts after a refused request", n)
			}
		})
	}
}

func TestBodyOverLimitIsRefused(t *testing.T) {
	s := New(t, clockwork.NewFakeClock())
	vars := publishInput("big")
	vars["input"].(map[string]any)["contentMarkdown"] = strings.Repeat("가", MaxRequestBytes/3+1)
	status, answer := rawPost(t, s, "Bearer "+Token, map[string]any{"query": publishPost, "variables": vars})
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d (%s), want 413", status, answer)
	}
	if n := len(s.Posts()); n != 0 {
		t.Errorf("%d posts after a refused body", n)
	}
}

// TestQueryCacheServesStaleAnswers shows the hazard the client is built
// for: a post made right after a lookup is not seen by the same lookup
// until the cache entry expires.
func TestQueryCacheServesStaleAnswers(t *testing.T) {
	clock := clockwork.NewFakeClock()
	s := New(t, clock)
	lookup := map[string]any{"publicationId": PublicationID, "slug": "weekly"}
	first := s.Send(t, postBySlug, lookup)
	if post := first.Data["publication"].(map[string]any)["post"]; post != nil || first.Cached {
		t.Fatalf("first lookup = %v (cached %v), want no post, fresh", post, first.Cached)
	}
	s.Send(t, publishPost, publishInput("weekly"))

	clock.Advance(CacheTTL - time.Second)
	stale := s.Send(t, postBySlug, lookup)
	if post := stale.Data["publication"].(map[string]any)["post"]; post != nil || !stale.Cached {
		t.Errorf("lookup within the cache window = %v (cached %v), want the stale answer: no post", post, stale.Cached)
	}

	clock.Advance(time.Second)
	fresh := s.Send(t, postBySlug, lookup)
	post, _ := fresh.Data["publication"].(map[string]any)["post"].(map[string]any)
	if post == nil || post["slug"] != "weekly" || fresh.Cached {
		t.Errorf("lookup after the cache window = %v (cached %v), want the post", fresh.Data, fresh.Cached)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name       string
		fault      Fault
		wantStatus int // 0: the connection is dropped
		wantPosts  int
	}{
		{"unavailable", Unavailable(http.StatusServiceUnavailable), http.StatusServiceUnavailable, 0},
		{"internal error", Unavailable(http.StatusInternalServerError), http.StatusInternalServerError, 0},
		{"gateway timeout after the work", Fault{Status: http.StatusGatewayTimeout, Applied: true}, http.StatusGatewayTimeout, 1},
		{"lost answer", LostAnswer(), 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t, clockwork.NewFakeClock())
			s.FailNext("publishPost", tt.fault)
			body := map[string]any{"query": publishPost, "variables": publishInput("weekly")}
			status, _, err := tryPost(t, s, "Bearer "+Token, body)
			switch {
			case tt.wantStatus == 0 && err == nil:
				t.Errorf("status = %d, want a dropped connection", status)
			case tt.wantStatus != 0 && (err != nil || status != tt.wantStatus):
				t.Errorf("status = %d, %v; want %d", status, err, tt.wantStatus)
			}
			if n := len(s.Posts()); n != tt.wantPosts {
				t.Errorf("%d posts, want %d", n, tt.wantPosts)
			}
			// The fault is used up: the next request succeeds.
			if status, answer := rawPost(t, s, "Bearer "+Token, map[string]any{"query": publishPost, "variables": publishInput("other")}); status != http.StatusOK {
				t.Errorf("after the fault: %d %s", status, answer)
			}
		})
	}
}

func TestDraftsAndPublishDraft(t *testing.T) {
	s := New(t, clockwork.NewFakeClock())
	create := `mutation CreateDraft($input: CreateDraftInput!) { createDraft(input: $input) { draft { id slug } } }`
	for i, overridden := range []bool{true, false} {
		got := s.Send(t, create, map[string]any{"input": map[string]any{
			"publicationId": PublicationID, "title": "Weekly Newsletter", "contentMarkdown": "body",
			"slug": "issue-" + string(rune('a'+i)), "settings": map[string]any{"slugOverridden": overridden},
		}})
		if len(got.Errors) > 0 {
			t.Fatalf("createDraft: %+v", got.Errors)
		}
	}
	list := s.Send(t, `query D($publicationId: ObjectId!, $after: String) {
  publication(id: $publicationId) { drafts(first: 1, after: $after) { edges { node { id slug } } pageInfo { hasNextPage endCursor } } }
}`, map[string]any{"publicationId": PublicationID})
	drafts := list.Data["publication"].(map[string]any)["drafts"].(map[string]any)
	if edges := drafts["edges"].([]any); len(edges) != 1 || drafts["pageInfo"].(map[string]any)["hasNextPage"] != true {
		t.Errorf("first page = %v, want one draft and a next page", drafts)
	}
	ds := s.Drafts()
	a, err := s.PublishDraftInDashboard(ds[0].ID)
	if err != nil || a.Slug != "issue-a" || a.FromDraft != ds[0].ID {
		t.Errorf("published draft with its slug overridden = %+v, %v; want slug issue-a", a, err)
	}
	b, err := s.PublishDraftInDashboard(ds[1].ID)
	if err != nil || b.Slug != "weekly-newsletter" {
		t.Errorf("published draft without slugOverridden = %+v, %v; want the slug from its title", b, err)
	}
	if n := len(s.Drafts()); n != 0 {
		t.Errorf("%d drafts left after publishing both", n)
	}
}

func rawPost(t *testing.T, s *Server, auth string, body map[string]any) (int, string) {
	t.Helper()
	status, answer, err := tryPost(t, s, auth, body)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	return status, answer
}

func tryPost(t *testing.T, s *Server, auth string, body map[string]any) (int, string, error) {
	t.Helper()
	raw := mustJSON(t, body)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer), err
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSlowAnswer: a slow answer's work is done when the request arrives;
// the answer comes once the delay has passed on the server's clock.
func TestSlowAnswer(t *testing.T) {
	clock := clockwork.NewFakeClock()
	s := New(t, clock)
	s.FailNext("publishPost", Slow(time.Minute))
	answered := make(chan int, 1)
	go func() { // tryPost, not rawPost: no Fatal outside the test's goroutine
		status, _, err := tryPost(t, s, "Bearer "+Token, map[string]any{"query": publishPost, "variables": publishInput("weekly")})
		if err != nil {
			status = 0
		}
		answered <- status
	}()
	if err := clock.BlockUntilContext(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Posts()); n != 1 {
		t.Errorf("%d posts while the answer waits, want 1", n)
	}
	select {
	case status := <-answered:
		t.Fatalf("answered %d before the delay", status)
	default:
	}
	clock.Advance(time.Minute)
	if status := <-answered; status != http.StatusOK {
		t.Errorf("slow answer = %d, want 200", status)
	}
}
