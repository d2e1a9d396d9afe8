package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer"
)

// Kind is what sort of refusal an *Error is; each front end answers a
// kind in its own way (the API by its status code).
type Kind int

// The kinds of Error.
const (
	// Internal: the service's own failure; Err has the cause, for the log.
	Internal Kind = iota
	// Invalid: the input is wrong (missing, too long, not a URL we take).
	Invalid
	// Unprocessable: well-formed, but it breaks the rules of an entry, or
	// Gemini's answer to it did.
	Unprocessable
	// NotFound: no such submission, entry or issue.
	NotFound
	// Conflict: the state of what it is about forbids it now.
	Conflict
	// Busy: a run or a publication is in progress (RunID names the run).
	Busy
	// Unavailable: a dependency is paused; RetryAt is when to try again,
	// when known.
	Unavailable
	// Unauthorized: the token is not one the server accepts.
	Unauthorized
	// Limited: the client did this too often; Wait is how long until it
	// may again.
	Limited
)

// Status is the HTTP status that answers a refusal of kind k, the same at
// every door that speaks HTTP (a page that shows its form again answers
// Invalid with 422, as the form's own rule).
func (k Kind) Status() int {
	switch k {
	case Invalid:
		return http.StatusBadRequest
	case Unprocessable:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict, Busy:
		return http.StatusConflict
	case Unavailable:
		return http.StatusServiceUnavailable
	case Unauthorized:
		return http.StatusUnauthorized
	case Limited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// RetryAfter is, for a refusal that says when to try again (a limit, a
// dependency out until a known time), how many whole seconds from now to
// wait, at least one: what an HTTP door sends as Retry-After. ok is false
// for the other refusals.
func (e *Error) RetryAfter(now time.Time) (secs int, ok bool) {
	switch {
	case e.Kind == Limited:
		return int((max(e.Wait, time.Second) + time.Second - 1) / time.Second), true
	case e.Kind == Unavailable && !e.RetryAt.IsZero():
		return int(max(e.RetryAt.Sub(now), time.Second) / time.Second), true
	}
	return 0, false
}

// Error is every refusal of the desk: what kind it is, a code for
// programs, the input it is about, and the reason in English and in
// Korean. Build one with the constructors below, which write both
// languages together.
type Error struct {
	Kind Kind
	// Code says what went wrong: "required", "too_long", "url_refused",
	// "edit_refused", "regeneration_refused", "not_found", "busy", ...
	Code string
	// Field names the input at fault ("url", "note", "summary"), if any.
	Field string
	// Message is one line in English naming the input and the reason, for
	// the API and the command line; Korean says the same for the web desk.
	Message, Korean string
	// Violations are the rules an edit, or a regenerated answer, broke.
	Violations []api.Violation
	// RunID is the run in progress, for Busy.
	RunID int64
	// Usage is what a refused regeneration's attempt cost, when it asked
	// Gemini at all.
	Usage *api.Usage
	// IssueID is the issue a submitted link was already published in.
	IssueID int64
	// Dependency and RetryAt are what is paused and when to try again,
	// for Unavailable.
	Dependency string
	RetryAt    time.Time
	// Wait is how long until the client may try again, for Limited.
	Wait time.Duration
	// Err is the cause, when the desk met one.
	Err error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// Body is the error as the API sends it.
func (e *Error) Body() api.ErrorBody {
	return api.ErrorBody{Error: e.Message, Code: e.Code, Field: e.Field, Violations: e.Violations, RunID: e.RunID, Usage: e.Usage, IssueID: e.IssueID}
}

// AsError returns err as an *Error: itself when it is one, else an
// Internal one wrapping it.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return internal(err)
}

// The refusals, each in both languages.

func internal(err error) *Error {
	return &Error{Kind: Internal, Code: "internal", Err: err,
		Message: "internal error; see the server log", Korean: "서버 오류가 났습니다. 서버 로그를 보세요."}
}

func errRequired(field string) *Error {
	return &Error{Kind: Invalid, Code: "required", Field: field,
		Message: fmt.Sprintf("field %q is required", field), Korean: Josa(InputLabel(field), "을") + " 입력하세요."}
}

func errNotUTF8(field string) *Error {
	return &Error{Kind: Invalid, Code: "not_utf8", Field: field,
		Message: fmt.Sprintf("field %q is not valid UTF-8", field), Korean: InputLabel(field) + "에 UTF-8이 아닌 글자가 있습니다."}
}

func errNUL(field string) *Error {
	return &Error{Kind: Invalid, Code: "nul_byte", Field: field,
		Message: fmt.Sprintf("field %q holds a NUL character", field), Korean: InputLabel(field) + "에 NUL 문자가 있습니다. 지우고 다시 보내세요."}
}

func errTooLong(field string, n, limit int) *Error {
	return &Error{Kind: Invalid, Code: "too_long", Field: field,
		Message: fmt.Sprintf("field %q is %d characters long; the limit is %d", field, n, limit),
		Korean:  fmt.Sprintf("%s %d자입니다. %d자까지 쓸 수 있습니다.", Josa(InputLabel(field), "이"), n, limit)}
}

func errURLRefused(reason string, cause error) *Error {
	return &Error{Kind: Invalid, Code: "url_refused", Field: "url", Err: cause,
		Message: "url: " + reason, Korean: "받을 수 없는 링크입니다: " + reason}
}

// errAlreadyPublished: the link submitted was published as sub in issue
// is; it goes into the next issue only when asked again on purpose.
func errAlreadyPublished(url string, sub store.Submission, is store.Issue, loc *time.Location) *Error {
	return &Error{Kind: Conflict, Code: "already_published", Field: "url", IssueID: is.ID,
		Message: fmt.Sprintf("url: %s was already published in issue %d (%s, %s) as submission %d; to include it again on purpose, submit it with again",
			url, is.ID, is.Title, is.Date.In(loc).Format("2006-01-02"), sub.ID),
		Korean: fmt.Sprintf("이미 %d호(%s, %s 자)에 실린 링크입니다(글 #%d). 다음 호에 다시 실으려면 ‘다시 싣기’를 누르세요.",
			is.ID, is.Title, FormatDate(is.Date, loc), sub.ID)}
}

func errUnknownState(s string) *Error {
	return &Error{Kind: Invalid, Code: "unknown_state", Field: "state",
		Message: fmt.Sprintf("unknown state %q; want one of %s", s, strings.Join(api.States, ", ")),
		Korean:  fmt.Sprintf("알 수 없는 상태입니다: %q.", s)}
}

func errBadLimit(v string) *Error {
	return &Error{Kind: Invalid, Code: "bad_limit", Field: "limit",
		Message: fmt.Sprintf("limit must be a number from 1 to %d, not %q", MaxListLimit, v),
		Korean:  fmt.Sprintf("개수는 1부터 %d까지의 숫자여야 합니다.", MaxListLimit)}
}

func errBadCursor(field, v string) *Error {
	return &Error{Kind: Invalid, Code: "bad_page", Field: field,
		Message: fmt.Sprintf("%s must be a submission id from 1, not %q", field, v),
		Korean:  "페이지 위치는 1 이상의 제출 번호여야 합니다."}
}

func errBadPosition() *Error {
	return &Error{Kind: Invalid, Code: "bad_position", Field: "position",
		Message: `field "position" must be a number from 1`, Korean: "위치는 1 이상의 숫자여야 합니다."}
}

func errUnknownBulkAction(a string) *Error {
	return &Error{Kind: Invalid, Code: "unknown_action", Field: "action",
		Message: fmt.Sprintf("unknown bulk action %q; want one of %s", a, strings.Join(api.BulkActions, ", ")),
		Korean:  "알 수 없는 일괄 작업입니다."}
}

func errBadBulkID(id int64) *Error {
	return &Error{Kind: Invalid, Code: "bad_id", Field: "ids",
		Message: fmt.Sprintf("ids: %d is not an id (they count from 1)", id),
		Korean:  "번호는 1 이상이어야 합니다."}
}

func errTooManyForBulk(n int) *Error {
	return &Error{Kind: Invalid, Code: "too_many", Field: "ids",
		Message: fmt.Sprintf("ids: %d chosen; one action takes at most %d", n, MaxBulk),
		Korean:  fmt.Sprintf("한 번에 %d개까지 고를 수 있습니다. %d개를 골랐습니다.", MaxBulk, n)}
}

func errUnknownField(name string) *Error {
	return &Error{Kind: Invalid, Code: "unknown_field", Field: name,
		Message: fmt.Sprintf("unknown field %q; want title, summary, introduction, recommendation, caution, excluded or position", name),
		Korean:  "고칠 칸을 알 수 없습니다."}
}

func errNothingToChange() *Error {
	return &Error{Kind: Invalid, Code: "nothing_to_change",
		Message: "nothing to change: give a field, excluded or position", Korean: "바뀐 칸이 없습니다."}
}

// errEdit lists the rules an edit broke; nothing was changed.
func errEdit(vs []api.Violation) *Error {
	parts, ko := make([]string, len(vs)), make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Field + ": " + v.Detail
		ko[i] = InputLabel(v.Field) + ": " + ViolationKorean(v)
	}
	e := &Error{Kind: Unprocessable, Code: "edit_refused", Violations: vs,
		Message: "the edit breaks the rules of an entry: " + strings.Join(parts, "; "),
		Korean:  "고칠 곳이 있어 저장하지 않았습니다. " + strings.Join(ko, " ")}
	if len(vs) == 1 {
		e.Field = vs[0].Field
	}
	return e
}

// errRegeneration is Gemini's answer refused: it broke the guardrails
// after the corrective retry, or Gemini blocked it or could not answer.
// The entry keeps its text; u, when not nil, is what the attempt cost.
func errRegeneration(id int64, cause error, u *api.Usage) *Error {
	e := regenerationRefused(id, cause)
	if u != nil && u.Requests > 0 {
		e.Usage = u
		e.Message += fmt.Sprintf(" (the attempt used %d Gemini requests: %d prompt and %d output tokens, about $%.4f)",
			u.Requests, u.PromptTokens, u.OutputTokens, u.CostUSD)
		e.Korean += fmt.Sprintf(" 이번 시도에 쓴 Gemini: 요청 %d번, 입력 토큰 %d개, 출력 토큰 %d개, 약 $%.4f.",
			u.Requests, u.PromptTokens, u.OutputTokens, u.CostUSD)
	}
	return e
}

func regenerationRefused(id int64, cause error) *Error {
	e := &Error{Kind: Unprocessable, Code: "regeneration_refused", Err: cause}
	var ge *summarizer.GuardrailError
	var be *summarizer.BlockedError
	switch {
	case errors.As(cause, &ge):
		parts, ko := make([]string, 0, len(ge.Violations)), make([]string, 0, len(ge.Violations))
		for _, v := range ge.Violations {
			av := api.Violation{Field: fieldName(v.Field), Rule: v.Rule, Detail: v.Detail}
			e.Violations = append(e.Violations, av)
			parts = append(parts, av.Field+": "+v.Detail)
			ko = append(ko, InputLabel(av.Field)+": "+ViolationKorean(av))
		}
		e.Message = fmt.Sprintf("submission %d was not regenerated: Gemini's answer broke the guardrails after a corrective retry: %s; the entry keeps its text",
			id, strings.Join(parts, "; "))
		e.Korean = fmt.Sprintf("%s 다시 생성하지 않았습니다: Gemini의 답이 고쳐 달라고 한 번 더 물은 뒤에도 규칙에 맞지 않았습니다. %s 글은 그대로입니다.",
			Josa(fmt.Sprintf("글 #%d", id), "을"), strings.Join(ko, " "))
	case errors.As(cause, &be):
		e.Code = "regeneration_blocked"
		e.Message = fmt.Sprintf("submission %d was not regenerated: the model blocked the answer (%s); the entry keeps its text", id, be.Reason)
		e.Korean = fmt.Sprintf("%s 다시 생성하지 않았습니다: 모델이 답을 막았습니다(%s). 글은 그대로입니다.",
			Josa(fmt.Sprintf("글 #%d", id), "을"), be.Reason)
	default:
		e.Message = fmt.Sprintf("submission %d was not regenerated: %v; the entry keeps its text", id, cause)
		e.Korean = fmt.Sprintf("%s 다시 생성하지 않았습니다: %v. 글은 그대로입니다.", Josa(fmt.Sprintf("글 #%d", id), "을"), cause)
	}
	return e
}

func errNotFound(on target) *Error {
	return &Error{Kind: NotFound, Code: "not_found",
		Message: on.english() + " not found", Korean: Josa(on.korean(), "을") + " 찾을 수 없습니다."}
}

func errNoVersion(id, vid int64) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Field: "version",
		Message: fmt.Sprintf("submission %d has no version %d", id, vid),
		Korean:  fmt.Sprintf("글 #%d에는 %s 없습니다.", id, Josa(fmt.Sprintf("판 %d", vid), "이"))}
}

