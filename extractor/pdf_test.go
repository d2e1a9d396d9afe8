package extractor

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// makePDF writes a PDF with go-pdf/fpdf, a real PDF producer: one page per
// entry of pages, each a list of lines; title and author go into the
// document's metadata when set. edit may change the document before the
// pages are added (protection, images).
func makePDF(t *testing.T, title, author string, pages [][]string, edit func(*fpdf.Fpdf)) []byte {
	t.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(time.Date(2024, 8, 13, 9, 30, 0, 0, time.UTC))
	if title != "" {
		f.SetTitle(title, true)
	}
	if author != "" {
		f.SetAuthor(author, true)
	}
	if edit != nil {
		edit(f)
	}
	f.SetFont("Helvetica", "", 12)
	for _, lines := range pages {
		f.AddPage()
		for _, l := range lines {
			f.CellFormat(0, 8, l, "", 1, "L", false, 0, "")
		}
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var paperPages = [][]string{
	{"Scheduling goroutines at scale", "The Go runtime multiplexes goroutines onto threads.", "Work stealing keeps every processor busy."},
	{"Preemption", "Since Go 1.14 loops without calls can be preempted."},
	{"Conclusion", "Measure before tuning GOMAXPROCS."},
}

func TestExtractPDF(t *testing.T) {
	body := makePDF(t, "Goroutine scheduling", "Jane Gopher", paperPages, nil)
	for _, mediaType := range []string{"application/pdf", ""} { // declared and sniffed
		a, err := Extract(body, "https://example.com/paper.pdf?utm_source=x", mediaType)
		if err != nil {
			t.Fatalf("%q: %v", mediaType, err)
		}
		published := time.Date(2024, 8, 13, 9, 30, 0, 0, time.UTC)
		if a.Title != "Goroutine scheduling" || a.Author != "Jane Gopher" || a.Published == nil || !a.Published.Equal(published) ||
			a.Language != "en" || a.CanonicalURL != "https://example.com/paper.pdf" {
			t.Errorf("%q: metadata = %+v (published %v)", mediaType, a, a.Published)
		}
		want := "Scheduling goroutines at scale\nThe Go runtime multiplexes goroutines onto threads.\nWork stealing keeps every processor busy." +
			"\n\nPreemption\nSince Go 1.14 loops without calls can be preempted.\n\nConclusion\nMeasure before tuning GOMAXPROCS."
		if a.Text != want {
			t.Errorf("%q: text = %q, want %q", mediaType, a.Text, want)
		}
	}
}

func TestExtractPDFOptions(t *testing.T) {
	body := makePDF(t, "", "", paperPages, nil)
	a, err := ExtractWith(body, "https://example.com/paper.pdf", "application/pdf", Options{PDFMaxPages: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Preemption") || strings.Contains(a.Text, "Conclusion") {
		t.Errorf("with 2 pages at most, text = %q", a.Text)
	}
	// Without metadata the title is the first line.
	if a.Title != "Scheduling goroutines at scale" {
		t.Errorf("title = %q, want the first line", a.Title)
	}
	_, err = ExtractWith(body, "https://example.com/paper.pdf", "application/pdf", Options{PDFTimeout: time.Nanosecond})
	if !errors.Is(err, ErrPDFTimeout) || !strings.Contains(err.Error(), "https://example.com/paper.pdf") {
		t.Errorf("with a 1ns timeout, err = %v, want ErrPDFTimeout naming the URL", err)
	}
}

func TestExtractPDFErrors(t *testing.T) {
	const pageURL = "https://example.com/paper.pdf"
	text := [][]string{{"Some text on the page."}}
	encrypted := makePDF(t, "", "", text, func(f *fpdf.Fpdf) {
		f.SetProtection(fpdf.CnProtectPrint, "user secret", "owner secret")
	})
	ownerOnly := makePDF(t, "", "", text, func(f *fpdf.Fpdf) {
		f.SetProtection(fpdf.CnProtectPrint, "", "owner secret") // opens without a password
	})
	scanned := makePDF(t, "", "", [][]string{nil}, func(f *fpdf.Fpdf) {
		img := image.NewGray(image.Rect(0, 0, 40, 20))
		for i := range img.Pix {
			img.Pix[i] = uint8(i)
		}
		img.Set(3, 3, color.White)
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		f.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &b)
		f.AddPage()
		f.ImageOptions("scan", 10, 10, 100, 50, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	})
	whole := makePDF(t, "", "", text, nil)
	tests := []struct {
		name string
		body []byte
		want []error
	}{
		{"encrypted", encrypted, []error{ErrEncryptedPDF}},
		// The reader opens it but cannot decrypt fpdf's RC4 streams.
		{"encrypted, no user password", ownerOnly, []error{ErrEncryptedPDF}},
		{"scanned", scanned, []error{ErrScannedPDF, ErrNoContent}},
		{"truncated", whole[:len(whole)/2], []error{ErrMalformedPDF}},
		{"garbage", []byte("%PDF-1.7\n" + strings.Repeat("(", 100)), []error{ErrMalformedPDF}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(tt.body, pageURL, "application/pdf")
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("Extract = %+v, %v; want %v", a, err, want)
				}
			}
			if err != nil && (!strings.Contains(err.Error(), pageURL) || strings.Contains(err.Error(), "panicked")) {
				t.Errorf("error %q does not name the page or reports a panic", err)
			}
		})
	}
}

func TestPDFDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" for nil
	}{
		{"D:20240813093000Z", "2024-08-13T09:30:00Z"},
		{"D:20240813093000+02'00'", "2024-08-13T07:30:00Z"},
		{"D:20240813093000-05'30", "2024-08-13T15:00:00Z"},
		{"D:2024", "2024-01-01T00:00:00Z"},
		{"20240813", "2024-08-13T00:00:00Z"},
		{"", ""},
		{"D:12", ""},
		{"D:19700101000000Z", ""}, // an unset clock, not a date
	}
	for _, tt := range tests {
		got := pdfDate(tt.in)
		switch {
		case tt.want == "" && got != nil:
			t.Errorf("pdfDate(%q) = %v, want nil", tt.in, got)
		case tt.want != "" && (got == nil || got.Format(time.RFC3339) != tt.want):
			t.Errorf("pdfDate(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPDFTitle(t *testing.T) {
	const text = "A Tour of Go Generics\nFirst paragraph."
	for meta, want := range map[string]string{
		"Generics in Go":                 "Generics in Go",
		"":                               "A Tour of Go Generics",
		"Microsoft Word - generics.docx": "A Tour of Go Generics",
		"slides.pdf":                     "A Tour of Go Generics",
		"Untitled":                       "A Tour of Go Generics",
	} {
		if got := pdfTitle(meta, text); got != want {
			t.Errorf("pdfTitle(%q) = %q, want %q", meta, got, want)
		}
	}
}

// handPDF builds a one-page PDF around a content stream, deflated: the
// way to make pages no producer would, such as a compression bomb or TJ
// arrays with TeX's word spacing.
func handPDF(t *testing.T, content []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	w.Close()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPDFPageContent(t *testing.T) {
	// TeX spaces words by moving the pen inside TJ arrays.
	tex := handPDF(t, []byte("BT /F1 10 Tf 72 700 Td [(Go)-333(channels)-333(con)15(nect)-333(goroutines.)] TJ 0 -12 Td [(Second)-333(line)] TJ ET"))
	a, err := Extract(tex, "https://example.com/tex.pdf", "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != "Go channels connect goroutines.\nSecond line" {
		t.Errorf("text = %q", a.Text)
	}
	// A page whose content inflates past the bound is not read.
	bomb := handPDF(t, bytes.Repeat([]byte(" "), maxPDFPageContent+1))
	_, err = Extract(bomb, "https://example.com/bomb.pdf", "application/pdf")
	if !errors.Is(err, ErrMalformedPDF) || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("bomb: err = %v, want ErrMalformedPDF naming the bound", err)
	}
}
