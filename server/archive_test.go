package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/store"
)

// TestArchive: the archive is named by server.archive_title, its feed's
// id carries the year of the first issue, and each issue page links the
// issues before and after it.
func TestArchive(t *testing.T) {
	ts := newTestServer(t, func(o *Options) {
		o.Server.PublicArchive = true
		o.Server.PublicURL = "https://newsletter.example"
		o.Server.ArchiveTitle = "Gophers' Weekly"
	})
	for _, is := range []struct {
		week string
		date time.Time
	}{
		{"2023-W52", time.Date(2023, 12, 25, 6, 0, 0, 0, time.UTC)},
		{"2024-W01", time.Date(2024, 1, 1, 6, 0, 0, 0, time.UTC)},
		{"2024-W02", time.Date(2024, 1, 8, 6, 0, 0, 0, time.UTC)},
	} {
		ctx := context.Background()
		frozen, err := ts.store.Freeze(ctx, store.NewIssue{Week: is.week, Slug: is.week, Title: is.week, Date: is.date, CUID: "c" + is.week})
		if err != nil {
			t.Fatal(err)
		}
		md := []byte("# " + is.week + "\n\n본문\n")
		if _, _, err = ts.store.Publish(ctx, frozen.ID, "", func(store.Snapshot) ([]byte, error) { return md, nil }); err != nil {
			t.Fatal(err)
		}
		if _, err = ts.store.Written(ctx, frozen.ID, is.week+".md", ""); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, path string
		want, not  []string
	}{
		{"the list, named", "/issues", []string{"<title>Gophers&#39; Weekly</title>", "<h1>Gophers&#39; Weekly</h1>"}, []string{"Go 개발자 주간 뉴스레터"}},
		{"the feed, named, with the first issue's year", "/feed.xml",
			[]string{"<id>tag:newsletter.example,2023:newsletter</id>", "<title>Gophers&#39; Weekly</title>", "<name>Gophers&#39; Weekly</name>",
				"tag:newsletter.example,2024:issue:"},
			[]string{"2024:newsletter"}},
		{"the first issue: a next link only", "/issues/2023-W52",
			[]string{`<a rel="next" href="/issues/2024-W01">`}, []string{`rel="prev"`}},
		{"a middle issue: both", "/issues/2024-W01",
			[]string{`<a rel="prev" href="/issues/2023-W52">← 이전 호: 2023-W52</a>`, `<a rel="next" href="/issues/2024-W02">다음 호: 2024-W02 →</a>`}, nil},
		{"the latest issue: a previous link only", "/issues/2024-W02",
			[]string{`<a rel="prev" href="/issues/2024-W01">`}, []string{`rel="next"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := ts.do(t, "GET", tt.path, "")
			if code != 200 {
				t.Fatalf("GET %s = %d", tt.path, code)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s lacks %q:\n%s", tt.path, w, body)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("GET %s has %q:\n%s", tt.path, n, body)
				}
			}
		})
	}
}
