package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// Limits on what editors write, in characters.
const (
	maxEditField   = 5000
	maxInstruction = 500
)

func (s *Server) getDraft(w http.ResponseWriter, r *http.Request) {
	v, err := s.opts.Desk.Draft(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// introRequest is the body of PATCH /api/v1/issues/draft.
type introRequest struct {
	Intro *string `json:"intro"`
}

func (s *Server) patchDraft(w http.ResponseWriter, r *http.Request) {
	var req introRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	if req.Intro == nil {
		writeError(w, http.StatusBadRequest, `field "intro" is required`)
		return
	}
	if n := utf8.RuneCountInString(*req.Intro); n > maxEditField {
		writeError(w, http.StatusRequestEntityTooLarge, "intro is %d characters long; the limit is %d", n, maxEditField)
		return
	}
	if err := s.opts.Desk.SetIntro(r.Context(), *req.Intro); err != nil {
		s.deskError(w, r, err, "the opening paragraph")
		return
	}
	s.getDraft(w, r)
}

func (s *Server) publishDraft(w http.ResponseWriter, r *http.Request) {
	v, err := s.opts.Desk.Approve(r.Context(), actor(r))
	if err != nil {
		s.deskError(w, r, err, "the draft")
		return
	}
	s.log.Info("issue approved and published", zap.Int64("issue_id", v.ID), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	issues, err := s.opts.Desk.Issues(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Issues []desk.Issue `json:"issues"`
	}{issues})
}

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.opts.Desk.Issue(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("issue %d", id))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) republishIssue(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.opts.Desk.Republish(r.Context(), id, actor(r))
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("issue %d", id))
		return
	}
	s.log.Info("issue published again", zap.Int64("issue_id", id), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) republishHashnode(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.opts.Desk.PublishHashnode(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("issue %d", id))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// decodeChange reads the body of PATCH /api/v1/submissions/{id}/summary:
// any of the five fields (a string edits it, null reverts it to the
// model's text), excluded and position.
func decodeChange(w http.ResponseWriter, r *http.Request, limit int64) (store.Change, error) {
	var raw map[string]json.RawMessage
	if err := decodeJSON(w, r, limit, &raw); err != nil {
		return store.Change{}, err
	}
	c := store.Change{Fields: map[entry.Field]*string{}}
	for name, v := range raw {
		switch f := entry.Field(name); {
		case f.Valid():
			if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				c.Fields[f] = nil
				continue
			}
			var text string
			if err := json.Unmarshal(v, &text); err != nil {
				return store.Change{}, badRequest("field %q must be a string, or null to go back to the model's text", name)
			}
			if n := utf8.RuneCountInString(text); n > maxEditField {
				return store.Change{}, &requestError{status: http.StatusRequestEntityTooLarge,
					msg: fmt.Sprintf("field %q is %d characters long; the limit is %d", name, n, maxEditField)}
			}
			c.Fields[f] = &text
		case name == "excluded":
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				return store.Change{}, badRequest(`field "excluded" must be a boolean`)
			}
			c.Excluded = &b
		case name == "position":
			var p int
			if err := json.Unmarshal(v, &p); err != nil || p < 1 {
				return store.Change{}, badRequest(`field "position" must be a number from 1`)
			}
			c.Position = &p
		default:
			return store.Change{}, badRequest("unknown field %q; want title, summary, introduction, recommendation, caution, excluded or position", name)
		}
	}
	if len(c.Fields) == 0 && c.Excluded == nil && c.Position == nil {
		return store.Change{}, badRequest("nothing to change: give a field, excluded or position")
	}
	return c, nil
}

func (s *Server) getSummary(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	e, err := s.opts.Desk.Entry(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("the summary of submission %d", id))
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) patchSummary(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	c, err := decodeChange(w, r, s.opts.Server.MaxBodyBytes)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	e, err := s.opts.Desk.Edit(r.Context(), id, c, actor(r))
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("submission %d", id))
		return
	}
	s.log.Info("entry edited", zap.Int64("submission_id", id), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, e)
}

// regenerateRequest is the body of POST /api/v1/submissions/{id}/regenerate.
type regenerateRequest struct {
	Instruction string `json:"instruction"`
}

func (s *Server) regenerate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var req regenerateRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
			writeRequestError(w, err)
			return
		}
	}
	if n := utf8.RuneCountInString(req.Instruction); n > maxInstruction {
		writeError(w, http.StatusRequestEntityTooLarge, "instruction is %d characters long; the limit is %d", n, maxInstruction)
		return
	}
	e, err := s.opts.Desk.Regenerate(r.Context(), id, req.Instruction, actor(r))
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("submission %d", id))
		return
	}
	s.log.Info("entry regenerated", zap.Int64("submission_id", id), zap.String("by", actor(r)),
		zap.String("instruction", req.Instruction))
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	events, err := s.opts.Desk.History(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("submission %d", id))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		History []desk.Event `json:"history"`
	}{events})
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	a, err := s.opts.Desk.Article(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err, fmt.Sprintf("the article of submission %d", id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"submission_id": id, "url": a.CanonicalURL, "title": a.Title,
		"site_name": a.SiteName, "text": a.Text, "word_count": a.WordCount})
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.opts.Store.Runs(r.Context(), 20)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := struct {
		Runs []runJSON `json:"runs"`
	}{Runs: make([]runJSON, 0, len(runs))}
	for _, run := range runs {
		out.Runs = append(out.Runs, toRunJSON(run))
	}
	writeJSON(w, http.StatusOK, out)
}

// deskError answers an error of the desk: 404, 409 for a state that
// forbids it (a busy run, nothing to publish), 422 for an edit breaking
// the rules (naming each), 503 while Gemini is paused.
func (s *Server) deskError(w http.ResponseWriter, r *http.Request, err error, what string) {
	var ee *desk.EditError
	var busy *edition.BusyError
	switch {
	case errors.As(err, &ee):
		logReason(w, ee.Error())
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Error      string           `json:"error"`
			Violations []desk.Violation `json:"violations"`
		}{ee.Error(), ee.Violations})
	case errors.Is(err, desk.ErrNotFound):
		writeError(w, http.StatusNotFound, "%s not found", what)
	case errors.As(err, &busy):
		if busy.ID != 0 {
			w.Header().Set("Location", "/api/v1/runs/"+strconv.FormatInt(busy.ID, 10))
		}
		msg := busy.Error() + "; try again when it ends"
		logReason(w, msg)
		writeJSON(w, http.StatusConflict, errorBody{Error: msg, RunID: busy.ID})
	case errors.Is(err, desk.ErrNothingToPublish), errors.Is(err, desk.ErrWeekTaken), errors.Is(err, edition.ErrNoHashnode):
		writeError(w, http.StatusConflict, "%s", err)
	case errors.Is(err, desk.ErrStateChanged):
		writeError(w, http.StatusConflict, "%s changed meanwhile (deleted, retried or published); read it again", what)
	case errors.Is(err, desk.ErrConflict):
		writeError(w, http.StatusConflict, "%s: %s", what, conflictReason(err))
	case retry.IsOutage(err):
		c := retry.Classify(err)
		if !c.At.IsZero() {
			w.Header().Set("Retry-After", strconv.Itoa(int(max(time.Until(c.At), time.Second)/time.Second)))
		}
		writeError(w, http.StatusServiceUnavailable, "%s is unavailable, try again later: %s", c.Dependency, c.Err)
	default:
		s.internalError(w, r, err)
	}
}
