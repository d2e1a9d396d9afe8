package desk

import (
	"context"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// Every text of a field is kept, the model's of each regeneration and
// each edit, with who and when; any can be restored, as an edit.
func TestVersionsAndRestore(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	id := h.addEntry("Generics in practice")
	edit := func(text, by string) {
		t.Helper()
		h.Clock.Advance(time.Minute)
		if _, err := h.desk.Edit(ctx, id, api.Change{Fields: map[string]*string{api.FieldSummary: &text}}, by); err != nil {
			t.Fatal(err)
		}
	}
	edit("김이 고친 요약입니다.", "kim")
	edit("이가 고친 요약입니다.", "lee")
	h.Clock.Advance(time.Minute)
	h.Gemini.Enqueue(geminitest.Echo())
	regenerated, err := h.desk.Regenerate(ctx, id, "더 짧게", "park")
	if err != nil {
		t.Fatal(err)
	}
	newModel := regenerated.ModelText[api.FieldSummary]
	vs, err := h.desk.Versions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var summary []api.Version
	for _, v := range vs {
		if v.Field == api.FieldSummary {
			summary = append(summary, v)
		}
	}
	want := []struct{ text, source, actor, instruction string }{
		{"모델이 쓴 요약입니다.", "model", "", ""},
		{"김이 고친 요약입니다.", "edit", "kim", ""},
		{"이가 고친 요약입니다.", "edit", "lee", ""},
		{newModel, "model", "park", "더 짧게"},
	}
	if len(summary) != len(want) {
		t.Fatalf("versions of the summary: %+v", summary)
	}
	for i, w := range want {
		v := summary[i]
		if v.Text != w.text || v.Source != w.source || v.Actor != w.actor || v.Instruction != w.instruction {
			t.Errorf("version %d = %+v, want %+v", i, v, w)
		}
		// The edit stays in place after the regeneration: lee's is current.
		if v.Current != (i == 2) {
			t.Errorf("version %d current = %v", i, v.Current)
		}
	}
	// The first model text, restored, is an edit; the new model text,
	// restored, ends the edit.
	e, err := h.desk.Restore(ctx, id, summary[0].ID, "kim")
	if err != nil || e.Summary != "모델이 쓴 요약입니다." || len(e.Edited) != 1 {
		t.Fatalf("restoring the first model text: %+v, %v", e, err)
	}
	e, err = h.desk.Restore(ctx, id, summary[3].ID, "kim")
	if err != nil || e.Summary != newModel || len(e.Edited) != 0 {
		t.Fatalf("restoring the regenerated text: %+v, %v", e, err)
	}
	_, err = h.desk.Restore(ctx, id, 999, "kim")
	refusal{NotFound, "not_found", "submission 1 has no version 999", "글 #1에는 판 999가 없습니다", "version", ""}.check(t, err)
}
