package summarizer

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"
)

// Sections are the model-written parts of one newsletter entry. Headings,
// the 참고 link and all layout belong to the publisher.
type Sections struct {
	TitleKo        string `json:"title_ko"`
	Summary        string `json:"summary"`
	Introduction   string `json:"introduction"`
	Recommendation string `json:"recommendation,omitempty"`
	Caution        string `json:"caution,omitempty"`
}

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
	order := []string{"title_ko", "summary", "introduction", "recommendation", "caution"}
	return &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"title_ko":       str("The article title in Korean; names keep their spelling.", 1, limits.MaxTitle),
			"summary":        str("요약: two to four Korean sentences on the article's main point.", limits.MinSummary, limits.MaxSummary),
			"introduction":   str("소개: what the article explains, in Korean.", limits.MinIntro, limits.MaxIntro),
			"recommendation": str("추천: who should read it and why, in Korean; empty if nothing specific.", 0, limits.MaxOptional),
			"caution":        str("주의: sponsorship, beta software, outdated or unsupported claims, uncertainty; empty otherwise.", 0, limits.MaxOptional),
		},
		Required:         order,
		PropertyOrdering: order,
	}
}

// decodeSections parses an answer. Models sometimes wrap JSON in a code
// fence despite the JSON response type; the fence is tolerated.
func decodeSections(text string) (Sections, error) {
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "```") {
		t = strings.TrimPrefix(t, "```json")
		t = strings.TrimPrefix(t, "```")
		t = strings.TrimSuffix(strings.TrimSpace(t), "```")
	}
	var s Sections
	if err := json.Unmarshal([]byte(t), &s); err != nil {
		return Sections{}, fmt.Errorf("%w: %v", ErrInvalidResponse, err)
	}
	return s.normalize(), nil
}
