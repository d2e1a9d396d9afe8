package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// DeliveryState is where a delivery of the outbox is.
type DeliveryState string

// Delivery states. A pending delivery is sent when it is due; sending
// means a worker has it now (or had it when the process stopped: the next
// start makes it pending again); done and failed are final, though an
// editor may queue a failed one again.
const (
	DeliveryPending DeliveryState = "pending"
	DeliverySending DeliveryState = "sending"
	DeliveryDone    DeliveryState = "done"
	DeliveryFailed  DeliveryState = "failed"
)

// DeliveryTest is the kind of a test send: the issue shown to its editors
// before the real send. It is a rehearsal, kept on its issue, so it is
// left out of how an outlet is doing (DeliveriesByOutlet).
const DeliveryTest = "test"

// Delivery is one side effect after a commit, kept until it is done: a
// post to Hashnode, a chat message, an email campaign.
type Delivery struct {
	ID      int64
	IssueID int64  // 0 for an event of no issue
	Outlet  string // who receives it: hashnode, chat:N, listmonk
	Kind    string // what it says: published, corrected, draft_ready, …
	Payload []byte // what the outlet needs besides the issue's row
	State   DeliveryState
	// Attempts counts the attempts that ended (answered or failed); one
	// cut short by a stop is not charged.
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DoneAt        time.Time
}

// NewDelivery is a delivery about to be queued.
type NewDelivery struct {
	IssueID int64
	Outlet  string
	Kind    string
	Payload []byte
	// DedupeKey, if set, makes the delivery one of its kind: while a
	// delivery with the same key waits or is being sent, queuing another
	// adds nothing.
	DedupeKey string
	// At is when it is due; zero means now.
	At time.Time
}

const deliveryCols = `id, COALESCE(issue_id, 0), outlet, kind, payload, state, attempts, next_attempt_at,
	last_error, created_at, updated_at, done_at`

func scanDelivery(row scanner) (Delivery, error) {
	var d Delivery
	var payload string
	err := row.Scan(&d.ID, &d.IssueID, &d.Outlet, &d.Kind, &payload, &d.State, &d.Attempts,
		timeCol{&d.NextAttemptAt}, &d.LastError, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt}, timeCol{&d.DoneAt})
	d.Payload = []byte(payload)
	return d, err
}

// Enqueue queues deliveries of no publication (an event such as a run
// that failed) in one transaction.
func (s *Store) Enqueue(ctx context.Context, ds ...NewDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error { return enqueue(ctx, tx, s.now(), ds) })
	if err != nil {
		return fmt.Errorf("store: queue %d deliveries: %w", len(ds), err)
	}
	return nil
}

