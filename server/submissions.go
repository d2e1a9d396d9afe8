package server

import (
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
)

func (s *Server) createSubmission(w http.ResponseWriter, r *http.Request) {
	var req api.SubmissionRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	sub, err := s.opts.Desk.Submit(r.Context(), req, caller(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	log := s.log.With(zap.Int64("submission_id", sub.ID), zap.String("url", sub.URL))
	w.Header().Set("Location", "/api/v1/submissions/"+strconv.FormatInt(sub.ID, 10))
	switch {
	case sub.Requeued:
		log.Info("submission had failed; queued again", zap.String("submitted_by", sub.SubmittedBy))
		writeJSON(w, http.StatusOK, sub)
	case sub.Existing:
		log.Info("submission repeats a queued one", zap.String("state", sub.State))
		writeJSON(w, http.StatusOK, sub)
	default:
		log.Info("submission received", zap.String("submitted_by", sub.SubmittedBy))
		writeJSON(w, http.StatusCreated, sub)
	}
}

// listSubmissions answers a page of submissions, newest first: ?state=
// (comma-separated), ?limit=, and ?before= or ?after= an id for the page
// beside (the answer's older and newer), with the total.
func (s *Server) listSubmissions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := s.opts.Desk.SubmissionPage(r.Context(), api.SubmissionQuery{State: q.Get("state"), Limit: q.Get("limit"),
		Before: q.Get("before"), After: q.Get("after"), Search: q.Get("q")})
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) getSubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sub, err := s.opts.Desk.Submission(r.Context(), id)
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sub)
}

func (s *Server) deleteSubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sub, err := s.opts.Desk.Delete(r.Context(), id, actor(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("submission deleted", zap.Int64("submission_id", id))
	writeJSON(w, http.StatusOK, sub)
}

// retrySubmission queues a failed submission again with its attempts
// reset; its earlier reason stays in its history.
func (s *Server) retrySubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sub, err := s.opts.Desk.Retry(r.Context(), id, actor(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("submission queued again", zap.Int64("submission_id", id), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, sub)
}

// bulkSubmissions applies one action (exclude, include, retry, delete)
// to several submissions: 200 with each one's outcome, a refusal with its
// code and reason; wrong input (an unknown action, no ids, too many) is
// refused whole, as any request.
func (s *Server) bulkSubmissions(w http.ResponseWriter, r *http.Request) {
	var req api.BulkRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	out, err := s.opts.Desk.Bulk(r.Context(), req.Action, req.IDs, actor(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	res := desk.BulkResult(req.Action, out)
	s.log.Info("bulk action", zap.String("action", req.Action), zap.Int("done", res.Done), zap.Int("refused", res.Refused), zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, res)
}

// pathID parses the {id} path value, answering 400 when it is not a
// positive integer.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusBadRequest, "id must be a positive integer, not %q", v)
		return 0, false
	}
	return id, true
}
