package form

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

func post(values url.Values) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestEntryForm(t *testing.T) {
	f := NewEntryForm(post(url.Values{"title": {"  제목  "}, "summary": {"첫 줄\r\n둘째 줄\r셋째 줄"}, "action": {"preview"}}))
	if !f.Preview || f.Fields[store.FieldTitle] != "제목" || f.Fields[store.FieldSummary] != "첫 줄\n둘째 줄\n셋째 줄" {
		t.Errorf("form = %+v", f)
	}
	if _, ok := f.Fields[store.FieldCaution]; ok {
		t.Error("a field the form does not hold is in it")
	}
	c := f.Change(map[store.Field]string{store.FieldTitle: "제목", store.FieldSummary: "옛 요약"})
	if len(c.Fields) != 1 || *c.Fields[store.FieldSummary] != "첫 줄\n둘째 줄\n셋째 줄" {
		t.Errorf("change = %v", c.Fields)
	}
	long := NewEntryForm(post(url.Values{"introduction": {strings.Repeat("가", MaxField+1)}}))
	if err := long.Validate(); err == nil || !strings.Contains(err.Error(), "5001자") {
		t.Errorf("an oversized field: %v", err)
	}
	bad := &EntryForm{Fields: map[store.Field]string{store.FieldSummary: "\xff"}}
	if err := bad.Validate(); err == nil {
		t.Error("invalid UTF-8 accepted")
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
