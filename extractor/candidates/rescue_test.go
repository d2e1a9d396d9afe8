package candidates

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/extractor"
)

func TestRescued(t *testing.T) {
	article := "<p>" + strings.Repeat("word ", minRescueWords) + "</p>"
	short := "<p>" + strings.Repeat("word ", minRescueWords-1) + "</p>"
	errPrimary := errors.New("primary failed")
	tests := []struct {
		name            string
		primary, rescue string // "" is a nil node
		primaryErr      error
		want            string
		wantErr         error
	}{
		{"primary has words", "<p>one word</p>", article, nil, "one word", nil},
		{"primary empty, rescue used", "<nav>Home</nav><p> . </p>", article, nil, strings.TrimSpace(strings.Repeat("word ", minRescueWords)), nil},
		{"primary nil, rescue used", "", article, nil, strings.TrimSpace(strings.Repeat("word ", minRescueWords)), nil},
		{"primary failed, rescue used", "", article, errPrimary, strings.TrimSpace(strings.Repeat("word ", minRescueWords)), nil},
		{"rescue too short, primary kept", "<p> - </p>", short, nil, "-", nil},
		{"both fail, primary error kept", "", "", errPrimary, "", errPrimary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := rescued(fixed(t, tt.primary, tt.primaryErr), fixed(t, tt.rescue, nil))
			n, err := content(&html.Node{Type: html.DocumentNode}, &url.URL{Scheme: "https", Host: "example.com"})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := strings.TrimSpace(extractor.Render(n)); got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
		})
	}
}

// fixed returns a content function that ignores the page and returns src
// parsed (nil when src is empty) and err.
func fixed(t *testing.T, src string, err error) contentFunc {
	t.Helper()
	var n *html.Node
	if src != "" {
		var perr error
		if n, perr = html.Parse(strings.NewReader(src)); perr != nil {
			t.Fatal(perr)
		}
	}
	return func(*html.Node, *url.URL) (*html.Node, error) { return n, err }
}
