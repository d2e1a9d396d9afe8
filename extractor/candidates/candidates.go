// Package candidates holds the content extractors that extractor.Default
// is measured against, kept so that the choice can be measured again
// (cmd/extracteval and BenchmarkExtract). It is not linked into the
// service: only the evaluation imports it, so go-trafilatura and
// go-shiori/go-readability, with their dependencies and start-up cost,
// stay out of the newsletter binary.
package candidates

import (
	"github.com/godevcommunity/newsletter/extractor"
)

var (
	// Readability is github.com/go-shiori/go-readability, the baseline.
	Readability = extractor.New("go-readability", shioriContent)
	// Trafilatura is github.com/markusmobius/go-trafilatura on its own.
	Trafilatura = extractor.New("trafilatura", trafilaturaContent(false))
	// TrafilaturaFallback lets trafilatura compare its result with
	// go-readability's and DOM Distiller's and keep the better one.
	TrafilaturaFallback = extractor.New("trafilatura+fallback", trafilaturaContent(true))
)

// All returns every candidate: extractor.Default first, then Readeck on
// its own (the extractor the default starts from), go-readability and the
// two trafilatura configurations.
func All() []extractor.Extractor {
	return []extractor.Extractor{
		extractor.Default, extractor.Readeck, Readability, Trafilatura, TrafilaturaFallback,
	}
}
