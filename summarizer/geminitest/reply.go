package geminitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/godevcommunity/newsletter/summarizer/internal/modelfake"
)

// Reply is one scripted answer to a generateContent request. Build one with
// Answer, JSON, Finish, Blocked, Error, RateLimited, DailyQuotaExceeded or
// Echo, and adjust it with the With methods.
type Reply struct {
	kind    replyKind
	text    string
	finish  string
	block   string
	code    int
	status  string
	message string
	details []any
	extras  modelfake.Extras
}

type replyKind int

const (
	kindAnswer replyKind = iota
	kindEcho
	kindBlocked
	kindError
)

// Answer replies with text as the model's answer, finishReason STOP.
func Answer(text string) Reply { return Reply{kind: kindAnswer, text: text, finish: "STOP"} }

// JSON replies with v, marshalled, as the model's answer.
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		return Error(http.StatusInternalServerError, "INTERNAL", "geminitest: cannot marshal reply: "+err.Error())
	}
	return Answer(string(b))
}

// Finish replies with text (possibly empty) and the given finishReason:
// "MAX_TOKENS", "SAFETY", "RECITATION", "PROHIBITED_CONTENT", ...
func Finish(reason, text string) Reply {
	return Reply{kind: kindAnswer, text: text, finish: reason}
}

// Blocked replies with promptFeedback.blockReason set and no candidates.
func Blocked(reason string) Reply { return Reply{kind: kindBlocked, block: reason} }

// Error replies with an HTTP status and Google's error body, e.g.
// Error(503, "UNAVAILABLE", "The model is overloaded.").
func Error(code int, status, message string) Reply {
	return Reply{kind: kindError, code: code, status: status, message: message}
}

// RateLimited replies 429 RESOURCE_EXHAUSTED as the API does for a
// per-minute quota, with a google.rpc.RetryInfo detail asking to wait
// retryDelay.
func RateLimited(retryDelay time.Duration) Reply {
	r := Error(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
		fmt.Sprintf("You exceeded your current quota, please check your plan and billing details. Please retry in %s.", retryDelay))
	r.details = []any{
		quotaFailure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
		map[string]any{
			"@type":      "type.googleapis.com/google.rpc.RetryInfo",
			"retryDelay": fmt.Sprintf("%gs", retryDelay.Seconds()),
		},
	}
	return r
}

// DailyQuotaExceeded replies 429 RESOURCE_EXHAUSTED naming the per-day
// request quota.
func DailyQuotaExceeded() Reply {
	r := Error(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
		"You exceeded your current quota, please check your plan and billing details.")
	r.details = []any{
		quotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
		map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "41s"},
	}
	return r
}

func quotaFailure(id string) map[string]any {
	return map[string]any{
		"@type": "type.googleapis.com/google.rpc.QuotaFailure",
		"violations": []any{map[string]any{
			"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
			"quotaId":     id,
		}},
	}
}

// Echo replies as the server does when its queue is empty: a valid Korean
// answer built from the request.
func Echo() Reply { return Reply{kind: kindEcho} }

// WithHeader returns r with a response header added, e.g. Retry-After.
func (r Reply) WithHeader(key, value string) Reply {
	r.extras.AddHeader(key, value)
	return r
}

// WithUsage returns r reporting the given usageMetadata token counts
// instead of the fake's estimate.
func (r Reply) WithUsage(promptTokens, outputTokens int) Reply {
	r.extras.SetUsage(promptTokens, outputTokens)
	return r
}

// WithDelay returns r answered only after d, or never if the client gives
// up first: for timeout tests.
func (r Reply) WithDelay(d time.Duration) Reply {
	r.extras.SetDelay(d)
	return r
}

func (r Reply) serve(w http.ResponseWriter, hr *http.Request, req *Request, n int) {
	if !r.extras.Begin(hr.Context(), w) {
		return
	}
	if r.kind == kindError {
		writeError(w, r.code, r.status, r.message, r.details)
		return
	}
	if r.kind == kindEcho {
		r.text, r.finish = echoAnswer(req), "STOP"
	}
	promptTokens, outputTokens := r.extras.Tokens(req.allText(), r.text)
	resp := map[string]any{
		"modelVersion": req.Model,
		"responseId":   fmt.Sprintf("geminitest-%d", n),
	}
	if r.kind == kindBlocked {
		resp["promptFeedback"] = map[string]any{"blockReason": r.block}
		resp["usageMetadata"] = map[string]any{"promptTokenCount": promptTokens, "totalTokenCount": promptTokens}
		writeJSON(w, http.StatusOK, resp)
		return
	}
	candidate := map[string]any{"index": 0, "finishReason": r.finish}
	if r.text != "" {
		candidate["content"] = map[string]any{
			"role":  "model",
			"parts": []any{map[string]any{"text": r.text}},
		}
	}
	resp["candidates"] = []any{candidate}
	resp["usageMetadata"] = map[string]any{
		"promptTokenCount":     promptTokens,
		"candidatesTokenCount": outputTokens,
		"totalTokenCount":      promptTokens + outputTokens,
	}
	writeJSON(w, http.StatusOK, resp)
}