func errNoArticle(id int64) *Error {
	return &Error{Kind: NotFound, Code: "not_found",
		Message: fmt.Sprintf("the article of submission %d not found", id),
		Korean:  fmt.Sprintf("글 #%d의 원문이 없습니다.", id)}
}

func errNoPublishedIssue(slug string) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Field: "slug",
		Message: "no published issue " + slug, Korean: Josa("발행된 호 "+slug, "이") + " 없습니다."}
}

func errNoIssueYet(err error) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Err: err,
		Message: "no issue has been published yet", Korean: "아직 발행된 호가 없습니다."}
}

// errRetryRefused: only a failed submission is queued again; st is the
// state of submission id now, "" when it could not be read.
func errRetryRefused(id int64, st store.State, cause error) *Error {
	who := Josa(fmt.Sprintf("제출 #%d", id), "은")
	if st == "" {
		return &Error{Kind: Conflict, Code: "retry_refused", Err: cause,
			Message: fmt.Sprintf("submission %d cannot be retried: only a failed one can", id),
			Korean:  who + " 다시 시도할 수 없습니다. 실패한 제출만 다시 시도합니다."}
	}
	return &Error{Kind: Conflict, Code: "retry_refused", Err: cause,
		Message: fmt.Sprintf("submission %d cannot be retried: it is %s, not failed", id, st),
		Korean:  fmt.Sprintf("%s %s 상태라 다시 시도할 수 없습니다. 실패한 제출만 다시 시도합니다.", who, StateLabel(string(st)))}
}

