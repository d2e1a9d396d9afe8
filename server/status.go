package server

import "net/http"

// status is GET /api/v1/status: what an operator asks first when nothing
// seems to happen (see desk.Desk.Status).
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	st, err := s.opts.Desk.Status(r.Context())
	if err != nil {
		s.deskError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
