package openaitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/godevcommunity/newsletter/summarizer/internal/modelfake"
)

// Reply is one scripted answer to a chat completion. Build one with
// Answer, JSON, Finish, Prose, Error, RateLimited or Echo, and adjust it
// with the With methods.
type Reply struct {
	kind    replyKind
	text    string
	finish  string
	refusal string
	status  int
	typ     string
	code    string
	param   string
	message string
	raw     string
	extras  modelfake.Extras
}

type replyKind int

const (
	kindAnswer replyKind = iota
	kindEcho
	kindProse
	kindError
	kindRaw
)

// Answer replies with text as the assistant's content, finish_reason stop.
func Answer(text string) Reply { return Reply{kind: kindAnswer, text: text, finish: "stop"} }

// JSON replies with v, marshalled, as the assistant's content.
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		return Error(http.StatusInternalServerError, "server_error", "", "openaitest: cannot marshal reply: "+err.Error())
	}
	return Answer(string(b))
}

// Finish replies with text and the given finish_reason: "length",
// "content_filter", ...
func Finish(reason, text string) Reply { return Reply{kind: kindAnswer, text: text, finish: reason} }

// Refusal replies with the assistant's refusal instead of content, as
// structured outputs do when the model declines.
func Refusal(text string) Reply { return Reply{kind: kindAnswer, refusal: text, finish: "stop"} }

// Prose replies with Korean prose about the article instead of the JSON
// object the schema asks for: a model that ignores response_format.
func Prose() Reply { return Reply{kind: kindProse, finish: "stop"} }

// Echo replies as the server does when its queue is empty.
func Echo() Reply { return Reply{kind: kindEcho, finish: "stop"} }

// Error replies with an HTTP status and the error envelope; code "" is
// null.
func Error(status int, typ, code, message string) Reply {
	return Reply{kind: kindError, status: status, typ: typ, code: code, message: message}
}

// Raw replies 200 with body as it is, Content-Type application/json: a
// proxy's page, a cut or oversized answer.
func Raw(body string) Reply { return Reply{kind: kindRaw, raw: body} }

// RateLimited replies 429 rate_limit_exceeded with Retry-After, as OpenAI
// does for a per-minute limit.
func RateLimited(retryAfter time.Duration) Reply {
	r := Error(http.StatusTooManyRequests, "requests", "rate_limit_exceeded",
		fmt.Sprintf("Rate limit reached for requests. Please try again in %s.", retryAfter))
	return r.WithHeader("Retry-After", strconv.FormatInt(int64(retryAfter/time.Second), 10))
}

// WithHeader returns r with a response header added.
func (r Reply) WithHeader(key, value string) Reply {
	r.extras.AddHeader(key, value)
	return r
}

// WithParam returns an error reply naming the request parameter refused,
// as the envelope's "param" does ("temperature", "max_tokens").
func (r Reply) WithParam(param string) Reply {
	r.param = param
	return r
}

// WithUsage returns r reporting these token counts instead of the fake's
// estimate.
func (r Reply) WithUsage(promptTokens, completionTokens int) Reply {
	r.extras.SetUsage(promptTokens, completionTokens)
	return r
}

// WithDelay returns r answered only after d, or never if the client gives
// up first: a slow model.
func (r Reply) WithDelay(d time.Duration) Reply {
	r.extras.SetDelay(d)
	return r
}

func (r Reply) serve(w http.ResponseWriter, hr *http.Request, req *Request, n int, e errorWriter) {
	if !r.extras.Begin(hr.Context(), w) {
		return
	}
	switch r.kind {
	case kindError:
		e.writeParam(w, r.status, r.typ, r.code, r.param, r.message)
		return
	case kindRaw:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, r.raw)
		return
	case kindEcho:
		r.text = echo(req)
	case kindProse:
		r.text = prose(req)
	}
	prompt, completion := r.extras.Tokens(req.allText(), r.text+r.refusal)
	msg := map[string]any{"role": "assistant", "content": r.text, "refusal": nil}
	if r.refusal != "" {
		msg["content"], msg["refusal"] = nil, r.refusal
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":      fmt.Sprintf("chatcmpl-openaitest-%d", n),
		"object":  "chat.completion",
		"created": 1700000000,
		"model":   req.Chat.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": r.finish, "logprobs": nil}},
		"usage":   map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
	})
}

// prose is the echo answer's sentences without the JSON around them.
func prose(req *Request) string {
	var fields map[string]string
	_ = json.Unmarshal([]byte(echo(req)), &fields)
	return "요약하면 다음과 같습니다.\n\n" + fields["summary"] + "\n\n" + fields["introduction"]
}
