package desk

import (
	"fmt"
	"slices"
	"testing"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/summarizer"
)

func TestFailureKorean(t *testing.T) {
	const u = "https://go.dev/blog/x"
	tests := []struct {
		name string
		msg  string
		want string
	}{
		{"404", (&fetcher.StatusError{URL: u, Code: 404}).Error(), "원문 페이지가 없습니다(404)."},
		{"403", (&fetcher.StatusError{URL: u, Code: 403}).Error(), "원문 서버가 접근을 막았습니다(403)."},
		{"503", (&fetcher.StatusError{URL: u, Code: 503}).Error(), "원문 서버에 문제가 있습니다(503)."},
		{"418", (&fetcher.StatusError{URL: u, Code: 418}).Error(), "원문 서버가 요청을 거절했습니다(418)."},
		{"refused address", fmt.Errorf("fetcher: %s: %w: 10.0.0.1", u, fetcher.ErrRefusedAddress).Error(),
			"내부망이나 이 서버 자신의 주소라서 가져오지 않습니다."},
		{"host not found", "fetcher: https://go.dve/x: host go.dve not found", "호스트 go.dve를 찾을 수 없습니다. 주소를 확인해 주세요."},
		{"no content", fmt.Errorf("extract %s: %w", u, extractor.ErrNoContent).Error(), "페이지에서 본문을 찾지 못했습니다."},
		{"scanned PDF before no content", fmt.Errorf("extract %s: pdf: %w: 0 of 3 pages read: %w", u, extractor.ErrScannedPDF, extractor.ErrNoContent).Error(),
			"글자 층이 없는 PDF입니다(스캔한 문서일 수 있습니다)."},
		{"guardrails", (&summarizer.GuardrailError{Violations: []summarizer.Violation{{Field: "summary", Rule: "script", Detail: "Cyrillic"}}}).Error(),
			"모델의 답이 다시 물어도 규칙에 맞지 않았습니다."},
		{"blocked", fmt.Errorf("summarize %s: %w", u, &summarizer.BlockedError{Reason: "SAFETY", Prompt: true}).Error(),
			"모델이 이 글의 요약 요청을 거부했습니다."},
		{"a model provider's connection refused", `summarize https://go.dev/blog/x: openai qwen3: Post "http://127.0.0.1:11434/v1/chat/completions": dial tcp 127.0.0.1:11434: connect: connection refused`, ""},
		{"the fetcher's connection refused", "fetcher: " + u + ": connection refused", "원문 서버가 연결을 거부했습니다."},
		{"unknown", "something nobody wrote down", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FailureKorean(tt.msg); got != tt.want {
				t.Errorf("FailureKorean(%q) = %q, want %q", tt.msg, got, tt.want)
			}
		})
	}
}

// TestFailureReasonsReachable checks that no reason of the table is
// hidden by one before it: each is found from its own English.
func TestFailureReasonsReachable(t *testing.T) {
	for _, r := range append(slices.Clip(failureReasons), fetchReasons...) {
		if got := FailureKorean("fetcher: https://go.dev/x: " + r.english); got != r.korean {
			t.Errorf("%q reads %q, want %q", r.english, got, r.korean)
		}
	}
}