// errDeleteRefused says why sub cannot be deleted: it is part of an
// issue (in state issue) published or being published, as an article, as
// one left out, or as one that failed or was a duplicate.
func errDeleteRefused(sub store.Submission, issue store.IssueState, cause error) *Error {
	id := sub.ID
	who := Josa(fmt.Sprintf("제출 #%d", id), "은")
	e := &Error{Kind: Conflict, Code: "delete_refused", Err: cause,
		Message: fmt.Sprintf("submission %d cannot be deleted now; read it again", id),
		Korean:  who + " 지금 지울 수 없습니다. 페이지를 새로 고쳐 다시 보세요."}
	if sub.IssueID == 0 {
		return e
	}
	ko, en := fmt.Sprintf("발행된 %d호", sub.IssueID), fmt.Sprintf("published issue %d", sub.IssueID)
	if issue == store.IssuePublishing {
		ko, en = fmt.Sprintf("발행 중인 %d호", sub.IssueID), fmt.Sprintf("issue %d, being published", sub.IssueID)
	}
	switch sub.State {
	case store.StatePublished:
		e.Message = fmt.Sprintf("submission %d cannot be deleted: it is in %s", id, en)
		e.Korean = fmt.Sprintf("%s %s에 실려 지울 수 없습니다.", who, ko)
	case store.StateSummarized:
		e.Message = fmt.Sprintf("submission %d cannot be deleted: %s keeps it as left out", id, en)
		e.Korean = fmt.Sprintf("%s %s에서 뺀 글로 남아 지울 수 없습니다.", who, ko)
	case store.StateFailed:
		e.Message = fmt.Sprintf("submission %d cannot be deleted: %s reports it as failed", id, en)
		e.Korean = fmt.Sprintf("%s %s에 실패한 글로 남아 지울 수 없습니다.", who, ko)
	case store.StateDuplicate:
		e.Message = fmt.Sprintf("submission %d cannot be deleted: %s reports it as a duplicate", id, en)
		e.Korean = fmt.Sprintf("%s %s에 중복된 글로 남아 지울 수 없습니다.", who, ko)
	default:
		e.Message = fmt.Sprintf("submission %d cannot be deleted: it is %s", id, sub.State)
		e.Korean = fmt.Sprintf("%s 지금 %s 상태라 지울 수 없습니다.", who, StateLabel(string(sub.State)))
	}
	return e
}

