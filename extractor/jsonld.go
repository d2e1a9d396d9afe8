package extractor

import (
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// jsonLD holds the article fields of a page's schema.org JSON-LD.
type jsonLD struct {
	headline  string
	author    string
	published string
	publisher string
}

// articleTypes are the schema.org types whose fields describe the page's
// article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "techarticle": true,
	"scholarlyarticle": true, "report": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "socialmediaposting": true,
	"webpage": true, "liveblogposting": true, "posting": true,
}

// readJSONLD reads the first article-typed object of the page's JSON-LD
// scripts, looking inside arrays and @graph. Malformed scripts are skipped.
func readJSONLD(doc *goquery.Document) jsonLD {
	var out jsonLD
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			return true
		}
		if obj := findArticle(v); obj != nil {
			out = jsonLD{
				headline:  ldString(obj["headline"]),
				author:    ldNames(obj["author"]),
				published: ldString(obj["datePublished"]),
				publisher: ldNames(obj["publisher"]),
			}
			return false
		}
		return true
	})
	return out
}

// maxLDNodes bounds the JSON-LD values findArticle visits.
const maxLDNodes = 1000

// findArticle walks v breadth-first for an object of an article type,
// preferring specific article types over WebPage.
func findArticle(v any) map[string]any {
	var page map[string]any
	queue := []any{v}
	for visited := 0; len(queue) > 0 && visited < maxLDNodes; visited++ {
		cur := queue[0]
		queue = queue[1:]
		switch x := cur.(type) {
		case []any:
			queue = append(queue, x...)
		case map[string]any:
			for _, t := range ldTypes(x["@type"]) {
				if t == "webpage" {
					if page == nil {
						page = x
					}
				} else if articleTypes[t] {
					return x
				}
			}
			if g, ok := x["@graph"]; ok {
				queue = append(queue, g)
			}
			if m, ok := x["mainEntity"]; ok {
				queue = append(queue, m)
			}
		}
	}
	return page
}

func ldTypes(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{strings.ToLower(x)}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, strings.ToLower(s))
			}
		}
		return out
	}
	return nil
}

func ldString(v any) string {
	if s, ok := v.(string); ok {
		return clean(s)
	}
	return ""
}

// ldNames reads a person or organisation field: a string, an object with
// a name, or a list of either, joined with ", ".
func ldNames(v any) string {
	var names []string
	var add func(any)
	add = func(v any) {
		switch x := v.(type) {
		case string:
			if s := clean(x); s != "" && !isURLish(s) {
				names = append(names, s)
			}
		case map[string]any:
			add(x["name"])
		case []any:
			for _, e := range x {
				if len(names) < 10 {
					add(e)
				}
			}
		}
	}
	add(v)
	return strings.Join(names, ", ")
}
