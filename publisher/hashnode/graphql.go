package hashnode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/retry"
)

// MaxRequestBytes is Hashnode's limit on a request body, 100 KB. Publish
// refuses a larger body before sending it.
const MaxRequestBytes = 100 << 10

// maxAnswerBytes bounds how much of an answer is read; Hashnode's answers to
// these operations are a few hundred bytes.
const maxAnswerBytes = 1 << 20

// operation is one GraphQL document the client sends.
type operation struct {
	name  string // the name in errors and logs
	query string
	// create marks an operation that makes something: sending it twice
	// makes two, so an answer lost after sending leaves it unconfirmed.
	create bool
}

// The documents, each valid against the schema subset in hashnodetest.
var (
	opPostLookup = operation{name: "post lookup", query: `query PostBySlug($publicationId: ObjectId!, $slug: String!) {
  publication(id: $publicationId) { id post(slug: $slug) { id slug url } }
}`}
	opDraftLookup = operation{name: "draft lookup", query: `query Drafts($publicationId: ObjectId!, $after: String) {
  publication(id: $publicationId) {
    id
    drafts(first: 50, after: $after) { edges { node { id slug } } pageInfo { hasNextPage endCursor } }
  }
}`}
	opNewsletter = operation{name: "newsletter check", query: `query Newsletter($publicationId: ObjectId!) {
  publication(id: $publicationId) { id features { newsletter { isEnabled } } }
}`}
	opPublishPost = operation{name: "publishPost", create: true, query: `mutation PublishPost($input: PublishPostInput!) {
  publishPost(input: $input) { post { id slug url } }
}`}
	opUpdatePost = operation{name: "updatePost", query: `mutation UpdatePost($input: UpdatePostInput!) {
  updatePost(input: $input) { post { id slug url } }
}`}
	opCreateDraft = operation{name: "createDraft", create: true, query: `mutation CreateDraft($input: CreateDraftInput!) {
  createDraft(input: $input) { draft { id slug } }
}`}
	opUpdateDraft = operation{name: "updateDraft", query: `mutation UpdateDraft($input: UpdateDraftInput!) {
  updateDraft(input: $input) { draft { id slug } }
}`}
	opPublishDraft = operation{name: "publishDraft", create: true, query: `mutation PublishDraft($input: PublishDraftInput!) {
  publishDraft(input: $input) { post { id slug url } }
}`}
)

// operations lists every document, for tests.
var operations = []operation{opPostLookup, opDraftLookup, opNewsletter, opPublishPost, opUpdatePost, opCreateDraft, opUpdateDraft, opPublishDraft}

type request struct {
	Query     string `json:"query"`
	Variables any    `json:"variables"`
}

