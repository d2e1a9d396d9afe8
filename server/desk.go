package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
)

func (s *Server) getDraft(w http.ResponseWriter, r *http.Request) {
	v, err := s.opts.Desk.Draft(r.Context())
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) patchDraft(w http.ResponseWriter, r *http.Request) {
	var req api.IntroRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	if req.Intro == nil {
		writeError(w, http.StatusBadRequest, `field "intro" is required`)
		return
	}
	if err := s.opts.Desk.SetIntro(r.Context(), *req.Intro); err != nil {
		s.deskError(w, r, err)
		return
	}
	s.getDraft(w, r)
}

func (s *Server) publishDraft(w http.ResponseWriter, r *http.Request) {
	v, err := s.opts.Desk.Approve(r.Context(), actor(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("issue approved and published", zap.Int64("issue_id", v.ID), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	issues, err := s.opts.Desk.Issues(r.Context())
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Issues []api.Issue `json:"issues"`
	}{issues})
}

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.opts.Desk.Issue(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) republishIssue(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var req api.RepublishRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
			writeRequestError(w, err)
			return
		}
	}
	v, err := s.opts.Desk.Republish(r.Context(), id, actor(r), req.Announce)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("issue published again", zap.Int64("issue_id", id), zap.String("by", actor(r)), zap.Bool("announced", req.Announce))
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) republishHashnode(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.opts.Desk.PublishHashnode(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) republishListmonk(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.opts.Desk.PublishListmonk(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// testSend sends issue {id}, or the issue in review (.../draft/test), to
// the editors before the real send: 200 with each outlet's outcome, a
// failed one with its reason.
func (s *Server) testSend(w http.ResponseWriter, r *http.Request) {
	var id int64
	if r.PathValue("id") != "" {
		var ok bool
		if id, ok = pathID(w, r); !ok {
			return
		}
	}
	v, err := s.opts.Desk.TestSend(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("issue test send", zap.Int64("issue_id", v.IssueID), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, v)
}

// decodeChange reads the body of PATCH /api/v1/submissions/{id}/summary:
// one object of the five fields (a string edits one, null reverts it to
// the model's text), excluded and position. The desk checks what they
// hold.
func decodeChange(w http.ResponseWriter, r *http.Request, limit int64) (api.Change, error) {
	var raw map[string]json.RawMessage
	if err := decodeJSON(w, r, limit, &raw); err != nil {
		return api.Change{}, err
	}
	c := api.Change{Fields: map[string]*string{}}
	for name, v := range raw {
		switch name {
		case "excluded":
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				return api.Change{}, badRequest(`field "excluded" must be a boolean`)
			}
			c.Excluded = &b
		case "position":
			var p int
			if err := json.Unmarshal(v, &p); err != nil {
				return api.Change{}, badRequest(`field "position" must be a number from 1`)
			}
			c.Position = &p
		default:
			if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				c.Fields[name] = nil
				continue
			}
			var text string
			if err := json.Unmarshal(v, &text); err != nil {
				return api.Change{}, badRequest("field %q must be a string, or null to go back to the model's text", name)
			}
			c.Fields[name] = &text
		}
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
		s.deskError(w, r, err)
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
		s.deskError(w, r, err)
		return
	}
	s.log.Info("entry edited", zap.Int64("submission_id", id), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) regenerate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var req api.RegenerateRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
			writeRequestError(w, err)
			return
		}
	}
	e, err := s.opts.Desk.Regenerate(r.Context(), id, req.Instruction, actor(r))
	if err != nil {
		s.deskError(w, r, err)
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
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		History []api.Event `json:"history"`
	}{events})
}

// versions lists every text each field of an entry has had.
func (s *Server) versions(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	vs, err := s.opts.Desk.Versions(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Versions []api.Version `json:"versions"`
	}{vs})
}

// restoreVersion gives a field the text of one of its versions again.
func (s *Server) restoreVersion(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v := r.PathValue("version")
	vid, err := strconv.ParseInt(v, 10, 64)
	if err != nil || vid < 1 {
		writeError(w, http.StatusBadRequest, "version must be a positive integer, not %q", v)
		return
	}
	e, err := s.opts.Desk.Restore(r.Context(), id, vid, actor(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("entry version restored", zap.Int64("submission_id", id), zap.Int64("version", vid), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	a, err := s.opts.Desk.Article(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.opts.Desk.Runs(r.Context(), 20)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Runs []api.Run `json:"runs"`
	}{runs})
}

// deskError answers an error of the desk with the status of its kind and
// its body (the English message, its code, the field, the violations): a
// busy run is named by Location, an outage says when to try again by
// Retry-After, as a limit does. An internal error is logged and answered without details.
func (s *Server) deskError(w http.ResponseWriter, r *http.Request, err error) {
	e := desk.AsError(err)
	switch e.Kind {
	case desk.Internal:
		s.log.Error("request failed", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	case desk.Busy:
		if e.RunID != 0 {
			w.Header().Set("Location", "/api/v1/runs/"+strconv.FormatInt(e.RunID, 10))
		}
	}
	if secs, ok := e.RetryAfter(s.opts.Clock.Now()); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if e.Kind != desk.Internal && errors.Unwrap(e) != nil {
		s.log.Debug("desk refused", zap.String("code", e.Code), zap.Error(errors.Unwrap(e)))
	}
	logReason(w, e.Message)
	writeJSON(w, e.Kind.Status(), e.Body())
}

// internalError logs err and answers 500 without details.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	writeError(w, http.StatusInternalServerError, "internal error; see the server log")
}
