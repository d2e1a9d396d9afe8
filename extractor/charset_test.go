package extractor

import (
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
)

func TestToUTF8(t *testing.T) {
	const kor = "고 언어 소식"
	eucKR, err := korean.EUCKR.NewEncoder().String(kor)
	if err != nil {
		t.Fatal(err)
	}
	latin1, err := charmap.Windows1252.NewEncoder().String("café")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body, want string
	}{
		// The fetcher hands over UTF-8 but leaves the page's <meta> as it
		// was; decoding it again as EUC-KR would garble it.
		{"UTF-8 under a meta naming another charset", `<meta charset="euc-kr"><p>` + kor, `<meta charset="euc-kr"><p>` + kor},
		{"UTF-8 byte order mark dropped", "\xef\xbb\xbf<p>" + kor, "<p>" + kor},
		{"EUC-KR declared by meta", `<meta charset="euc-kr"><p>` + eucKR, `<meta charset="euc-kr"><p>` + kor},
		{"undeclared legacy bytes as windows-1252", "<p>" + latin1, "<p>café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(toUTF8([]byte(tt.body))); got != tt.want {
				t.Errorf("toUTF8(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}
