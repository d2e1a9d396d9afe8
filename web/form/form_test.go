package form

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
)

func post(values url.Values) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestEntryForm(t *testing.T) {
	f := NewEntryForm(post(url.Values{"title": {"  제목  "}, "summary": {"첫 줄\r\n둘째 줄\r셋째 줄"}, "action": {"preview"}}))
	if !f.Preview || f.Fields[entry.Title] != "제목" || f.Fields[entry.Summary] != "첫 줄\n둘째 줄\n셋째 줄" {
		t.Errorf("form = %+v", f)
	}
	if _, ok := f.Fields[entry.Caution]; ok {
		t.Error("a field the form does not hold is in it")
	}
	c, conflicts := f.Change(map[entry.Field]string{entry.Title: "제목", entry.Summary: "옛 요약"})
	if len(c.Fields) != 1 || *c.Fields[entry.Summary] != "첫 줄\n둘째 줄\n셋째 줄" || conflicts != nil {
		t.Errorf("change = %v, conflicts %v", c.Fields, conflicts)
	}
	long := NewEntryForm(post(url.Values{"introduction": {strings.Repeat("가", MaxField+1)}}))
	if err := long.Validate(); err == nil || !strings.Contains(err.Error(), "5001자") {
		t.Errorf("an oversized field: %v", err)
	}
	bad := &EntryForm{Fields: map[entry.Field]string{entry.Summary: "\xff"}}
	if err := bad.Validate(); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}

// A field counts as changed when the posted text differs from the text
// the page was loaded with; one changed meanwhile as well is a conflict,
// and then nothing is saved.
func TestEntryFormChange(t *testing.T) {
	const A, B, C = "모델이 쓴 요약", "편집자가 고친 요약", "다시 생성한 요약"
	ti, su := entry.Title, entry.Summary
	tests := []struct {
		name      string
		loaded    map[entry.Field]string // nil: the form carries no digests
		posted    map[entry.Field]string
		now       map[entry.Field]string
		want      map[entry.Field]string
		conflicts []entry.Field
	}{
		{"nothing changed", map[entry.Field]string{su: A}, map[entry.Field]string{su: A}, map[entry.Field]string{su: A}, nil, nil},
		{"the editor changed it", map[entry.Field]string{su: A}, map[entry.Field]string{su: B}, map[entry.Field]string{su: A}, map[entry.Field]string{su: B}, nil},
		{"regenerated meanwhile, left alone by the editor", map[entry.Field]string{su: A}, map[entry.Field]string{su: A}, map[entry.Field]string{su: C}, nil, nil},
		{"changed by both", map[entry.Field]string{su: A}, map[entry.Field]string{su: B}, map[entry.Field]string{su: C}, nil, []entry.Field{su}},
		{"changed by both to the same text", map[entry.Field]string{su: A}, map[entry.Field]string{su: C}, map[entry.Field]string{su: C}, nil, nil},
		{"a typo fixed in the title while the summary was regenerated",
			map[entry.Field]string{ti: "제네릭 실정", su: A}, map[entry.Field]string{ti: "제네릭 실전", su: A},
			map[entry.Field]string{ti: "제네릭 실정", su: C}, map[entry.Field]string{ti: "제네릭 실전"}, nil},
		{"one conflict saves nothing",
			map[entry.Field]string{ti: "제목", su: A}, map[entry.Field]string{ti: "새 제목", su: B},
			map[entry.Field]string{ti: "제목", su: C}, nil, []entry.Field{su}},
		{"no digests: compared with the entry now", nil, map[entry.Field]string{ti: "제목", su: B}, map[entry.Field]string{ti: "제목", su: A}, map[entry.Field]string{su: B}, nil},
		{"spaces around the title", map[entry.Field]string{ti: "제목"}, map[entry.Field]string{ti: "  제목 "}, map[entry.Field]string{ti: "제목"}, nil, nil},
		{"line ends as the browser sends them", map[entry.Field]string{su: "첫 줄\r\n둘째 줄"}, map[entry.Field]string{su: "첫 줄\r\n둘째 줄"},
			map[entry.Field]string{su: "첫 줄\r\n둘째 줄"}, nil, nil},
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
			got := map[entry.Field]string{}
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
		{"", "0", 2, 0, true},
		{"", "x", 2, 0, true},
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
	cfg := config.Default().Fetcher
	tests := []struct {
		url, by, note string
		wantURL       string
		wantErr       string
	}{
		{"https://go.dev/blog/unique?utm_source=x", " kim ", "좋은 글", "https://go.dev/blog/unique", ""},
		{"", "", "", "", "링크를 입력하세요"},
		{"ftp://go.dev/x", "", "", "", "받을 수 없는 링크"},
		{"http://10.0.0.1/admin", "", "", "", "받을 수 없는 링크"},
		{"https://go.dev/", strings.Repeat("가", MaxSubmittedBy+1), "", "", "제출자"},
		{"https://go.dev/", "", strings.Repeat("가", MaxNote+1), "", "메모"},
	}
	for _, tt := range tests {
		n, err := NewSubmissionForm(post(url.Values{"url": {tt.url}, "submitted_by": {tt.by}, "note": {tt.note}})).Validate(cfg)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.url, err, tt.wantErr)
			}
			continue
		}
		if err != nil || n.URL != tt.wantURL || n.SubmittedBy != "kim" || n.Note != tt.note {
			t.Errorf("%q: %+v %v", tt.url, n, err)
		}
	}
}

func TestSigninForm(t *testing.T) {
	if err := NewSigninForm(post(url.Values{"token": {"  "}})).Validate(); err == nil {
		t.Error("an empty token accepted")
	}
	f := NewSigninForm(post(url.Values{"token": {" abc "}, "next": {"/desk/status"}}))
	if f.Validate() != nil || f.Token != "abc" || f.Next != "/desk/status" {
		t.Errorf("form = %+v", f)
	}
}
