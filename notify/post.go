package notify

import (
	"context"
	"fmt"

	"github.com/godevcommunity/newsletter/retry"
)

// Webhooks counts the configured webhooks; Post takes their index.
func (n *Notifier) Webhooks() int { return len(n.hooks) }

// Post sends e to webhook index once and reports how it went, for the
// outbox, which keeps the event and retries it: the error is retry.Never
// for an answer that will not change (a 4xx other than 408 and 429, a
// redirect), carries the time the server asked to wait until
// (retry.After), and is transient otherwise. It never holds the URL.
func (n *Notifier) Post(ctx context.Context, index int, e Event) error {
	if index < 0 || index >= len(n.hooks) {
		return retry.Never(fmt.Errorf("notify: no webhook %d: %d are configured", index, len(n.hooks)))
	}
	h := n.hooks[index]
	body, err := encode(h.format, e.message())
	if err != nil {
		return fmt.Errorf("notify: %s: encode %s: %w", h, e.kind(), err)
	}
	return n.post(ctx, h, body)
}
