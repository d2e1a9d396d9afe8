// Package candidates holds the content extractors that extractor.Default
// was chosen against, kept so that the choice can be measured again
// (cmd/extracteval and BenchmarkExtract). It is not linked into the
// service: only the evaluation imports it, so go-trafilatura and
// go-shiori/go-readability, with their dependencies and start-up cost,
// stay out of the newsletter binary.
package candidates

import (
	"github.com/markusmobius/go-trafilatura"

	"github.com/godevcommunity/newsletter/extractor"
)

var (
	// Readability is github.com/go-shiori/go-readability, the baseline.
	Readability = extractor.New("go-readability", shioriContent)
	// Trafilatura is github.com/markusmobius/go-trafilatura on its own.
	Trafilatura = extractor.New("trafilatura", trafilaturaContent(trafilatura.Balanced, false))
	// TrafilaturaFallback lets trafilatura compare its result with
	// go-readability's and DOM Distiller's and keep the better one.
	TrafilaturaFallback = extractor.New("trafilatura+fallback", trafilaturaContent(trafilatura.Balanced, true))
	// TrafilaturaPrecision is trafilatura favouring precision.
	TrafilaturaPrecision = extractor.New("trafilatura(precision)", trafilaturaContent(trafilatura.FavorPrecision, false))
	// TrafilaturaRecall is trafilatura favouring recall.
	TrafilaturaRecall = extractor.New("trafilatura(recall)", trafilaturaContent(trafilatura.FavorRecall, false))
	// ReadeckRescued is Readeck, rescued by trafilatura (with its own
	// fallbacks) on the pages where Readeck finds no text at all.
	ReadeckRescued = extractor.New("readeck→trafilatura", rescued(readeckContent, trafilaturaContent(trafilatura.Balanced, true)))
	// TrafilaturaReadeck is trafilatura comparing its result with
	// Readeck's, in place of go-readability's and DOM Distiller's.
	TrafilaturaReadeck = extractor.New("trafilatura+readeck", trafilaturaReadeck)
)

// All returns every candidate, extractor.Default first.
func All() []extractor.Extractor {
	return []extractor.Extractor{
		extractor.Default, Readability, Trafilatura, TrafilaturaFallback,
		TrafilaturaPrecision, TrafilaturaRecall, ReadeckRescued, TrafilaturaReadeck,
	}
}