func errBusy(b *edition.BusyError) *Error {
	e := &Error{Kind: Busy, Code: "busy", RunID: b.ID, Err: b,
		Message: b.Error() + "; try again when it ends", Korean: "발행이 진행 중입니다. 끝난 뒤 다시 시도하세요."}
	if b.ID != 0 {
		e.Korean = fmt.Sprintf("%s 진행 중입니다. 끝난 뒤 다시 시도하세요.", Josa(fmt.Sprintf("발행 실행 #%d", b.ID), "이"))
	}
	return e
}

func errWeekTaken(err error) *Error {
	return &Error{Kind: Conflict, Code: "week_taken", Err: err, Message: err.Error(),
		Korean: "이번 주 호는 이미 나갔습니다. 이 초안은 다음 주 호로, 다음 주 정기 실행 때 발행됩니다."}
}

func errNothingToPublish(err error) *Error {
	return &Error{Kind: Conflict, Code: "nothing_to_publish", Err: err, Message: err.Error(),
		Korean: "발행할 글이 없습니다: 초안에 실을 글이 없고 검토를 기다리는 호도 없습니다."}
}

func errNoHashnode(err error) *Error {
	return &Error{Kind: Conflict, Code: "no_hashnode", Err: err, Message: err.Error(),
		Korean: "Hashnode 발행이 설정되어 있지 않습니다(publisher.hashnode.publication_id)."}
}

