package hashnodetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

type requestBody struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// reply is an answer computed before it is sent, so the request is on
// record before the client can read the answer.
type reply struct {
	status int
	header http.Header
	body   []byte
	drop   bool // close the connection instead
	hang   bool // hold the request until the client gives up
	delay  time.Duration
}

func (rp *reply) Header() http.Header    { return rp.header }
func (rp *reply) WriteHeader(status int) { rp.status = status }
func (rp *reply) Write(b []byte) (int, error) {
	rp.body = append(rp.body, b...)
	return len(b), nil
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	rec := Request{Time: s.clock.Now(), Authorization: r.Header.Get("Authorization")}
	rp := &reply{status: http.StatusOK, header: http.Header{}}
	s.answer(rp, r, &rec)
	s.record(rec)
	if rp.delay > 0 {
		t := s.clock.NewTimer(rp.delay)
		select {
		case <-t.Chan():
		case <-r.Context().Done():
		}
		t.Stop()
	}
	switch {
	case rp.hang:
		select {
		case s.hung <- rec.Field:
		default:
		}
		<-r.Context().Done()
	case rp.drop:
		dropConnection(w)
	default:
		for k, v := range rp.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rp.status)
		_, _ = w.Write(rp.body)
	}
}

// answer computes the answer to one request into w and notes it in rec.
func (s *Server) answer(w *reply, r *http.Request, rec *Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	rec.BodyBytes = len(raw)
	if err == nil && len(raw) > MaxRequestBytes {
		// Hashnode's body parser refuses before GraphQL sees anything.
		rec.Status = http.StatusRequestEntityTooLarge
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(rec.Status)
		_, _ = io.WriteString(w, "<html><body>request entity too large</body></html>\n")
		return
	}
	if err != nil {
		rec.Status = http.StatusBadRequest
		writeErrors(w, rec.Status, newError("BAD_REQUEST", "cannot read the request body: %v", err))
		return
	}

	if r.Method != http.MethodPost {
		err := newError("BAD_REQUEST", "%s is not supported; POST a JSON body", r.Method)
		s.invalid(rec, http.StatusBadRequest, err)
		writeErrors(w, http.StatusBadRequest, err)
		return
	}
	var body requestBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || body.Query == "" {
		e := newError("BAD_REQUEST", "POST body must be a JSON object with a non-empty \"query\"")
		s.invalid(rec, http.StatusBadRequest, e)
		writeErrors(w, http.StatusBadRequest, e)
		return
	}
	rec.Query, rec.OperationName, rec.Variables = body.Query, body.OperationName, body.Variables

	op, vars, gerr, status := s.validate(body)
	if gerr != nil {
		s.invalid(rec, status, gerr)
		writeErrors(w, status, gerr)
		return
	}
	rec.Field = rootField(op)

	s.mu.Lock()
	var fault *Fault
	if q := s.faults[rec.Field]; len(q) > 0 {
		f := q[0]
		s.faults[rec.Field] = q[1:]
		fault = &f
	}
	s.mu.Unlock()
	rec.Fault = fault
	if fault != nil && fault.Delay > 0 {
		w.delay = fault.Delay
		if slow := (Fault{Delay: fault.Delay}); *fault == slow {
			fault = nil // only slow: answered as usual
		}
	}

	if fault != nil && fault.Hang {
		w.hang = true
		return
	}
	if fault != nil && !fault.Applied {
		rec.Status, rec.Code, rec.Message = faultStatus(*fault), fault.Code, fault.Message
		writeFault(w, *fault)
		return
	}

	if h := rec.Authorization; h != "" && bearer(h) != Token || h == "" && op.Operation == ast.Mutation {
		e := newError("UNAUTHENTICATED", "Invalid or missing Personal Access Token.")
		rec.Status, rec.Code, rec.Message = http.StatusOK, "UNAUTHENTICATED", e.Message
		writeErrors(w, http.StatusOK, e)
		return
	}

	key := ""
	if op.Operation == ast.Query {
		key = cacheKey(body)
		if hit, ok := s.cached(key); ok && fault == nil {
			rec.Status, rec.Cached = http.StatusOK, true
			w.Header().Set("X-Cache", "HIT")
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, _ = w.Write(hit)
			return
		}
	}

	data, gerrs := s.execute(op, vars)

	if fault != nil {
		// Applied: the work is done, the answer fails.
		if fault.Drop {
			w.drop = true
			return
		}
		rec.Status, rec.Code, rec.Message = faultStatus(*fault), fault.Code, fault.Message
		writeFault(w, *fault)
		return
	}

	answer := map[string]any{"data": data}
	if len(gerrs) > 0 {
		answer["errors"] = gerrs
		rec.Code, rec.Message = gerrs[0].Extensions["code"].(string), gerrs[0].Message
	}
	rec.Status = http.StatusOK
	out := writeJSON(w, http.StatusOK, answer)
	if key != "" && len(gerrs) == 0 {
		s.store(key, out)
	}
}

