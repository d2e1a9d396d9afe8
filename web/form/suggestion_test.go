package form

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestNewSuggestionForm(t *testing.T) {
	tests := []struct {
		name    string
		form    url.Values
		want    []int64
		wantErr string
	}{
		{"checked", url.Values{"id": {"3", "5"}}, []int64{3, 5}, ""},
		{"its own button wins", url.Values{"id": {"3", "5"}, "one": {"7"}}, []int64{7}, ""},
		{"none", url.Values{}, nil, ""},
		{"not a number", url.Values{"id": {"x"}}, nil, "후보 번호를 읽을 수 없습니다"},
		{"zero", url.Values{"one": {"0"}}, nil, "후보 번호를 읽을 수 없습니다"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodPost, "/desk/suggestions/accept", strings.NewReader(tt.form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		f, err := NewSuggestionForm(r)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Msg, tt.wantErr) {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case !slices.Equal(f.IDs, tt.want):
			t.Errorf("%s: ids %v, want %v", tt.name, f.IDs, tt.want)
		}
	}
}