// EnqueueOne queues d, which must have no DedupeKey, and returns its id.
func (s *Store) EnqueueOne(ctx context.Context, d NewDelivery) (int64, error) {
	if d.DedupeKey != "" {
		return 0, fmt.Errorf("store: queue delivery %s of %s: a delivery queued alone has no dedupe key", d.Kind, d.Outlet)
	}
	now := s.now()
	at := d.At
	if at.IsZero() {
		at = now
	}
	var issue any
	if d.IssueID != 0 {
		issue = d.IssueID
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO deliveries
		(issue_id, outlet, kind, payload, next_attempt_at, created_at, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id`,
		issue, d.Outlet, d.Kind, string(d.Payload), ts(at), ts(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: queue delivery %s of %s: %w", d.Kind, d.Outlet, err)
	}
	return id, nil
}

// CancelPending fails, with reason, issue issueID's pending deliveries of
// kind to outlet (not one being sent), and returns how many there were.
func (s *Store) CancelPending(ctx context.Context, issueID int64, outlet, kind, reason string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE deliveries SET state = 'failed', last_error = ?4, updated_at = ?5
		WHERE issue_id = ?1 AND outlet = ?2 AND kind = ?3 AND state = 'pending'`, issueID, outlet, kind, reason, ts(s.now()))
	if err != nil {
		return 0, fmt.Errorf("store: cancel %s deliveries of issue %d to %s: %w", kind, issueID, outlet, err)
	}
	return rowsAffected(res)
}

// enqueue inserts ds in tx; one whose key waits already is left out.
func enqueue(ctx context.Context, tx *sql.Tx, now time.Time, ds []NewDelivery) error {
	for _, d := range ds {
		at := d.At
		if at.IsZero() {
			at = now
		}
		var key, issue any
		if d.DedupeKey != "" {
			key = d.DedupeKey
		}
		if d.IssueID != 0 {
			issue = d.IssueID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO deliveries
			(issue_id, outlet, kind, payload, dedupe_key, next_attempt_at, created_at, updated_at)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
			ON CONFLICT (dedupe_key) WHERE state IN ('pending', 'sending') DO NOTHING`,
			issue, d.Outlet, d.Kind, string(d.Payload), key, ts(at), ts(now))
		if err != nil {
			return fmt.Errorf("delivery %s of %s: %w", d.Kind, d.Outlet, err)
		}
	}
	return nil
}

// ClaimDelivery takes the pending delivery due first at now, if any, and
// marks it sending.
func (s *Store) ClaimDelivery(ctx context.Context, now time.Time) (Delivery, bool, error) {
	return s.claim(ctx, `SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?1
		ORDER BY next_attempt_at, id LIMIT 1`, now)
}

// ClaimDeliveryID takes pending delivery id, due or not, and marks it
// sending; ok is false when it is not pending.
func (s *Store) ClaimDeliveryID(ctx context.Context, id int64) (Delivery, bool, error) {
	return s.claim(ctx, `SELECT id FROM deliveries WHERE state = 'pending' AND id = ?2`, s.now(), id)
}

func (s *Store) claim(ctx context.Context, which string, now time.Time, args ...any) (Delivery, bool, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `UPDATE deliveries SET state = 'sending', updated_at = ?1
		WHERE id = (`+which+`) RETURNING `+deliveryCols, append([]any{ts(now)}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, false, nil
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("store: claim a delivery: %w", err)
	}
	return d, true, nil
}

// NextDelivery returns when the next pending delivery is due, ok false
// when none waits.
func (s *Store) NextDelivery(ctx context.Context) (at time.Time, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT next_attempt_at FROM deliveries WHERE state = 'pending'
		ORDER BY next_attempt_at LIMIT 1`).Scan(timeCol{&at})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next delivery: %w", err)
	}
	return at, true, nil
}

// Outcome is how an attempt at a delivery ended.
type Outcome struct {
	// State is done, failed, or pending for another attempt at Retry.
	State DeliveryState
	Retry time.Time
	Err   string // why it failed, "" when done
	// Charge counts the attempt; an attempt cut short by a stop, or
	// waiting for a dependency that is paused, is not charged.
	Charge bool
}

// SettleDelivery records how the attempt at delivery id ended. It must be
// sending (ErrConflict otherwise).
func (s *Store) SettleDelivery(ctx context.Context, id int64, o Outcome) (Delivery, error) {
	now := s.now()
	var done, retry any
	retry = ts(now)
	switch o.State {
	case DeliveryDone:
		done = ts(now)
	case DeliveryPending:
		if !o.Retry.IsZero() {
			retry = ts(o.Retry)
		}
	case DeliveryFailed:
	default:
		return Delivery{}, fmt.Errorf("store: settle delivery %d: state %q is not an outcome", id, o.State)
	}
	charge := 0
	if o.Charge {
		charge = 1
	}
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `UPDATE deliveries
		SET state = ?2, attempts = attempts + ?3, next_attempt_at = ?4, last_error = ?5, updated_at = ?6, done_at = ?7
		WHERE id = ?1 AND state = 'sending' RETURNING `+deliveryCols,
		id, string(o.State), charge, retry, o.Err, ts(now), done))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, fmt.Errorf("store: settle delivery %d: %w: it is not being sent", id, ErrConflict)
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("store: settle delivery %d: %w", id, err)
	}
	return d, nil
}

// ResumeDeliveries makes the deliveries a stopped process was sending
// pending again, due now, without charging an attempt, and returns how
// many there were. Call it at start, before any worker claims.
func (s *Store) ResumeDeliveries(ctx context.Context) (int, error) {
	now := ts(s.now())
	res, err := s.db.ExecContext(ctx, `UPDATE deliveries SET state = 'pending', next_attempt_at = ?1, updated_at = ?1
		WHERE state = 'sending'`, now)
	if err != nil {
		return 0, fmt.Errorf("store: resume deliveries: %w", err)
	}
	return rowsAffected(res)
}