// encode writes the request body. HTML characters are not escaped, so the
// body is as small as the content allows.
func encode(op operation, vars any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(request{Query: op.query, Variables: vars}); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// answer is a GraphQL response body.
type answer struct {
	Data   json.RawMessage `json:"data"`
	Errors []answerError   `json:"errors"`
}

type answerError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// failure is why one attempt failed and what may follow.
type failure struct {
	err *Error
	// again: another attempt may succeed.
	again bool
	// unknown: the operation may have taken effect.
	unknown bool
	// wait is what the server asked for (Retry-After).
	wait time.Duration
}

// errTimeout is the cause an attempt's context is cancelled with when the
// attempt's time is up.
var errTimeout = errors.New("attempt timed out")

// do sends op and decodes the answer's data into out, retrying with the
// backoff what may succeed later, up to the configured attempts. A create
// whose answer was lost is not retried: the error wraps ErrUnconfirmed and
// the caller settles it. Other errors are classified with retry.
func (c *Client) do(ctx context.Context, op operation, slug string, vars any, out any) error {
	body, err := encode(op, vars)
	if err != nil {
		return retry.Never(&Error{Op: op.name, Slug: slug, Reason: "cannot encode the request: " + err.Error(), kind: ErrInvalidPost, cause: err})
	}
	if len(body) > MaxRequestBytes {
		return retry.Never(tooLarge(op, slug, len(body)))
	}
	for attempt := 1; ; attempt++ {
		f := c.attempt(ctx, op, slug, body, out)
		if f == nil {
			return nil
		}
		switch {
		case op.create && f.unknown:
			f.err.kind = ErrUnconfirmed
			return f.err
		case ctx.Err() != nil:
			return retry.After(f.err, time.Time{})
		case !f.again:
			return retry.Never(f.err)
		}
		d := c.backoff.Delay(attempt, f.wait)
		if attempt >= c.maxAttempts {
			f.err.Reason += fmt.Sprintf(" (%d attempts)", attempt)
			return retry.After(f.err, c.clock.Now().Add(d))
		}
		c.log.Warn("hashnode: request failed, retrying",
			zap.String("op", op.name), zap.String("slug", slug), zap.Int("attempt", attempt),
			zap.Duration("wait", d), zap.String("reason", f.err.Reason))
		if err := retry.Sleep(ctx, c.clock, d); err != nil {
			f.err.Reason += " (retry abandoned: " + err.Error() + ")"
			return retry.After(f.err, time.Time{})
		}
	}
}

func tooLarge(op operation, slug string, n int) *Error {
	return &Error{Op: op.name, Slug: slug, kind: ErrTooLarge, Reason: fmt.Sprintf(
		"the request body would be %d bytes, over Hashnode's %d-byte (100 KB) limit; nothing was sent", n, MaxRequestBytes)}
}

// attempt sends the body once, within the configured timeout on the
// client's clock.
func (c *Client) attempt(ctx context.Context, op operation, slug string, body []byte, out any) *failure {
	actx, cancel := context.WithCancelCause(ctx)
	timer := c.clock.AfterFunc(c.timeout, func() { cancel(errTimeout) })
	defer func() {
		timer.Stop()
		cancel(nil)
	}()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return &failure{err: &Error{Op: op.name, Slug: slug, Reason: "cannot build the request: " + oneLine(err.Error()), cause: err}}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("User-Agent", c.userAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, op, slug, err)
	}
	defer quiet.Close(resp.Body)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return c.transportFailure(ctx, actx, op, slug, err)
	}
	return c.classify(op, slug, resp, raw, out)
}

// transportFailure describes a request that got no complete answer. Only a
// connection that was never made proves the operation was not received.
func (c *Client) transportFailure(ctx, actx context.Context, op operation, slug string, err error) *failure {
	e := &Error{Op: op.name, Slug: slug, cause: err}
	switch {
	case ctx.Err() != nil:
		e.Reason = "stopped before an answer came: " + ctx.Err().Error()
		return &failure{err: e, unknown: true}
	case errors.Is(context.Cause(actx), errTimeout):
		e.Reason = fmt.Sprintf("no answer within %s", c.timeout)
		return &failure{err: e, again: true, unknown: true}
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var operr *net.OpError
	if errors.As(err, &operr) && operr.Op == "dial" {
		e.Reason = "cannot connect to " + c.endpoint + ": " + oneLine(err.Error())
		return &failure{err: e, again: true}
	}
	e.Reason = "the connection failed before an answer came: " + oneLine(err.Error())
	return &failure{err: e, again: true, unknown: true}
}

// classify reads one answer: its data into out, or why it failed.
func (c *Client) classify(op operation, slug string, resp *http.Response, raw []byte, out any) *failure {
	status := resp.StatusCode
	e := &Error{Op: op.name, Slug: slug, Status: status}
	var a answer
	isJSON := json.Unmarshal(raw, &a) == nil
	wait, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())

	switch {
	case status >= 300 && status < 400:
		e.Reason = fmt.Sprintf("the endpoint %s answered HTTP %d with a redirect to %q; set the endpoint to the URL it names",
			c.endpoint, status, resp.Header.Get("Location"))
		return &failure{err: e}
	case status == http.StatusRequestEntityTooLarge:
		e.kind = ErrTooLarge
		e.Reason = "Hashnode refused the request body as too large (HTTP 413)"
		return &failure{err: e}
	case isJSON && len(a.Errors) > 0:
		return c.graphQLFailure(e, a.Errors, wait)
	case status == http.StatusUnauthorized:
		return unauthenticated(e)
	case status == http.StatusTooManyRequests:
		e.Reason = "HTTP 429 Too Many Requests"
		return &failure{err: e, again: true, wait: wait}
	case retry.Status(status) || status >= 500:
		e.Reason = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
		return &failure{err: e, again: true, unknown: true, wait: wait}
	case status != http.StatusOK:
		e.Reason = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
		return &failure{err: e}
	case !isJSON:
		e.Reason = "the answer is not GraphQL JSON"
		return &failure{err: e, again: true, unknown: true}
	}
	if len(a.Data) == 0 || string(a.Data) == "null" {
		e.Reason = "the answer has neither data nor errors"
		return &failure{err: e, again: true, unknown: true}
	}
	if err := json.Unmarshal(a.Data, out); err != nil {
		e.Reason = "the answer's data does not have the expected shape: " + oneLine(err.Error())
		e.cause = err
		return &failure{err: e, unknown: true}
	}
	return nil
}

