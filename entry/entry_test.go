package entry

import (
	"encoding/json"
	"testing"
)

func TestFieldKeysAndJSON(t *testing.T) {
	s := Sections{}
	for _, f := range Fields {
		if !f.Valid() {
			t.Errorf("%s is not valid", f)
		}
		s.Set(f, f.Key())
		if got := s.Get(f); got != f.Key() {
			t.Errorf("Get(%s) = %q after Set", f, got)
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]string
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, f := range Fields {
		if keys[f.Key()] != f.Key() {
			t.Errorf("JSON key %q = %q, want the field's text", f.Key(), keys[f.Key()])
		}
	}
	if len(keys) != len(Fields) {
		t.Errorf("JSON has %d keys, want %d: %s", len(keys), len(Fields), b)
	}
	if Opening.Valid() || Field("title_ko").Valid() {
		t.Error("the opening paragraph and a JSON key are not sections of an entry")
	}
	s.Set(Opening, "x")
	if s.Get(Opening) != "" {
		t.Error("Sections holds no opening paragraph")
	}
}

func TestCheck(t *testing.T) {
	long := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = '가'
		}
		return string(r)
	}
	tests := []struct {
		name  string
		field Field
		text  string
		by    Author
		want  []string // details, in order
	}{
		{"required title empty", Title, "", Model, []string{"is empty; it is required"}},
		{"an editor's blank title", Title, "  ", Editor, []string{"is empty; it is required"}},
		{"a model's short summary", Summary, "짧습니다.", Model, []string{"is 5 characters; write 40 to 600"}},
		{"an editor's short summary", Summary, "짧습니다.", Editor, nil},
		{"a model's long caution", Caution, long(801), Model, []string{"is 801 characters; the maximum is 800"}},
		{"an editor's long caution", Caution, long(801), Editor, nil},
		{"optional field empty", Recommendation, "", Model, nil},
		{"opening paragraph empty", Opening, "", Editor, nil},
		{"opening paragraph with a heading", Opening, "## 이번 주", Editor, []string{`heading "## 이번 주"; fields must not contain headings; the newsletter adds them`}},
		{"empty and no markup to report", Introduction, "", Editor, []string{"is empty; it is required"}},
		{"length and markup", Summary, "<b>x</b>", Model, []string{"is 8 characters; write 40 to 600", `HTML tag "<b>"; write plain text without HTML`, `HTML tag "</b>"; write plain text without HTML`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.field, tt.text, tt.by)
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %v, want %q", got, tt.want)
			}
			for i, w := range tt.want {
				if got[i].Detail != w || got[i].Field != tt.field {
					t.Errorf("problem %d = %+v, want %q", i, got[i], w)
				}
			}
		})
	}
}

func TestSectionsCheckInEntryOrder(t *testing.T) {
	got := Sections{Summary: "## 요약"}.Check(Editor)
	want := []struct {
		field Field
		rule  string
	}{{Title, RuleFields}, {Summary, RuleMarkup}, {Introduction, RuleFields}}
	if len(got) != len(want) {
		t.Fatalf("problems = %v, want %v", got, want)
	}
	for i, w := range want {
		if got[i].Field != w.field || got[i].Rule != w.rule {
			t.Errorf("problem %d = %v, want %s %s", i, got[i], w.field, w.rule)
		}
	}
	if s := got[0].String(); s != "title_ko: is empty; it is required (rule fields)" {
		t.Errorf("String() = %q", s)
	}
}