// validate parses the query, validates it against the schema subset and
// coerces its variables, answering Apollo Server's code and status when any
// step fails.
func (s *Server) validate(body requestBody) (*ast.OperationDefinition, map[string]any, *gqlError, int) {
	if _, err := parser.ParseQuery(&ast.Source{Input: body.Query}); err != nil {
		return nil, nil, fromGQL("GRAPHQL_PARSE_FAILED", err), http.StatusBadRequest
	}
	doc, errs := gqlparser.LoadQueryWithRules(s.schema, body.Query, nil)
	if len(errs) > 0 {
		return nil, nil, fromGQL("GRAPHQL_VALIDATION_FAILED", errs[0]), http.StatusBadRequest
	}
	var op *ast.OperationDefinition
	switch {
	case body.OperationName != "":
		op = doc.Operations.ForName(body.OperationName)
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	}
	if op == nil {
		return nil, nil, newError("BAD_REQUEST", "the document has no operation %q", body.OperationName), http.StatusBadRequest
	}
	if op.Operation == ast.Subscription {
		return nil, nil, newError("BAD_REQUEST", "subscriptions are not supported"), http.StatusBadRequest
	}
	vars, err := validator.VariableValues(s.schema, op, body.Variables)
	if err != nil {
		return nil, nil, fromGQL("BAD_USER_INPUT", err), http.StatusBadRequest
	}
	for _, def := range op.VariableDefinitions {
		if err := s.checkScalars(def.Type, vars[def.Variable], "$"+def.Variable); err != nil {
			return nil, nil, newError("BAD_USER_INPUT", "Variable %q got invalid value: %v", "$"+def.Variable, err), http.StatusBadRequest
		}
	}
	return op, vars, nil, 0
}

func fromGQL(code string, err error) *gqlError {
	out := &gqlError{Message: err.Error(), Extensions: map[string]any{"code": code}}
	var g *gqlerror.Error
	if errors.As(err, &g) {
		out.Message = g.Message
		if len(g.Path) > 0 {
			out.Message = g.Path.String() + ": " + g.Message
		}
		for _, l := range g.Locations {
			out.Locations = append(out.Locations, location{Line: l.Line, Column: l.Column})
		}
	}
	return out
}

var (
	objectIDPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)
)

// checkScalars checks the custom scalars inside a variable's value, which
// gqlparser passes through: an ObjectId is 24 hexadecimal digits and a
// DateTime is ISO 8601.
func (s *Server) checkScalars(t *ast.Type, v any, path string) error {
	if v == nil {
		return nil
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return s.checkScalars(t.Elem, v, path)
		}
		for _, item := range list {
			if err := s.checkScalars(t.Elem, item, path+"[]"); err != nil {
				return err
			}
		}
		return nil
	}
	def := s.schema.Types[t.NamedType]
	switch {
	case def == nil:
		return nil
	case def.Kind == ast.InputObject:
		obj, _ := v.(map[string]any)
		for _, f := range def.Fields {
			if err := s.checkScalars(f.Type, obj[f.Name], path+"."+f.Name); err != nil {
				return err
			}
		}
	case def.Name == "ObjectId":
		if str, ok := v.(string); !ok || !objectIDPattern.MatchString(str) {
			return errors.New(path + ": ObjectId must be a string of 24 hexadecimal digits")
		}
	case def.Name == "DateTime":
		str, ok := v.(string)
		if !ok {
			return errors.New(path + ": DateTime must be an ISO 8601 string")
		}
		if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
			return errors.New(path + ": DateTime must be an ISO 8601 string")
		}
	}
	return nil
}

func rootField(op *ast.OperationDefinition) string {
	for _, sel := range op.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			return f.Name
		}
	}
	return ""
}

func cacheKey(body requestBody) string {
	vars, _ := json.Marshal(body.Variables) // map keys are sorted
	return body.OperationName + "\x00" + body.Query + "\x00" + string(vars)
}

func (s *Server) cached(key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cache[key]
	if !ok || s.cacheTTL <= 0 || s.clock.Since(c.at) >= s.cacheTTL {
		return nil, false
	}
	return c.body, true
}

func (s *Server) store(key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cacheTTL > 0 {
		s.cache[key] = cached{body: body, at: s.clock.Now()}
	}
}

func faultStatus(f Fault) int {
	if f.Status == 0 && f.Code != "" {
		return http.StatusOK
	}
	return f.Status
}

// dropConnection closes the connection without writing an answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
