package summarizer

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/godevcommunity/newsletter/config"
)

// TestOpenAIRequestIsTheSDKs: the request the provider sends is, field
// for field, the one the official SDK builds for the same conversation,
// so the small client speaks the SDK's wire format.
func TestOpenAIRequestIsTheSDKs(t *testing.T) {
	for _, legacy := range []bool{true, false} {
		p := &openaiProvider{cfg: config.OpenAI{Model: "qwen3"}, shared: config.Default().Gemini, schema: openAISchema(), legacyMaxTokens: legacy}
		a := ask{system: "sys", turns: []turn{{text: "article"}, {model: true, text: "answer"}, {text: "fix it"}}, maxOutput: 4096}
		sdk := openai.ChatCompletionNewParams{
			Model: shared.ChatModel("qwen3"),
			Messages: []openai.ChatCompletionMessageParamUnion{
				openai.SystemMessage("sys"), openai.UserMessage("article"), openai.AssistantMessage("answer"), openai.UserMessage("fix it"),
			},
			Temperature: openai.Float(p.shared.Temperature),
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{
				OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{
					Name:        "newsletter_entry",
					Description: openai.String("The Korean sections of one newsletter entry."),
					Strict:      openai.Bool(true),
					Schema:      openAISchema(),
				}},
			},
		}
		if legacy {
			sdk.MaxTokens = openai.Int(4096)
		} else {
			sdk.MaxCompletionTokens = openai.Int(4096)
		}
		if got, want := asMap(t, p.params(a)), asMap(t, sdk); !reflect.DeepEqual(got, want) {
			t.Errorf("max_tokens legacy %v:\nours %v\nSDK  %v", legacy, got, want)
		}
	}
}

func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
