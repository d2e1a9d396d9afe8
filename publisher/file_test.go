package publisher

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

func testIssue(published time.Time) *Issue {
	return NewIssue(config.Default().Publisher, published, config.DefaultModel, []Article{articleAllSections})
}

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestFilePublisherWrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "issues", "2024")
	issue := testIssue(publishedSeptember1st)
	content := issue.Markdown(config.Default().Publisher)

	loc, err := NewFilePublisher(dir).Publish(t.Context(), issue, content)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "2024-09-01-gdc-weekly-newsletter-september-1st.md")
	if loc.Path != want || loc.URL != "" || loc.String() != want {
		t.Errorf("Publish() = %+v, want Path %q", loc, want)
	}
	got, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(content) {
		t.Error("file content differs from what was published")
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(want)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("file mode = %v, want 0644", fi.Mode().Perm())
		}
	}
}

// TestFilePublisherIdempotent publishes the same issue twice, the second time
// with new content: one file, holding the new content, and no temporary file
// left behind.
func TestFilePublisherIdempotent(t *testing.T) {
	dir := t.TempDir()
	p := NewFilePublisher(dir)
	first := testIssue(publishedSeptember1st)
	rerun := testIssue(publishedSeptember1st.Add(2 * time.Hour))

	if _, err := p.Publish(t.Context(), first, []byte("first\n")); err != nil {
		t.Fatal(err)
	}
	rerun.Written = hashOf("first\n")
	loc, err := p.Publish(t.Context(), rerun, []byte("second\n"))
	if err != nil {
		t.Fatal(err)
	}
	if names := dirEntries(t, dir); len(names) != 1 || names[0] != filepath.Base(loc.Path) {
		t.Errorf("directory holds %q, want only %q", names, filepath.Base(loc.Path))
	}
	if got, _ := os.ReadFile(loc.Path); string(got) != "second\n" {
		t.Errorf("file holds %q, want the second content", got)
	}

	// Another week is another file.
	if _, err := p.Publish(t.Context(), testIssue(publishedSeptember1st.AddDate(0, 0, 7)), []byte("next\n")); err != nil {
		t.Fatal(err)
	}
	if names := dirEntries(t, dir); len(names) != 2 {
		t.Errorf("directory holds %q, want two issues", names)
	}
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestFilePublisherKeepsHandEdits: a file changed by hand since it was
// written is kept beside the new one, never replaced silently.
func TestFilePublisherKeepsHandEdits(t *testing.T) {
	dir := t.TempDir()
	p := NewFilePublisher(dir)
	issue := testIssue(publishedSeptember1st)
	loc, err := p.Publish(t.Context(), issue, []byte("as written\n"))
	if err != nil || loc.KeptCopy != "" {
		t.Fatalf("first publication: %+v, %v", loc, err)
	}
	if err := os.WriteFile(loc.Path, []byte("as written\nand corrected by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	issue.Written = hashOf("as written\n")
	again, err := p.Publish(t.Context(), issue, []byte("rebuilt from the database\n"))
	if err != nil {
		t.Fatal(err)
	}
	if again.KeptCopy == "" || filepath.Dir(again.KeptCopy) != dir || !strings.Contains(again.KeptCopy, ".edited-") {
		t.Fatalf("KeptCopy = %q, want a copy beside the issue", again.KeptCopy)
	}
	if kept, _ := os.ReadFile(again.KeptCopy); string(kept) != "as written\nand corrected by hand\n" {
		t.Errorf("kept copy holds %q", kept)
	}
	if now, _ := os.ReadFile(again.Path); string(now) != "rebuilt from the database\n" {
		t.Errorf("issue holds %q", now)
	}
	// Published once more, the file is as written: nothing more is kept.
	issue.Written = hashOf("rebuilt from the database\n")
	third, err := p.Publish(t.Context(), issue, []byte("third\n"))
	if err != nil || third.KeptCopy != "" || len(dirEntries(t, dir)) != 2 {
		t.Errorf("third publication: %+v, %v, %v", third, err, dirEntries(t, dir))
	}
}

func TestFilePublisherRejects(t *testing.T) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	escaping := testIssue(publishedSeptember1st)
	escaping.Slug = "../escape"
	undated := testIssue(publishedSeptember1st)
	undated.Published = time.Time{}

	tests := []struct {
		name    string
		ctx     context.Context
		issue   *Issue
		content []byte
		wantErr string
	}{
		{"no issue", t.Context(), nil, []byte("x"), "no issue"},
		{"slug with a path", t.Context(), escaping, []byte("x"), `invalid issue slug "../escape"`},
		{"no date", t.Context(), undated, []byte("x"), "no publication date"},
		{"empty content", t.Context(), testIssue(publishedSeptember1st), nil, "empty content"},
		{"canceled", canceled, testIssue(publishedSeptember1st), []byte("x"), context.Canceled.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := NewFilePublisher(dir).Publish(tt.ctx, tt.issue, tt.content)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Publish() error = %v, want one saying %q", err, tt.wantErr)
			}
			if names := dirEntries(t, dir); len(names) != 0 {
				t.Errorf("a rejected publish left %q", names)
			}
		})
	}
	if _, err := NewFilePublisher(t.TempDir()).Publish(canceled, testIssue(publishedSeptember1st), []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Publish() with a canceled context = %v, want context.Canceled", err)
	}
}

func TestFilePublisherDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "issues")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewFilePublisher(file).Publish(t.Context(), testIssue(publishedSeptember1st), []byte("x"))
	if err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("Publish() into a file = %v, want an error naming %q", err, file)
	}
}

func TestFilePublisherWorkingDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	loc, err := NewFilePublisher("").Publish(t.Context(), testIssue(publishedSeptember1st), []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2024-09-01-gdc-weekly-newsletter-september-1st.md"; loc.Path != want {
		t.Errorf("Path = %q, want %q", loc.Path, want)
	}
	if _, err := os.Stat(loc.Path); err != nil {
		t.Error(err)
	}
}

// TestFilePublisherCleansUpAfterFailedRename makes the final rename fail (a
// directory holds the issue's name): the error names the path and no
// temporary file is left behind.
func TestFilePublisherCleansUpAfterFailedRename(t *testing.T) {
	dir := t.TempDir()
	issue := testIssue(publishedSeptember1st)
	blocker := filepath.Join(dir, issue.FileName())
	if err := os.MkdirAll(filepath.Join(blocker, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := NewFilePublisher(dir).Publish(t.Context(), issue, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), blocker) {
		t.Fatalf("Publish() over a directory = %v, want an error naming %q", err, blocker)
	}
	if names := dirEntries(t, dir); len(names) != 1 || names[0] != issue.FileName() {
		t.Errorf("directory holds %q, want only the blocking %q", names, issue.FileName())
	}
}

// TestRemoveTemporary: the temporary files of writes a kill interrupted are
// removed at start; issues and other files are left alone.
func TestRemoveTemporary(t *testing.T) {
	dir := t.TempDir()
	files := map[string]bool{ // name: removed
		".2024-09-02-gdc-weekly-newsletter-september-2nd.md.tmp-123456": true,
		".2024-09-09-gdc-weekly-newsletter-september-9th.md.tmp-98":     true,
		"2024-09-02-gdc-weekly-newsletter-september-2nd.md":             false,
		".hidden.md":             false,
		"notes.md.tmp-12":        false,
		".draft.md.tmp-notdigit": false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := NewFilePublisher(dir).RemoveTemporary()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Errorf("removed %v, want the two temporary files", removed)
	}
	for name, gone := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone != errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: removed %v, want %v", name, !gone, gone)
		}
	}
	if removed, err := NewFilePublisher(filepath.Join(dir, "missing")).RemoveTemporary(); err != nil || len(removed) != 0 {
		t.Errorf("a missing directory: %v, %v", removed, err)
	}
}
