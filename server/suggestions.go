package server

import (
	"net/http"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/api"
)

// listSuggestions answers the candidates offered now, best first, with
// the sources' polls; ?source= keeps one source's.
func (s *Server) listSuggestions(w http.ResponseWriter, r *http.Request) {
	out, err := s.opts.Desk.Suggestions(r.Context(), r.URL.Query().Get("source"))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// acceptSuggestions makes candidates submissions ({"ids": [...]}): 200
// with those accepted and those refused, each with its reason; one id
// refused is that refusal.
func (s *Server) acceptSuggestions(w http.ResponseWriter, r *http.Request) {
	var req api.DecisionRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	out, err := s.opts.Desk.Accept(r.Context(), req.IDs, caller(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("candidates accepted", zap.Int("accepted", len(out.Done)), zap.Int("refused", len(out.Refused)),
		zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, out)
}

// dismissSuggestions sets candidates aside for good ({"ids": [...]}).
func (s *Server) dismissSuggestions(w http.ResponseWriter, r *http.Request) {
	var req api.DecisionRequest
	if err := decodeJSON(w, r, s.opts.Server.MaxBodyBytes, &req); err != nil {
		writeRequestError(w, err)
		return
	}
	out, err := s.opts.Desk.Dismiss(r.Context(), req.IDs, actor(r))
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	s.log.Info("candidates dismissed", zap.Int("dismissed", len(out.Done)), zap.Int("refused", len(out.Refused)),
		zap.String("by", actor(r)))
	writeJSON(w, http.StatusOK, out)
}