// RetryDelivery queues failed delivery id again, due now, its attempts
// reset; a delivery already waiting is returned as it is. A delivery done
// is a conflict.
func (s *Store) RetryDelivery(ctx context.Context, id int64) (Delivery, error) {
	now := ts(s.now())
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `UPDATE deliveries
		SET state = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2
		WHERE id = ?1 AND state = 'failed' RETURNING `+deliveryCols, id, now))
	if errors.Is(err, sql.ErrNoRows) {
		d, err = scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE id = ?`, id))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return Delivery{}, fmt.Errorf("store: retry delivery %d: %w", id, ErrNotFound)
		case err != nil:
		case d.State == DeliveryDone:
			return Delivery{}, fmt.Errorf("store: retry delivery %d: %w: it was delivered", id, ErrConflict)
		default:
			return d, nil
		}
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("store: retry delivery %d: %w", id, err)
	}
	return d, nil
}

// Deliveries returns the deliveries of issue issueID (0: of no issue),
// oldest first.
func (s *Store) Deliveries(ctx context.Context, issueID int64) ([]Delivery, error) {
	where := `issue_id = ?1`
	if issueID == 0 {
		where = `issue_id IS NULL AND ?1 = 0`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE `+where+` ORDER BY id`, issueID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of issue %d: %w", issueID, err)
	}
	defer quiet.Close(rows)
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("store: deliveries of issue %d: %w", issueID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CountDeliveries counts deliveries by state, for the status page and the
// metrics.
func (s *Store) CountDeliveries(ctx context.Context) (map[DeliveryState]int, error) {
	return countGroups[DeliveryState](ctx, s, "deliveries", `SELECT state, COUNT(*) FROM deliveries GROUP BY state`)
}

// OutletDeliveries are the deliveries to one outlet (the chats as one,
// "chat"): how many are in each state, and the latest, whose state and
// last error say how the outlet is doing now.
type OutletDeliveries struct {
	Outlet string
	Counts map[DeliveryState]int
	Latest Delivery
}

// DeliveriesByOutlet summarises the deliveries by outlet, by name; test
// sends (DeliveryTest) are not counted.
func (s *Store) DeliveriesByOutlet(ctx context.Context) ([]OutletDeliveries, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT outlet, state, COUNT(*) FROM deliveries WHERE kind != ?
		GROUP BY outlet, state`, DeliveryTest)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries by outlet: %w", err)
	}
	defer quiet.Close(rows)
	by := map[string]*OutletDeliveries{}
	var names []string
	for rows.Next() {
		var outlet string
		var state DeliveryState
		var n int
		if err := rows.Scan(&outlet, &state, &n); err != nil {
			return nil, fmt.Errorf("store: deliveries by outlet: %w", err)
		}
		name := outletName(outlet)
		o, ok := by[name]
		if !ok {
			o = &OutletDeliveries{Outlet: name, Counts: map[DeliveryState]int{}}
			by[name] = o
			names = append(names, name)
		}
		o.Counts[state] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: deliveries by outlet: %w", err)
	}
	latest, err := s.db.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE id IN (SELECT MAX(id) FROM deliveries WHERE kind != ?1 GROUP BY outlet) ORDER BY id`, DeliveryTest)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries by outlet: %w", err)
	}
	defer quiet.Close(latest)
	for latest.Next() {
		d, err := scanDelivery(latest)
		if err != nil {
			return nil, fmt.Errorf("store: deliveries by outlet: %w", err)
		}
		if o := by[outletName(d.Outlet)]; o != nil && d.ID > o.Latest.ID {
			o.Latest = d
		}
	}
	if err := latest.Err(); err != nil {
		return nil, fmt.Errorf("store: deliveries by outlet: %w", err)
	}
	slices.Sort(names)
	out := make([]OutletDeliveries, len(names))
	for i, n := range names {
		out[i] = *by[n]
	}
	return out, nil
}

// outletName is an outlet without its instance: "chat:2" is "chat".
func outletName(outlet string) string {
	name, _, _ := strings.Cut(outlet, ":")
	return name
}
