package publisher

import (
	"testing"

	"github.com/godevcommunity/newsletter/config"
)

// BenchmarkIssueMarkdown renders an issue the size of the seed (29 articles).
func BenchmarkIssueMarkdown(b *testing.B) {
	cfg := config.Default().Publisher
	fixtures := []Article{articleAllSections, articleRequiredOnly, articleCodeAndLists, articleHostile}
	var articles []Article
	for i := range 29 {
		articles = append(articles, fixtures[i%len(fixtures)])
	}
	issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles)
	b.ReportAllocs()
	for b.Loop() {
		_ = issue.Markdown(cfg)
	}
}

// BenchmarkSeedIssueMarkdown renders an issue of the seed newsletter's own
// offending articles (seed_defects_test.go), each field read and rewritten.
func BenchmarkSeedIssueMarkdown(b *testing.B) {
	cfg := config.Default().Publisher
	articles := []Article{seedValidation, seedMaintainable, seedGosuda, seedPhantom, seedUV}
	issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles)
	b.ReportAllocs()
	for b.Loop() {
		_ = issue.Markdown(cfg)
	}
}