func errNoListmonk(err error) *Error {
	return &Error{Kind: Conflict, Code: "no_listmonk", Err: err, Message: err.Error(),
		Korean: "listmonk 발송이 설정되어 있지 않습니다(publisher.listmonk.url)."}
}

func errNoTestOutlet(err error) *Error {
	return &Error{Kind: Conflict, Code: "no_test_outlet", Err: err, Message: err.Error(),
		Korean: "시험 발송을 받을 곳이 없습니다: publisher.listmonk와 publisher.test_recipients, 또는 publisher.hashnode를 설정하세요."}
}

func errNoIssueToTest() *Error {
	err := errors.New("no issue is in review: the open draft is frozen into an issue by the week's run (or POST /api/v1/runs) before a test send")
	return &Error{Kind: Conflict, Code: "no_issue_to_test", Err: err, Message: err.Error(),
		Korean: "검토 중인 호가 없습니다: 초안은 이번 주 실행으로 호가 된 뒤에 시험 발송할 수 있습니다."}
}

func errStateChanged(on target, err error) *Error {
	return &Error{Kind: Conflict, Code: "state_changed", Err: err,
		Message: on.english() + " changed meanwhile (deleted, retried or published); read it again",
		Korean:  "그 사이에 글의 상태가 바뀌었습니다(삭제, 재시도, 발행). 다시 읽어 보세요."}
}

func errNoToken() *Error {
	return &Error{Kind: Unauthorized, Code: "unauthorized", Field: "token",
		Message: "no token given", Korean: "토큰을 입력하세요."}
}

func errWrongToken() *Error {
	return &Error{Kind: Unauthorized, Code: "unauthorized",
		Message: "invalid bearer token", Korean: "토큰이 맞지 않습니다."}
}

// errTooManyTokens: MaxTokenFailures wrong tokens from one address
// within the window, through any door.
func errTooManyTokens(wait time.Duration) *Error {
	en, ko := waitText(wait)
	return &Error{Kind: Limited, Code: "too_many_attempts", Wait: wait,
		Message: fmt.Sprintf("too many wrong tokens from this address (%d a minute); try again in %s", MaxTokenFailures, en),
		Korean:  fmt.Sprintf("이 주소에서 틀린 토큰이 너무 많습니다(1분에 %d번까지). %s 뒤에 다시 시도하세요.", MaxTokenFailures, ko)}
}

// errTooManySubmissions: perHour submissions within the hour from one
// token, or from one address (byAddr).
func errTooManySubmissions(byAddr bool, perHour int, wait time.Duration) *Error {
	en, ko := waitText(wait)
	whoEn, whoKo := "token", "이 토큰으로는"
	if byAddr {
		whoEn, whoKo = "address", "이 주소에서는"
	}
	return &Error{Kind: Limited, Code: "too_many_submissions", Wait: wait,
		Message: fmt.Sprintf("too many submissions from this %s: %d an hour at most; try again in %s", whoEn, perHour, en),
		Korean:  fmt.Sprintf("%s 한 시간에 %d건까지 제출할 수 있습니다. %s 뒤에 다시 시도하세요.", whoKo, perHour, ko)}
}

