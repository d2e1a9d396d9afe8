package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/desk"
)

// suggestionDismiss sets the candidates picked aside for good: they are
// never offered again.
func (h *Handler) suggestionDismiss(w http.ResponseWriter, r *http.Request) {
	h.decideSuggestions(w, r, "넘겼습니다. 다시 보이지 않습니다", func(ids []int64) (api.Decisions, error) {
		return h.opts.Desk.Dismiss(r.Context(), ids, actor(r))
	})
}

// decided says what a bulk decision did: how many, and each refusal's
// reason.
func decided(d api.Decisions, what string) flash {
	var parts []string
	if n := len(d.Done); n > 0 {
		parts = append(parts, fmt.Sprintf("%s %s.", desk.Josa(fmt.Sprintf("후보 %d개", n), "을"), what))
	}
	for _, r := range d.Refused {
		parts = append(parts, r.Korean)
	}
	f := flash{Text: strings.Join(parts, " ")}
	f.Error = len(d.Refused) > 0
	return f
}
