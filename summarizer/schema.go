package summarizer

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/entry"
)

// responseSchema constrains the answer to the five string fields, with the
// length bounds the guardrails check again afterwards. All five are
// required so the model always decides about the optional ones; it answers
// "" for nothing to say.
func responseSchema() *genai.Schema {
	var order []string
	props := map[string]*genai.Schema{}
	for _, f := range responseFields() {
		s := &genai.Schema{Type: genai.TypeString, Description: f.desc, MaxLength: genai.Ptr(int64(f.max))}
		if f.min > 0 {
			s.MinLength = genai.Ptr(int64(f.min))
		}
		order = append(order, f.key)
		props[f.key] = s
	}
	return &genai.Schema{
		Type:             genai.TypeObject,
		Properties:       props,
		Required:         order,
		PropertyOrdering: order,
	}
}

// responseField is one property of the answer, whatever the provider's
// schema language.
type responseField struct {
	key, desc string
	min, max  int // in characters (runes)
}

// responseFields are the answer's properties in entry order.
func responseFields() []responseField {
	desc := map[entry.Field]string{
		entry.Title:          "The article title in Korean; names keep their spelling.",
		entry.Summary:        "요약: two to four Korean sentences on the article's main point.",
		entry.Introduction:   "소개: what the article explains, in Korean.",
		entry.Recommendation: "추천: who should read it and why, in Korean; empty if nothing specific.",
		entry.Caution:        "주의: sponsorship, beta software, outdated or unsupported claims, uncertainty; empty otherwise.",
	}
	out := make([]responseField, len(entry.Fields))
	for i, f := range entry.Fields {
		out[i] = responseField{key: f.Key(), desc: desc[f], min: f.Limits().Min, max: f.Limits().Max}
	}
	return out
}

// decodeSections parses an answer. Models sometimes wrap JSON in a code
// fence despite the JSON response type; the fence is tolerated.
func decodeSections(text string) (entry.Sections, error) {
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "```") {
		t = strings.TrimPrefix(t, "```json")
		t = strings.TrimPrefix(t, "```")
		t = strings.TrimSuffix(strings.TrimSpace(t), "```")
	}
	var s entry.Sections
	if err := json.Unmarshal([]byte(t), &s); err != nil {
		return entry.Sections{}, fmt.Errorf("%w: %v", ErrInvalidResponse, err)
	}
	return normalize(s), nil
}
