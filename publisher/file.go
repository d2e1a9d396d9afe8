package publisher

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// FilePublisher writes each issue to a markdown file in Dir.
type FilePublisher struct {
	Dir string // created when missing; empty means the working directory
}

// NewFilePublisher returns a FilePublisher that writes to dir.
func NewFilePublisher(dir string) *FilePublisher { return &FilePublisher{Dir: dir} }

var _ Publisher = (*FilePublisher)(nil)

// validSlug is what slugify produces; anything else could leave Dir.
var validSlug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Publish writes content to Dir/<YYYY-MM-DD>-<title words>.md
// (Issue.FileName) atomically: readers see the old file or the new one,
// never a part. The same issue published again replaces its file, unless
// the file was changed by hand since it was last written (its hash is not
// issue.Written): that copy is kept beside it, as
// <name>.edited-<hash>.md, and Location.KeptCopy says where. It returns
// the file's path.
func (p *FilePublisher) Publish(ctx context.Context, issue *Issue, content []byte) (Location, error) {
	switch {
	case issue == nil:
		return Location{}, errors.New("publish: no issue")
	case !validSlug.MatchString(issue.Slug):
		return Location{}, fmt.Errorf("publish: invalid issue slug %q", issue.Slug)
	case issue.Published.IsZero():
		return Location{}, fmt.Errorf("publish %s: no publication date", issue.Slug)
	case len(content) == 0:
		return Location{}, fmt.Errorf("publish %s: empty content", issue.Slug)
	}
	dir := p.Dir
	if dir == "" {
		dir = "."
	}
	path := filepath.Join(dir, issue.FileName())
	if err := ctx.Err(); err != nil {
		return Location{}, fmt.Errorf("publish %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Location{}, fmt.Errorf("publish %s: %w", path, err)
	}
	kept, err := keepHandEdits(path, content, issue.Written)
	if err != nil {
		return Location{}, fmt.Errorf("publish %s: keeping the copy edited by hand: %w", path, err)
	}
	if err := writeFileAtomic(path, content, 0o644); err != nil {
		return Location{}, fmt.Errorf("publish %s: %w", path, err)
	}
	return Location{Path: path, KeptCopy: kept}, nil
}

// keepHandEdits copies the file at path aside when it holds neither what
// was last written there (hash written) nor content, and returns the
// copy's path ("" when there was nothing to keep).
func keepHandEdits(path string, content []byte, written string) (string, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(old)
	hash := hex.EncodeToString(sum[:])
	if bytes.Equal(old, content) || hash == written {
		return "", nil
	}
	kept := strings.TrimSuffix(path, ".md") + ".edited-" + hash[:12] + ".md"
	return kept, writeFileAtomic(kept, old, 0o644)
}

// writeFileAtomic replaces path with data: it writes a temporary file in the
// same directory, syncs and closes it, renames it over path and syncs the
// directory so the rename survives a crash.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				_ = f.Close()
			}
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	closed = true
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// tempPattern matches the temporary files writeFileAtomic leaves behind
// when the process is killed between creating and renaming one.
var tempPattern = regexp.MustCompile(`^\..+\.md\.tmp-[0-9]+$`)

// RemoveTemporary deletes the temporary files that interrupted writes left
// in Dir and returns their names. Call it at start, before any write; a
// missing Dir has none.
func (p *FilePublisher) RemoveTemporary() ([]string, error) {
	dir := p.Dir
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !tempPattern.MatchString(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, e.Name())
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("publisher: %w", err)
	}
	return removed, nil
}
