package extractor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/godevcommunity/newsletter/extractor/internal/words"
	"github.com/godevcommunity/newsletter/internal/quiet"
)

// Options bound the work of one extraction. A zero field takes its
// default.
type Options struct {
	// PDFMaxPages is how many pages of a PDF are read, from the first
	// (default DefaultPDFMaxPages).
	PDFMaxPages int
	// PDFTimeout bounds the time spent reading a PDF's pages (default
	// DefaultPDFTimeout). It is checked between pages; one page's content
	// is bounded by maxPDFPageContent.
	PDFTimeout time.Duration
}

// The defaults of Options, also those of the extractor section of the
// configuration.
const (
	DefaultPDFMaxPages = 20
	DefaultPDFTimeout  = 10 * time.Second
)

func (o Options) withDefaults() Options {
	if o.PDFMaxPages <= 0 {
		o.PDFMaxPages = DefaultPDFMaxPages
	}
	if o.PDFTimeout <= 0 {
		o.PDFTimeout = DefaultPDFTimeout
	}
	return o
}

// Errors of PDF extraction. Extract wraps them with the page URL; a PDF
// without text also matches ErrNoContent.
var (
	ErrEncryptedPDF = errors.New("the PDF is encrypted")
	ErrScannedPDF   = errors.New("the PDF has no text layer (scanned pages?)")
	ErrMalformedPDF = errors.New("the PDF is malformed")
	ErrPDFTimeout   = errors.New("reading the PDF took too long")
)

// maxPDFPageContent bounds the decompressed content of one page, so that
// a compression bomb costs neither unbounded time nor memory.
const maxPDFPageContent = 16 << 20

// pdfArticle reads the text of the first opts.PDFMaxPages pages of a PDF.
// The title is the document's Title metadata, else the first line of its
// text; author and date come from its metadata too.
func pdfArticle(body []byte, opts Options) (a *Article, err error) {
	encrypted := false
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("%w: %v", ErrMalformedPDF, r)
			if encrypted {
				err = fmt.Errorf("%w: its text could not be decrypted: %v", ErrEncryptedPDF, r)
			}
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return nil, fmt.Errorf("%w: it needs a password", ErrEncryptedPDF)
	case err != nil && strings.Contains(err.Error(), "encrypt"):
		return nil, fmt.Errorf("%w: %v", ErrEncryptedPDF, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrMalformedPDF, err)
	}
	// The reader opens a PDF encrypted without a user password but does
	// not always decrypt it right: an encrypted PDF that yields no text is
	// reported as encrypted, not as malformed or scanned.
	encrypted = !r.Trailer().Key("Encrypt").IsNull()
	deadline := time.Now().Add(opts.PDFTimeout)
	n := min(r.NumPage(), opts.PDFMaxPages)
	var pages []string
	var pageErr error
	read := 0
	for i := 1; i <= n; i++ {
		if time.Now().After(deadline) {
			if read == 0 {
				return nil, fmt.Errorf("%w: no page read in %v", ErrPDFTimeout, opts.PDFTimeout)
			}
			break // the pages read so far are the article
		}
		t, err := pageText(r.Page(i))
		read++
		if err != nil {
			pageErr = fmt.Errorf("page %d: %w", i, err)
			continue
		}
		if t != "" {
			pages = append(pages, t)
		}
	}
	text := strings.Join(pages, "\n\n")
	if words.Count(text) == 0 {
		if encrypted {
			return nil, fmt.Errorf("%w: its text could not be decrypted", ErrEncryptedPDF)
		}
		if pageErr != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformedPDF, pageErr)
		}
		return nil, fmt.Errorf("%w: %d of %d pages read: %w", ErrScannedPDF, read, r.NumPage(), ErrNoContent)
	}
	info := r.Trailer().Key("Info")
	a = &Article{
		Title:     pdfTitle(info.Key("Title").Text(), text),
		Author:    clean(info.Key("Author").Text()),
		Published: pdfDate(info.Key("CreationDate").Text()),
		Text:      text,
	}
	return a, nil
}

// pdfTitle is the document's Title metadata unless it is missing or names
// a file, else the first line of its text.
func pdfTitle(meta, text string) string {
	t := clean(meta)
	lower := strings.ToLower(t)
	for _, junk := range []string{".doc", ".docx", ".pdf", ".tex", ".dvi", ".indd", ".ppt", ".pptx"} {
		if strings.HasSuffix(lower, junk) {
			t = ""
		}
	}
	if t == "" || lower == "untitled" || strings.HasPrefix(lower, "microsoft word - ") {
		return titleFromLine(firstLine(text))
	}
	return t
}

