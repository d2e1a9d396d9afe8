package hashnode_test

import (
	"os"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/publisher/hashnode"
)

// seedIssue is the old system's issue, a real week of the newsletter.
const seedIssue = "../../../shared/reference/seed-newsletter.md"

// TestSeedIssueRequestSize measures the create request of a real issue
// against Hashnode's 100 KB limit.
func TestSeedIssueRequestSize(t *testing.T) {
	raw, err := os.ReadFile(seedIssue)
	if err != nil {
		t.Skipf("the seed issue is not beside the repository (%v); the size of a real issue's request is not measured", err)
	}
	doc := string(raw)
	_, after, ok := strings.Cut(strings.TrimPrefix(doc, "---\n"), "\n---\n")
	if !strings.HasPrefix(doc, "---\n") || !ok {
		t.Fatalf("%s has no front matter", seedIssue)
	}
	p := issue()
	p.ContentMarkdown = strings.TrimLeft(after, "\n")
	for _, mode := range []hashnode.Mode{hashnode.ModePublish, hashnode.ModeDraft} {
		n, err := hashnode.CreateBodyBytes(p, mode)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes of markdown in %d \"## \" blocks; request body %d bytes = %.0f%% of the %d-byte limit",
			mode, len(p.ContentMarkdown), strings.Count("\n"+p.ContentMarkdown, "\n## "), n, 100*float64(n)/hashnode.MaxRequestBytes, hashnode.MaxRequestBytes)
		if n > hashnode.MaxRequestBytes {
			t.Errorf("the seed issue's %s body is %d bytes, over the limit", mode, n)
		}
	}
}
