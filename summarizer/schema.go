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
	str := func(desc string, minLen, maxLen int) *genai.Schema {
		s := &genai.Schema{Type: genai.TypeString, Description: desc, MaxLength: genai.Ptr(int64(maxLen))}
		if minLen > 0 {
			s.MinLength = genai.Ptr(int64(minLen))
		}
		return s
	}
	desc := map[entry.Field]string{
		entry.Title:          "The article title in Korean; names keep their spelling.",
		entry.Summary:        "요약: two to four Korean sentences on the article's main point.",
		entry.Introduction:   "소개: what the article explains, in Korean.",
		entry.Recommendation: "추천: who should read it and why, in Korean; empty if nothing specific.",
		entry.Caution:        "주의: sponsorship, beta software, outdated or unsupported claims, uncertainty; empty otherwise.",
	}
	var order []string
	props := map[string]*genai.Schema{}
	for _, f := range entry.Fields {
		order = append(order, f.Key())
		props[f.Key()] = str(desc[f], f.Limits().Min, f.Limits().Max)
	}
	return &genai.Schema{
		Type:             genai.TypeObject,
		Properties:       props,
		Required:         order,
		PropertyOrdering: order,
	}
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