// pdfDate parses a PDF date, "D:YYYYMMDDHHmmSSOHH'mm'" with every part
// after the year optional; nil when it does not parse.
func pdfDate(s string) *time.Time {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits < 4 {
		return nil
	}
	num := func(from, to, def int) int {
		if to > digits {
			return def
		}
		v, _ := strconv.Atoi(s[from:to])
		return v
	}
	loc := time.UTC
	if rest := s[digits:]; len(rest) >= 3 && (rest[0] == '+' || rest[0] == '-') {
		h, err1 := strconv.Atoi(rest[1:3])
		m := 0
		if len(rest) >= 6 && rest[3] == '\'' {
			m, _ = strconv.Atoi(rest[4:6])
		}
		if err1 == nil {
			off := (h*60 + m) * 60
			if rest[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	t := time.Date(num(0, 4, 0), time.Month(num(4, 6, 1)), num(6, 8, 1), num(8, 10, 0), num(10, 12, 0), num(12, 14, 0), 0, loc)
	if t.Year() < 1990 || t.After(time.Now().Add(48*time.Hour)) {
		return nil
	}
	t = t.UTC()
	return &t
}

// pageText returns the text of one page, a line per line of text.
//
// The library's own GetPlainText glues the words of most TeX-made PDFs
// together, since they space words by moving the pen inside TJ arrays
// rather than with space characters; this walk reads such a move of more
// than pdfWordGap thousandths of an em as a space, and a change of line
// position as a line break.
func pageText(p pdf.Page) (string, error) {
	contents := p.V.Key("Contents")
	if contents.IsNull() {
		return "", nil
	}
	if err := checkContentSize(contents); err != nil {
		return "", err
	}
	var b strings.Builder
	var enc pdf.TextEncoding
	encoders := make(map[string]pdf.TextEncoding)
	lastY, haveY := 0.0, false
	fontSize := 1.0
	newline := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	show := func(v pdf.Value) {
		if enc == nil {
			b.WriteString(v.RawString())
			return
		}
		b.WriteString(enc.Decode(v.RawString()))
	}
	var args []pdf.Value
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		if n := stk.Len(); cap(args) < n {
			args = make([]pdf.Value, n)
		} else {
			args = args[:n]
		}
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "Tf": // font and size
			if len(args) == 2 {
				fontSize = max(args[1].Float64(), 1)
				name := args[0].Name()
				e, ok := encoders[name]
				if !ok {
					f := p.Font(name)
					e = f.Encoder()
					encoders[name] = e
				}
				enc = e
			}
		case "T*": // next line
			newline()
		case "'", "\"": // next line, then show
			newline()
			if len(args) > 0 {
				show(args[len(args)-1])
			}
		case "Td", "TD": // move the pen; a vertical move starts a line
			if len(args) == 2 && args[1].Float64() != 0 {
				newline()
			}
		case "Tm": // set the text matrix: a new line when the height
			// changes by half a line (a move along the line may be inside
			// a word, as some producers place runs of letters)
			if len(args) == 6 {
				y, size := args[5].Float64(), fontSize*max(abs(args[3].Float64()), abs(args[0].Float64()))
				if haveY && abs(y-lastY) > size/2 {
					newline()
				}
				lastY, haveY = y, true
			}
		case "Tj":
			if len(args) == 1 {
				show(args[0])
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			for i := range args[0].Len() {
				switch x := args[0].Index(i); x.Kind() {
				case pdf.String:
					show(x)
				case pdf.Integer, pdf.Real:
					if x.Float64() < -pdfWordGap {
						b.WriteByte(' ')
					}
				}
			}
		}
	})
	var lines []string
	for line := range strings.SplitSeq(b.String(), "\n") {
		if l := strings.Join(strings.Fields(line), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), nil
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// pdfWordGap is the leftward pen move inside a TJ array, in thousandths of
// an em, past which it separates words: TeX's word spaces are about 330,
// its kerns under 100.
const pdfWordGap = 180

// checkContentSize reports an error when a page's decompressed content is
// larger than maxPDFPageContent, reading no more than that.
func checkContentSize(contents pdf.Value) error {
	var streams []pdf.Value
	if contents.Kind() == pdf.Array {
		for i := range contents.Len() {
			streams = append(streams, contents.Index(i))
		}
	} else {
		streams = append(streams, contents)
	}
	var total int64
	for _, s := range streams {
		rd := s.Reader()
		n, err := io.Copy(io.Discard, io.LimitReader(rd, maxPDFPageContent-total+1))
		quiet.Close(rd) // only read, its errors checked below
		if err != nil {
			return fmt.Errorf("reading its content: %w", err)
		}
		if total += n; total > maxPDFPageContent {
			return fmt.Errorf("its content is larger than %d MiB", maxPDFPageContent>>20)
		}
	}
	return nil
}