// clientCodes are GraphQL error codes that say the request was refused as
// it is: sending it again cannot help, and nothing was done.
var clientCodes = map[string]bool{
	"GRAPHQL_PARSE_FAILED":          true,
	"GRAPHQL_VALIDATION_FAILED":     true,
	"BAD_USER_INPUT":                true,
	"BAD_REQUEST":                   true,
	"NOT_FOUND":                     true,
	"PERSISTED_QUERY_NOT_SUPPORTED": true,
	"OPERATION_RESOLUTION_FAILURE":  true,
}

func (c *Client) graphQLFailure(e *Error, errs []answerError, wait time.Duration) *failure {
	first := errs[0]
	e.Code = first.Extensions.Code
	msg := oneLine(first.Message)
	more := ""
	if len(errs) > 1 {
		more = fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	switch {
	case e.Code == "UNAUTHENTICATED":
		return unauthenticated(e)
	case e.Code == "FORBIDDEN" && strings.Contains(strings.ToLower(msg), "does not have an active pro plan"):
		e.kind = ErrNoProPlan
		e.Reason = fmt.Sprintf("publication %s does not have an active Hashnode Pro plan, which Hashnode's API requires for writes since 2026; "+
			"upgrade it in the Hashnode dashboard (FORBIDDEN, not retried)", c.publicationID)
		return &failure{err: e}
	case e.Code == "FORBIDDEN":
		e.Reason = fmt.Sprintf("FORBIDDEN: %s%s", msg, more)
		return &failure{err: e}
	case clientCodes[e.Code]:
		e.Reason = fmt.Sprintf("%s: %s%s", e.Code, msg, more)
		return &failure{err: e}
	case e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests && e.Status != http.StatusRequestTimeout:
		e.Reason = fmt.Sprintf("HTTP %d, %s: %s%s", e.Status, codeOrNone(e.Code), msg, more)
		return &failure{err: e}
	}
	// INTERNAL_SERVER_ERROR, a code this client does not know, or none: the
	// server failed, perhaps after doing the work.
	e.Reason = fmt.Sprintf("%s: %s%s", codeOrNone(e.Code), msg, more)
	if e.Status != http.StatusOK {
		e.Reason = fmt.Sprintf("HTTP %d, %s", e.Status, e.Reason)
	}
	return &failure{err: e, again: true, unknown: true, wait: wait}
}

func unauthenticated(e *Error) *failure {
	e.kind = ErrUnauthenticated
	if e.Code == "" {
		e.Code = "UNAUTHENTICATED"
	}
	e.Reason = "Hashnode refused the Personal Access Token (UNAUTHENTICATED): check the token (HASHNODE_PAT or the configured one): it must be valid and not revoked"
	return &failure{err: e}
}

func codeOrNone(code string) string {
	if code == "" {
		return "GraphQL error without a code"
	}
	return code
}
