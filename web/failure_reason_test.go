package web

import (
	"context"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
)

// A failed submission's reason reads in Korean on the landing page and on
// the 제출 page, the English as recorded kept beside it; a reason the desk
// does not know is shown as written.
func TestFailureReasonsInKorean(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, recorded, korean string
	}{
		{"not found", (&fetcher.StatusError{URL: "https://go.dev/blog/gone", Code: 404}).Error(), "원문 페이지가 없습니다(404)."},
		{"unknown", "something nobody wrote down", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			sub, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: "https://go.dev/blog/gone"})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.Store.Claim(ctx, sub.ID, h.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			if err := h.Store.Fail(ctx, sub.ID, tt.recorded); err != nil {
				t.Fatal(err)
			}
			c := h.client()
			c.signIn(kimToken)
			for _, path := range []string{"/desk/", "/desk/submissions"} {
				page := c.get(path).body
				recorded := strings.ReplaceAll(tt.recorded, "/", "&#x2F;")
				if !strings.Contains(page, tt.recorded) && !strings.Contains(page, recorded) {
					t.Errorf("%s does not keep the recorded reason %q", path, tt.recorded)
				}
				if tt.korean != "" && !strings.Contains(page, tt.korean) {
					t.Errorf("%s does not say %q", path, tt.korean)
				}
				if tt.korean != "" && !strings.Contains(page, `<span class="original" lang="en">`) {
					t.Errorf("%s does not mark the recorded reason as English", path)
				}
			}
		})
	}
}
