package publisher

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
)

// frontMatter decodes the YAML between the "---" lines of md.
func frontMatter(t *testing.T, md []byte) map[string]any {
	t.Helper()
	s := strings.TrimPrefix(string(md), "---\n")
	end := strings.Index(s, "\n---\n")
	if end < 0 {
		t.Fatalf("no front matter in %.100q", md)
	}
	var fm map[string]any
	if err := yaml.Unmarshal([]byte(s[:end]), &fm); err != nil {
		t.Fatalf("front matter is not YAML: %v\n%s", err, s[:end])
	}
	return fm
}

func TestNewIssue(t *testing.T) {
	cfg := config.Default().Publisher
	issue := NewIssue(cfg, publishedSeptember1st, " gemini-3.8-flash\n", []Article{articleAllSections})

	if want := "[GDC] Weekly Newsletter September 1st"; issue.Title != want {
		t.Errorf("Title = %q, want %q", issue.Title, want)
	}
	if want := "gdc-weekly-newsletter-september-1st-2024"; issue.Slug != want {
		t.Errorf("Slug = %q, want %q", issue.Slug, want)
	}
	if want := "2024-09-01-gdc-weekly-newsletter-september-1st.md"; issue.FileName() != want {
		t.Errorf("FileName() = %q, want %q", issue.FileName(), want)
	}
	if issue.Model != "gemini-3.8-flash" || issue.Tags != "newsletter" || !issue.Published.Equal(publishedSeptember1st) {
		t.Errorf("Model, Tags, Published = %q, %q, %v", issue.Model, issue.Tags, issue.Published)
	}

	// Two databases, or the same day next year, never share a slug or a
	// CUID: the slug carries the year and the CUID is random.
	again := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, nil)
	if again.CUID == issue.CUID || !regexp.MustCompile(`^c[0-9a-z]{24}$`).MatchString(issue.CUID) {
		t.Errorf("CUIDs %q and %q: want two random ones in Hashnode's form", issue.CUID, again.CUID)
	}
	nextYear := NewIssue(cfg, publishedSeptember1st.AddDate(1, 0, 0), config.DefaultModel, nil)
	if nextYear.Title != issue.Title || nextYear.Slug != "gdc-weekly-newsletter-september-1st-2025" {
		t.Errorf("next year's issue: title %q (want the same), slug %q (want its own)", nextYear.Title, nextYear.Slug)
	}

	articles := []Article{articleAllSections}
	cloned := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles)
	articles[0].TitleKo = "changed"
	if cloned.Articles[0].TitleKo == "changed" {
		t.Error("NewIssue kept the caller's slice")
	}
}

// TestNewIssueDayInScheduleZone checks that the location of published names
// the day: the same instant is September 1st in UTC and 2nd in Seoul.
func TestNewIssueDayInScheduleZone(t *testing.T) {
	instant := time.Date(2024, 9, 1, 21, 15, 52, 0, time.UTC)
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default().Publisher
	tests := []struct {
		loc               *time.Location
		title, slug, file string
	}{
		{time.UTC, "[GDC] Weekly Newsletter September 1st", "gdc-weekly-newsletter-september-1st-2024", "2024-09-01-gdc-weekly-newsletter-september-1st.md"},
		{seoul, "[GDC] Weekly Newsletter September 2nd", "gdc-weekly-newsletter-september-2nd-2024", "2024-09-02-gdc-weekly-newsletter-september-2nd.md"},
	}
	for _, tt := range tests {
		issue := NewIssue(cfg, instant.In(tt.loc), config.DefaultModel, nil)
		if issue.Title != tt.title || issue.Slug != tt.slug || issue.FileName() != tt.file {
			t.Errorf("in %s: %q, %q, %q; want %q, %q, %q", tt.loc, issue.Title, issue.Slug, issue.FileName(), tt.title, tt.slug, tt.file)
		}
		// datePublished is the same instant, written in UTC, either way.
		if got, want := frontMatter(t, issue.Markdown(cfg))["datePublished"], "Sun Sep 01 2024 21:15:52 GMT+0000 (Coordinated Universal Time)"; got != want {
			t.Errorf("in %s: datePublished = %q, want %q", tt.loc, got, want)
		}
	}
}

func TestIssueFrontMatter(t *testing.T) {
	tests := []struct {
		name         string
		prefix, tags string
	}{
		{"seed", "[GDC]", "newsletter"},
		{"no prefix", "", "newsletter, golang"},
		{"prefix with quotes and colon", `"GDC": \ #1`, "a: b"},
		{"prefix with control characters", "G\x00D\u2028C\x7f", "yes"},
		{"empty tags", "[GDC]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default().Publisher
			cfg.TitlePrefix, cfg.Tags = tt.prefix, tt.tags
			issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, nil)
			md := issue.Markdown(cfg)
			fm := frontMatter(t, md)
			want := map[string]any{
				"title":         issue.Title,
				"datePublished": "Sat Aug 31 2024 21:15:52 GMT+0000 (Coordinated Universal Time)",
				"cuid":          issue.CUID,
				"slug":          issue.Slug,
				"tags":          issue.Tags,
			}
			for k, v := range want {
				if fm[k] != v {
					t.Errorf("%s = %#v, want %#v", k, fm[k], v)
				}
			}
			if len(fm) != len(want) {
				t.Errorf("front matter has keys %v, want %d", fm, len(want))
			}
			checkIssueStructure(t, md, 0)
		})
	}
}

