package form

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/api"
)

func post(values url.Values) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestEntryForm(t *testing.T) {
	f := NewEntryForm(post(url.Values{"title": {"  제목  "}, "summary": {"첫 줄\r\n둘째 줄\r셋째 줄"}, "action": {"preview"}}))
	if !f.Preview || f.Fields[api.FieldTitle] != "제목" || f.Fields[api.FieldSummary] != "첫 줄\n둘째 줄\n셋째 줄" {
		t.Errorf("form = %+v", f)
	}
	if _, ok := f.Fields[api.FieldCaution]; ok {
		t.Error("a field the form does not hold is in it")
	}
	c, conflicts := f.Change(map[string]string{api.FieldTitle: "제목", api.FieldSummary: "옛 요약"})
	if len(c.Fields) != 1 || *c.Fields[api.FieldSummary] != "첫 줄\n둘째 줄\n셋째 줄" || conflicts != nil {
		t.Errorf("change = %v, conflicts %v", c.Fields, conflicts)
	}
}

// A field counts as changed when the posted text differs from the text
// the page was loaded with; one changed meanwhile as well is a conflict,
// and then nothing is saved.
func TestEntryFormChange(t *testing.T) {
	const A, B, C = "모델이 쓴 요약", "편집자가 고친 요약", "다시 생성한 요약"
	ti, su := api.FieldTitle, api.FieldSummary
	tests := []struct {
		name      string
		loaded    map[string]string // nil: the form carries no digests
		posted    map[string]string
		now       map[string]string
		want      map[string]string
		conflicts []string
	}{
		{"nothing changed", map[string]string{su: A}, map[string]string{su: A}, map[string]string{su: A}, nil, nil},
		{"the editor changed it", map[string]string{su: A}, map[string]string{su: B}, map[string]string{su: A}, map[string]string{su: B}, nil},
		{"regenerated meanwhile, left alone by the editor", map[string]string{su: A}, map[string]string{su: A}, map[string]string{su: C}, nil, nil},
		{"changed by both", map[string]string{su: A}, map[string]string{su: B}, map[string]string{su: C}, nil, []string{su}},
		{"changed by both to the same text", map[string]string{su: A}, map[string]string{su: C}, map[string]string{su: C}, nil, nil},
		{"a typo fixed in the title while the summary was regenerated",
			map[string]string{ti: "제네릭 실정", su: A}, map[string]string{ti: "제네릭 실전", su: A},
			map[string]string{ti: "제네릭 실정", su: C}, map[string]string{ti: "제네릭 실전"}, nil},
		{"one conflict saves nothing",
			map[string]string{ti: "제목", su: A}, map[string]string{ti: "새 제목", su: B},
			map[string]string{ti: "제목", su: C}, nil, []string{su}},
		{"no digests: compared with the entry now", nil, map[string]string{ti: "제목", su: B}, map[string]string{ti: "제목", su: A}, map[string]string{su: B}, nil},
		{"spaces around the title", map[string]string{ti: "제목"}, map[string]string{ti: "  제목 "}, map[string]string{ti: "제목"}, nil, nil},
		{"line ends as the browser sends them", map[string]string{su: "첫 줄\r\n둘째 줄"}, map[string]string{su: "첫 줄\r\n둘째 줄"},
			map[string]string{su: "첫 줄\r\n둘째 줄"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := url.Values{}
			for f, text := range tt.posted {
				v.Set(string(f), text)
			}
			for f, text := range tt.loaded {
				v.Set(BaseName(f), Digest(f, text))
			}
			c, conflicts := NewEntryForm(post(v)).Change(tt.now)
			got := map[string]string{}
			for f, text := range c.Fields {
				got[f] = *text
			}
			if len(got) != len(tt.want) {
				t.Errorf("change %v, want %v", got, tt.want)
			}
			for f, text := range tt.want {
				if got[f] != text {
					t.Errorf("change %v, want %v", got, tt.want)
				}
			}
			if !slices.Equal(conflicts, tt.conflicts) {
				t.Errorf("conflicts %v, want %v", conflicts, tt.conflicts)
			}
		})
	}
}

func TestMoveForm(t *testing.T) {
	tests := []struct {
		dir, pos string
		current  int
		want     int
		wantErr  bool
	}{
		{"up", "3", 3, 2, false},
		{"up", "", 1, 1, false},
		{"down", "", 2, 3, false},
		{"", "5", 2, 5, false},
		{"", "0", 2, 0, false}, // the desk refuses a position below 1
		{"", "x", 2, 0, false},
		{"sideways", "", 2, 0, true},
	}
	for _, tt := range tests {
		f := NewMoveForm(post(url.Values{"dir": {tt.dir}, "position": {tt.pos}}))
		err := f.Validate()
		if (err != nil) != tt.wantErr {
			t.Errorf("dir %q position %q: error %v", tt.dir, tt.pos, err)
			continue
		}
		if err == nil && f.Target(tt.current) != tt.want {
			t.Errorf("dir %q position %q from %d: %d, want %d", tt.dir, tt.pos, tt.current, f.Target(tt.current), tt.want)
		}
	}
}

func TestSubmissionForm(t *testing.T) {
	got := NewSubmissionForm(post(url.Values{"url": {" https://go.dev/x "}, "submitted_by": {" kim "}, "note": {"좋은\r\n글"}})).Request()
	if want := (api.SubmissionRequest{URL: "https://go.dev/x", SubmittedBy: "kim", Note: "좋은\n글"}); got != want {
		t.Errorf("request %+v, want %+v", got, want)
	}
}

// The sign-in form reads the token trimmed (blank is empty, which the
// desk refuses: desk.TestSignIn) and the page to open next.
func TestSigninForm(t *testing.T) {
	if f := NewSigninForm(post(url.Values{"token": {"  "}})); f.Token != "" {
		t.Errorf("a blank token read as %q, want empty", f.Token)
	}
	f := NewSigninForm(post(url.Values{"token": {" abc "}, "next": {"/desk/status"}}))
	if f.Token != "abc" || f.Next != "/desk/status" {
		t.Errorf("form = %+v", f)
	}
}
