package publisher

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/<name>.golden, or rewrites the file
// with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./publisher -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./publisher -update to accept):\n%s", path, firstDifference(want, got))
	}
}

// firstDifference describes the first line where want and got differ.
func firstDifference(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			return fmt.Sprintf("line %d:\n want: %s\n  got: %s", i+1, lineAt(w, i), lineAt(g, i))
		}
	}
	return "same lines"
}

func lineAt(lines []string, i int) string {
	if i >= len(lines) {
		return "(end of file)"
	}
	return fmt.Sprintf("%q", lines[i])
}

func TestRenderArticleGolden(t *testing.T) {
	tests := []struct {
		name    string
		article Article
	}{
		{"article_all_sections", articleAllSections},
		{"article_required_only", articleRequiredOnly},
		{"article_code_and_lists", articleCodeAndLists},
		{"article_hostile_fields", articleHostile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenderArticle(tt.article)
			checkGolden(t, tt.name, []byte(got))
			if again := RenderArticle(tt.article); again != got {
				t.Error("second render differs from the first")
			}
			checkArticleStructure(t, got)
		})
	}
}

// goldenCUID stands for the random CUID an issue is given once.
const goldenCUID = "c0123456789abcdefghijklmn"

func TestIssueMarkdownGolden(t *testing.T) {
	cfg := config.Default().Publisher
	articles := []Article{articleAllSections, articleRequiredOnly, articleCodeAndLists}
	issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles)
	issue.CUID = goldenCUID
	got := issue.Markdown(cfg)
	checkGolden(t, "issue_three_articles", got)

	same := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles)
	same.CUID = goldenCUID
	again := same.Markdown(cfg)
	if !bytes.Equal(got, again) {
		t.Error("the same inputs gave different bytes")
	}
	checkIssueStructure(t, got, len(articles))
}