// waitText says a wait in English and Korean, rounded up: seconds under
// a minute, else minutes.
func waitText(d time.Duration) (en, ko string) {
	if d < time.Minute {
		s := int((d + time.Second - 1) / time.Second)
		return fmt.Sprintf("%ds", s), fmt.Sprintf("%d초", s)
	}
	m := int((d + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("%d min", m), fmt.Sprintf("%d분", m)
}

// errUnavailable: a dependency every article needs is paused; the status
// has the reason.
func errUnavailable(c *retry.Error, loc *time.Location) *Error {
	e := &Error{Kind: Unavailable, Code: "unavailable", Dependency: c.Dependency, RetryAt: c.At, Err: c,
		Message: fmt.Sprintf("%s is unavailable, try again later: %s", c.Dependency, c.Err)}
	when := "다시 쓸 수 있게 되면 다시 시도하세요."
	if !c.At.IsZero() {
		when = FormatDateTime(c.At, loc) + " 이후에 다시 시도하세요."
	}
	e.Korean = fmt.Sprintf("%s 사용 불가: 지금은 할 수 없습니다. %s 이유는 상태 페이지에 있습니다.", DependencyLabel(c.Dependency), when)
	return e
}

// conflict is an action on t that does not fit the state t is in now,
// which it reads again to say why in both languages (the store's error
// is kept as the cause, for the log).
func (d *Desk) conflict(ctx context.Context, err error, on target) *Error {
	e := &Error{Kind: Conflict, Code: "conflict", Err: err,
		Message: on.english() + " cannot be changed in its state now; read it again",
		Korean:  "지금 상태에서는 할 수 없습니다. 페이지를 새로 고쳐 다시 보세요."}
	switch {
	case on.submission != 0:
		sub, serr := d.store.Submission(ctx, on.submission)
		if serr != nil {
			break
		}
		e.Message = fmt.Sprintf("%s: it is %s", on.english(), sub.State)
		if on.entry && (sub.State == store.StateNew || sub.State == store.StateProcessing ||
			sub.State == store.StateFailed || sub.State == store.StateDuplicate) {
			e.Message += ", with no summary"
		}
		e.Korean = entryStateKorean(on.submission, sub.State)
	case on.issue != 0:
		is, ierr := d.store.Issue(ctx, on.issue)
		if ierr != nil {
			break
		}
		no := fmt.Sprintf("%d호", on.issue)
		switch is.State {
		case store.IssueReview:
			e.Message = fmt.Sprintf("issue %d waits for review; approve it instead", on.issue)
			e.Korean = Josa(no, "은") + " 검토를 기다립니다: 다시 발행하지 말고 이번 호에서 승인하세요."
		case store.IssuePublishing:
			e.Message = fmt.Sprintf("issue %d is being published; try again when it ends", on.issue)
			e.Korean = Josa(no, "은") + " 발행 중입니다. 끝난 뒤 다시 시도하세요."
		default:
			e.Message = fmt.Sprintf("issue %d is %s", on.issue, is.State)
			e.Korean = fmt.Sprintf("%s 지금 %s 상태라 할 수 없습니다. 페이지를 새로 고쳐 다시 보세요.", Josa(no, "은"), IssueStateLabel(string(is.State)))
		}
	}
	return e
}

// entryStateKorean says in Korean why the entry of submission id, in
// state st, cannot be read or changed now.
func entryStateKorean(id int64, st store.State) string {
	entry := Josa(fmt.Sprintf("글 #%d", id), "은")
	switch st {
	case store.StateDeleted:
		return entry + " 지워졌습니다."
	case store.StateNew, store.StateProcessing:
		return fmt.Sprintf("%s 아직 요약되지 않았습니다(%s). 요약된 뒤에 고칠 수 있습니다.", entry, StateLabel(string(st)))
	case store.StateFailed, store.StateDuplicate:
		return fmt.Sprintf("%s %s 상태라 요약이 없습니다. 요약된 글과 발행된 호의 글만 고칠 수 있습니다.", entry, StateLabel(string(st)))
	}
	return fmt.Sprintf("%s 지금 %s 상태라 할 수 없습니다. 페이지를 새로 고쳐 다시 보세요.", entry, StateLabel(string(st)))
}

// target is what an action is on: the entry or submission of an id, an
// issue, or (the zero target) the upcoming issue.
type target struct {
	submission, issue, run int64
	// entry: the action is on the submission's entry (its summary).
	entry bool
}

func onSubmission(id int64) target { return target{submission: id} }
func onEntry(id int64) target      { return target{submission: id, entry: true} }
func onIssue(id int64) target      { return target{issue: id} }
func onRun(id int64) target        { return target{run: id} }

func (t target) english() string {
	switch {
	case t.entry:
		return "the summary of submission " + strconv.FormatInt(t.submission, 10)
	case t.submission != 0:
		return "submission " + strconv.FormatInt(t.submission, 10)
	case t.issue != 0:
		return "issue " + strconv.FormatInt(t.issue, 10)
	case t.run != 0:
		return "run " + strconv.FormatInt(t.run, 10)
	}
	return "the draft"
}

func (t target) korean() string {
	switch {
	case t.entry:
		return fmt.Sprintf("글 #%d", t.submission)
	case t.submission != 0:
		return fmt.Sprintf("제출 #%d", t.submission)
	case t.issue != 0:
		return fmt.Sprintf("%d호", t.issue)
	case t.run != 0:
		return fmt.Sprintf("실행 #%d", t.run)
	}
	return "초안"
}

// refusal turns what the store or the pipeline answered to an action on
// t into an *Error: its own kind and words when it is a refusal, Internal
// otherwise.
func (d *Desk) refusal(ctx context.Context, err error, on target) *Error {
	var e *Error
	var busy *edition.BusyError
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, store.ErrNotFound) && on.entry:
		// A submission with no summary (yet) is there, in another state.
		if _, serr := d.store.Submission(ctx, on.submission); serr == nil {
			return d.conflict(ctx, err, on)
		}
		return errNotFound(on)
	case errors.Is(err, store.ErrNotFound):
		return errNotFound(on)
	case errors.As(err, &busy):
		return errBusy(busy)
	case errors.Is(err, edition.ErrWeekTaken):
		return errWeekTaken(err)
	case errors.Is(err, edition.ErrNothingToPublish):
		return errNothingToPublish(err)
	case errors.Is(err, edition.ErrNoHashnode):
		return errNoHashnode(err)
	case errors.Is(err, edition.ErrNoListmonk):
		return errNoListmonk(err)
	case errors.Is(err, edition.ErrNoTestOutlet):
		return errNoTestOutlet(err)
	case errors.Is(err, store.ErrStateChanged):
		return errStateChanged(on, err)
	case errors.Is(err, store.ErrConflict):
		return d.conflict(ctx, err, on)
	case retry.IsOutage(err):
		return errUnavailable(retry.Classify(err), d.Location())
	}
	return internal(err)
}