// TestIssueFrontMatterLikeSeed pins the front matter to the seed's lines,
// but for the slug, which carries the year so that next year's September
// 1st does not collide with this one's.
func TestIssueFrontMatterLikeSeed(t *testing.T) {
	cfg := config.Default().Publisher
	issue := NewIssue(cfg, time.Date(2024, 9, 1, 21, 15, 52, 0, time.UTC), config.DefaultModel, nil)
	issue.CUID = "cm0k2mpj7002s09jvcmkrcdl8" // the seed's, to compare byte for byte
	want := `---
title: "[GDC] Weekly Newsletter September 1st"
datePublished: Sun Sep 01 2024 21:15:52 GMT+0000 (Coordinated Universal Time)
cuid: cm0k2mpj7002s09jvcmkrcdl8
slug: gdc-weekly-newsletter-september-1st-2024
tags: newsletter

---

`
	if got := issue.Markdown(cfg); !bytes.HasPrefix(got, []byte(want)) {
		t.Errorf("front matter:\n%s\nwant:\n%s", got[:min(len(got), len(want))], want)
	}
}

func TestIssueDisclaimer(t *testing.T) {
	tests := []struct {
		name, disclaimer, model, want string
	}{
		{"default names the model id", config.Default().Publisher.Disclaimer, "gemini-3.8-flash",
			"- 이 글은 gemini-3.8-flash 모델을 이용하여 생성한 것으로, 사실과 다를 수 있습니다."},
		{"custom", "Written by {model}; check the sources.", "gemini-2.5-flash-lite",
			"- Written by gemini-2.5-flash-lite; check the sources."},
		{"empty falls back to the default", "  ", "gemini-3.8-flash",
			"- 이 글은 gemini-3.8-flash 모델을 이용하여 생성한 것으로, 사실과 다를 수 있습니다."},
		{"multi-line and heading-like", "# AI\n{model} 작성", "m", `- \# AI m 작성`},
		{"seed: a disclaimer naming no model gets the model id", "이 글은 Gemini Flash를 이용하여 생성한 것으로, 사실과 다를 수 있습니다.", "gemini-3.8-flash",
			"- 이 글은 Gemini Flash를 이용하여 생성한 것으로, 사실과 다를 수 있습니다. (모델: gemini-3.8-flash)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default().Publisher
			cfg.Disclaimer = tt.disclaimer
			md := NewIssue(cfg, publishedSeptember1st, tt.model, nil).Markdown(cfg)
			if want := "\n## 주의\n\n" + tt.want + "\n"; !bytes.HasSuffix(md, []byte(want)) {
				t.Errorf("issue ends with %q, want %q", md[bytes.LastIndex(md, []byte("\n## ")):], want)
			}
		})
	}
}

// TestIssueStructure checks the properties every issue must have, with the
// seed's defects as inputs: model-written headings in every field, English
// section names, HTML and an unclosed code fence.
func TestIssueStructure(t *testing.T) {
	cfg := config.Default().Publisher
	hostile := []Article{
		articleHostile,
		articleCodeAndLists,
		{Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "## Introduction\n소개", Caution: "```"}},
		{Sections: entry.Sections{TitleKo: "## 제목 ##", Summary: "<pre>\n", Introduction: "소개\n---"}, Link: "https://x.dev/(a"},
	}
	for n := range len(hostile) + 1 {
		articles := hostile[:n]
		md := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, articles).Markdown(cfg)
		checkIssueStructure(t, md, len(articles))
	}
}

// TestIssueIntroTOCAndCredit: the editors' opening, the list of titles and
// the submitters' credits, each only when asked for, none able to break
// the issue's structure.
func TestIssueIntroTOCAndCredit(t *testing.T) {
	a, b := articleAllSections, articleRequiredOnly
	a.SubmittedBy, b.SubmittedBy = "kim <b>", ""
	tests := []struct {
		name         string
		toc, credit  bool
		intro        string
		want, absent []string
	}{
		{name: "off by default", intro: "", absent: []string{tocLead, creditLabel}},
		{name: "opening paragraph", intro: "이번 주 소식입니다.\n\n## 제목이 아님", want: []string{"---\n\n이번 주 소식입니다.\n\n\\## 제목이 아님\n\n## "}},
		{name: "titles listed", toc: true, want: []string{tocLead + "\n\n- " + headingText(a) + "\n- " + headingText(b) + "\n\n## "}},
		{name: "submitter credited", credit: true, want: []string{creditLabel + " kim \\<b\\>"}, absent: []string{creditLabel + " \n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default().Publisher
			cfg.TOC, cfg.CreditSubmitter = tt.toc, tt.credit
			issue := NewIssue(cfg, publishedSeptember1st, config.DefaultModel, []Article{a, b})
			issue.Intro = tt.intro
			md := issue.Markdown(cfg)
			checkIssueStructure(t, md, 2)
			for _, w := range tt.want {
				if !strings.Contains(string(md), w) {
					t.Errorf("issue lacks %q:\n%s", w, md)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(string(md), w) {
					t.Errorf("issue has %q:\n%s", w, md)
				}
			}
		})
	}
}
