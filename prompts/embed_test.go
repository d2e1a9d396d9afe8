package prompts

import (
	"testing"
	"text/template"
)

func TestSummarizeTemplateParses(t *testing.T) {
	b, err := FS.ReadFile(Summarize)
	if err != nil {
		t.Fatalf("embedded %s: %v", Summarize, err)
	}
	tmpl, err := template.New(Summarize).Parse(string(b))
	if err != nil {
		t.Fatalf("parse %s: %v", Summarize, err)
	}
	for _, name := range []string{"system", "user", "correction"} {
		if tmpl.Lookup(name) == nil {
			t.Errorf("%s does not define %q", Summarize, name)
		}
	}
}
