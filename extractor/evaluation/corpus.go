package evaluation

import (
	"fmt"
	"os"
	"path/filepath"
)

// PageURL is the address the Readability.js test suite gives every corpus
// page; the corpus records no real URLs.
const PageURL = "http://fakehost/test/page.html"

// Case is one page of a corpus: the HTML as served and the HTML of its
// expected article.
type Case struct {
	Name     string
	Source   []byte
	Expected []byte
}

// HeldOut reports whether the case at index i of a sorted corpus belongs
// to the held-out half: odd indexes are held out, even ones are for tuning.
func HeldOut(i int) bool { return i%2 == 1 }

// LoadCorpus reads dir/*/source.html and dir/*/expected.html, in name
// order (os.ReadDir sorts). Directories without both files are skipped.
func LoadCorpus(dir string) ([]Case, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %w", dir, err)
	}
	var cases []Case
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name(), "source.html"))
		if err != nil {
			continue
		}
		exp, err := os.ReadFile(filepath.Join(dir, e.Name(), "expected.html"))
		if err != nil {
			continue
		}
		cases = append(cases, Case{Name: e.Name(), Source: src, Expected: exp})
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("load corpus %s: no */source.html with expected.html", dir)
	}
	return cases, nil
}