// The refusals of suggestions.

func errNoCandidate(id int64) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Field: "ids",
		Message: fmt.Sprintf("candidate %d not found", id), Korean: Josa(fmt.Sprintf("후보 #%d", id), "을") + " 찾을 수 없습니다."}
}

// errDecided: candidate id is st already (accepted, dismissed, ...).
func errDecided(id int64, st store.CandidateState) *Error {
	return &Error{Kind: Conflict, Code: "already_decided", Field: "ids",
		Message: fmt.Sprintf("candidate %d is %s already", id, st),
		Korean:  fmt.Sprintf("%s 이미 %s.", Josa(fmt.Sprintf("후보 #%d", id), "은"), candidateStateKorean(st))}
}

func candidateStateKorean(st store.CandidateState) string {
	switch st {
	case store.CandidateAccepted:
		return "제출로 받았습니다"
	case store.CandidateDismissed:
		return "넘겼습니다"
	case store.CandidateDuplicate:
		return "다른 글과 같은 글입니다"
	case store.CandidateExpired:
		return "기한이 지났습니다"
	}
	return "처리했습니다"
}

func errUnknownSource(name string) *Error {
	return &Error{Kind: Invalid, Code: "unknown_source", Field: "source",
		Message: fmt.Sprintf("no source named %q is configured", name),
		Korean:  fmt.Sprintf("설정에 없는 출처입니다: %q.", name)}
}
