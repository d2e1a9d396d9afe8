package edition

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/publisher/listmonk"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// OutletListmonk names the deliveries of an issue's email campaign.
const OutletListmonk = "listmonk"

// KindTest is a test send: the issue as it is now, to the editors'
// addresses (listmonk) or as a draft to look at (Hashnode), before the
// real send.
const KindTest = store.DeliveryTest

// Listmonk sends an issue as an email campaign; *listmonk.Client is one.
type Listmonk interface {
	Publish(ctx context.Context, issueKey string, is listmonk.Issue) (listmonk.Result, error)
	Test(ctx context.Context, issueKey string, is listmonk.Issue, addresses []string) (listmonk.Result, error)
	Lists(ctx context.Context) ([]listmonk.List, error)
}

// ErrNoListmonk is returned by PublishListmonk when no listmonk is
// configured.
var ErrNoListmonk = errors.New("no listmonk is configured (publisher.listmonk.url)")

// ErrNoTestOutlet is returned by TestSend when no outlet can take a test.
var ErrNoTestOutlet = errors.New("no outlet takes a test send: configure publisher.listmonk (with publisher.test_recipients) or publisher.hashnode")

// PublishListmonk sends a published issue's campaign again now, for the
// desk and the CLI after a failure, and returns the issue; its campaign
// record (store.Campaign) says how it went.
func (r *Runner) PublishListmonk(ctx context.Context, id int64) (store.Issue, error) {
	if r.env.Listmonk == nil || r.env.Outbox == nil {
		return store.Issue{}, ErrNoListmonk
	}
	return r.sendAgain(ctx, id, OutletListmonk)
}

// ListmonkLists are the configured lists with their subscriber counts, as
// listmonk answers now; nil without listmonk.
func (r *Runner) ListmonkLists(ctx context.Context) ([]listmonk.List, error) {
	if r.env.Listmonk == nil {
		return nil, nil
	}
	return r.env.Listmonk.Lists(ctx)
}

// testPayload is what a test send delivers: the issue as it would be
// published now (it may not be published yet, so its row holds no
// content), and where the test goes.
type testPayload struct {
	Title    string    `json:"title"`
	Slug     string    `json:"slug"`
	Markdown string    `json:"markdown"` // the body, without front matter
	Date     time.Time `json:"date"`
	To       []string  `json:"to,omitempty"`
}

// TestResult is how a test send to one outlet went.
type TestResult struct {
	Outlet string
	// Delivery is the test's delivery as it ended: done, or failed with
	// LastError.
	Delivery store.Delivery
	// Link is where to look: the Hashnode draft in its editor.
	Link string
	// To are the addresses the listmonk test went to.
	To []string
}

// TestSend sends issue id as its entries make it now (the edits a
// republication would send, for a published issue) to every outlet that
// takes a test (listmonk's campaign test to the editors' addresses,
// publisher.test_recipients; Hashnode's draft, whose link it returns),
// through the outbox, and waits for the outcome. Nothing reaches the
// readers: listmonk's test changes no campaign, the draft stays
// unpublished, and the real send later uses the same campaign and draft.
// Each test send is its own delivery, tried once: its failure is final and
// reported here (an editor sends another), and a test left waiting by an
// earlier one is cancelled.
func (r *Runner) TestSend(ctx context.Context, id int64) ([]TestResult, error) {
	if r.env.Outbox == nil || (r.env.Hashnode == nil && (r.env.Listmonk == nil || len(r.pub.TestRecipients) == 0)) {
		return nil, ErrNoTestOutlet
	}
	is, err := r.env.Store.Issue(ctx, id)
	if err != nil {
		return nil, err
	}
	entries, err := r.env.Store.IssueEntries(ctx, id)
	if err != nil {
		return nil, err
	}
	content := r.Preview(store.Snapshot{Issue: is, Entries: entries})
	p := testPayload{Title: is.Title, Slug: is.Slug, Markdown: string(publisher.Body(content)), Date: is.Date}
	var outlets []string
	if r.env.Listmonk != nil && len(r.pub.TestRecipients) > 0 {
		outlets = append(outlets, OutletListmonk)
	}
	if r.env.Hashnode != nil {
		outlets = append(outlets, OutletHashnode)
	}
	var out []TestResult
	for _, outlet := range outlets {
		q := p
		if outlet == OutletListmonk {
			q.To = r.pub.TestRecipients
		}
		payload, err := json.Marshal(q)
		if err != nil {
			return nil, err
		}
		if _, err := r.env.Store.CancelPending(ctx, id, outlet, KindTest, "superseded by a newer test send"); err != nil {
			return nil, err
		}
		did, err := r.env.Store.EnqueueOne(ctx, store.NewDelivery{IssueID: id, Outlet: outlet, Kind: KindTest, Payload: payload})
		if err != nil {
			return nil, err
		}
		d, err := r.env.Outbox.Send(ctx, did)
		if errors.Is(err, store.ErrConflict) {
			// The worker sent it first: say how that went.
			d, err = r.delivery(ctx, id, did)
		}
		if err != nil {
			return nil, err
		}
		res := TestResult{Outlet: outlet, Delivery: d, To: q.To}
		if outlet == OutletHashnode {
			if cur, err := r.env.Store.Issue(ctx, id); err == nil {
				if cur.Hashnode.DraftID != "" {
					res.Link = hashnode.DraftURL(cur.Hashnode.DraftID)
				} else {
					res.Link = cur.Hashnode.URL
				}
			}
		}
		out = append(out, res)
	}
	return out, nil
}

// delivery is issue id's delivery did.
func (r *Runner) delivery(ctx context.Context, id, did int64) (store.Delivery, error) {
	ds, err := r.env.Store.Deliveries(ctx, id)
	if err != nil {
		return store.Delivery{}, err
	}
	for _, d := range ds {
		if d.ID == did {
			return d, nil
		}
	}
	return store.Delivery{}, fmt.Errorf("delivery %d of issue %d: %w", did, id, store.ErrNotFound)
}

// staleTest is why test delivery d is not sent, nil when it may be. A
// test is sent while an editor waits for it, once: one tried before (a
// stop cut it short, or it failed and was queued again) is not tried
// again, nor one queued before a publication of its issue, whose content
// it would not show.
func staleTest(ctx context.Context, st *store.Store, d store.Delivery) error {
	if d.Attempts > 0 || d.LastError != "" {
		why := "it was tried already"
		if d.LastError != "" {
			why += " (" + d.LastError + ")"
		}
		return fmt.Errorf("%s: test send %d of issue %d is tried once and %s; send a test again", d.Outlet, d.ID, d.IssueID, why)
	}
	is, err := st.Issue(ctx, d.IssueID)
	if err != nil {
		return fmt.Errorf("%s: issue %d: %w", d.Outlet, d.IssueID, err)
	}
	published := is.State == store.IssuePublishing || is.PublishedAt.After(d.CreatedAt) || is.ContentAt.After(d.CreatedAt)
	if !published {
		ds, err := st.Deliveries(ctx, d.IssueID)
		if err != nil {
			return err
		}
		for _, o := range ds {
			if o.Outlet == d.Outlet && o.Kind != KindTest && o.ID > d.ID {
				published = true
			}
		}
	}
	if published {
		return fmt.Errorf("%s: issue %d was published since test send %d was queued, so the test would not show what was published; send a test again",
			d.Outlet, d.IssueID, d.ID)
	}
	return nil
}

// test makes or updates the issue's draft on Hashnode, for a test send,
// once: its failure is final.
func (o HashnodeOutlet) test(ctx context.Context, d store.Delivery) error {
	var p testPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return retry.Never(fmt.Errorf("hashnode: test delivery %d: %w", d.ID, err))
	}
	if err := staleTest(ctx, o.Store, d); err != nil {
		return retry.Never(err)
	}
	post := hashnode.Post{Title: p.Title, Slug: p.Slug, Tags: hashnode.ParseTags(o.Pub.Tags), ContentMarkdown: p.Markdown, PublishedAt: p.Date}
	res, err := o.Client.Draft(ctx, strconv.FormatInt(d.IssueID, 10), post)
	if err != nil {
		if ctx.Err() != nil {
			return err // stopped: the next start refuses it, tried once
		}
		return retry.Never(err)
	}
	if o.Log != nil {
		o.Log.Info("issue's Hashnode draft ready for a look", zap.Int64("issue_id", d.IssueID), zap.String("url", res.URL))
	}
	return nil
}

// ListmonkOutlet sends a published issue as its listmonk campaign, or
// updates the campaign after a correction while it is unsent, and records
// the outcome (store.Campaign); it sends test sends too. Its client keeps
// the campaign's id and any create of unknown outcome in the issue's
// campaign record (ListmonkLedger), so a lost answer or a stop never makes
// a second campaign, a campaign renamed in listmonk is still the issue's,
// and one that went out and was deleted there is not made again. A
// campaign already sent is left as it is, and the record says so. The
// publication's outcome (note, error) and the last test's are recorded
// apart: a test never sets or clears the publication's error.
type ListmonkOutlet struct {
	Store  *store.Store
	Client Listmonk
	Log    *zap.Logger
}

// Deliver implements outbox.Outlet.
func (o ListmonkOutlet) Deliver(ctx context.Context, d store.Delivery) error {
	if d.Kind == KindTest {
		return o.test(ctx, d)
	}
	is, err := o.Store.Issue(ctx, d.IssueID)
	if err != nil {
		return fmt.Errorf("listmonk: issue %d: %w", d.IssueID, err)
	}
	if is.State != store.IssuePublished {
		return retry.Never(fmt.Errorf("listmonk: issue %d is %s, not published", is.ID, is.State))
	}
	if d.Kind == KindCorrected {
		first, err := o.firstPublication(ctx, d.IssueID)
		if err != nil {
			return err
		}
		if !first {
			// Published before listmonk was configured: a correction
			// emails no one an old issue (an editor's retry does).
			return o.Store.SetCampaignOutcome(context.WithoutCancel(ctx), d.IssueID,
				"the issue was published before listmonk was configured: a correction makes no campaign; send it with publish --listmonk", "")
		}
	}
	res, err := o.Client.Publish(ctx, strconv.FormatInt(is.ID, 10), listmonk.Issue{Slug: is.Slug, Title: is.Title,
		Markdown: string(publisher.Body(is.Content)), SendAt: is.Date})
	if ctx.Err() != nil && err != nil {
		return err // stopped: the next start reads the campaign record
	}
	var note, failure string
	switch {
	case err != nil:
		failure = err.Error()
	case res.Action == listmonk.ActionGone:
		note = fmt.Sprintf("campaign %d (last %s) is gone from listmonk: none was made in its place, as it may have gone out, and nobody was emailed again",
			res.CampaignID, res.Status)
	case res.Action == listmonk.ActionAlreadySent && d.Kind == KindCorrected:
		note = fmt.Sprintf("campaign %d was already %s: the correction changed nothing in it, and nobody was emailed again",
			res.CampaignID, res.Status)
	}
	if serr := o.Store.SetCampaignOutcome(context.WithoutCancel(ctx), d.IssueID, note, failure); serr != nil {
		return errors.Join(err, serr)
	}
	if err == nil && o.Log != nil {
		o.Log.Info("issue's listmonk campaign", zap.Int64("issue_id", d.IssueID), zap.String("kind", d.Kind),
			zap.Int("campaign_id", res.CampaignID), zap.String("status", res.Status), zap.String("action", string(res.Action)))
	}
	return err
}

// test sends a test send through the issue's campaign, once: its failure
// is final, for the editor who asked, and recorded apart from the
// publication's outcome.
func (o ListmonkOutlet) test(ctx context.Context, d store.Delivery) error {
	var p testPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return retry.Never(fmt.Errorf("listmonk: test delivery %d: %w", d.ID, err))
	}
	err := staleTest(ctx, o.Store, d)
	if err == nil {
		_, err = o.Client.Test(ctx, strconv.FormatInt(d.IssueID, 10),
			listmonk.Issue{Slug: p.Slug, Title: p.Title, Markdown: p.Markdown, SendAt: p.Date}, p.To)
		if err != nil && ctx.Err() != nil {
			return err // stopped: the next start refuses it, tried once
		}
	}
	failure := ""
	if err != nil {
		failure = err.Error()
	}
	// When the outbox claimed it, on the store's clock.
	if serr := o.Store.SetCampaignTest(context.WithoutCancel(ctx), d.IssueID, d.UpdatedAt, strings.Join(p.To, ", "), failure); serr != nil {
		return errors.Join(err, serr)
	}
	if err != nil {
		return retry.Never(err)
	}
	return nil
}

// ListmonkLedger keeps the listmonk client's record of each issue's
// campaign (its id, status and any create of unknown outcome) in the
// issue's campaign record; the issue key is the issue's id.
type ListmonkLedger struct{ Store *store.Store }

// Load implements listmonk.Ledger.
func (l ListmonkLedger) Load(ctx context.Context, issueKey string) (listmonk.Record, error) {
	id, err := strconv.ParseInt(issueKey, 10, 64)
	if err != nil {
		return listmonk.Record{}, err
	}
	c, _, err := l.Store.Campaign(ctx, id)
	if err != nil {
		return listmonk.Record{}, err
	}
	return listmonk.Record{CampaignID: c.CampaignID, Status: c.Status, SendAt: c.SendAt, CreateSentAt: c.CreateSentAt}, nil
}

// Save implements listmonk.Ledger; the outcomes stay as they are.
func (l ListmonkLedger) Save(ctx context.Context, issueKey string, r listmonk.Record) error {
	id, err := strconv.ParseInt(issueKey, 10, 64)
	if err != nil {
		return err
	}
	return l.Store.SetCampaignLedger(ctx, id, store.CampaignLedger{CampaignID: r.CampaignID, Status: r.Status,
		SendAt: r.SendAt, CreateSentAt: r.CreateSentAt})
}

// firstPublication reports whether issue id's first publication was
// promised to listmonk.
func (o ListmonkOutlet) firstPublication(ctx context.Context, id int64) (bool, error) {
	ds, err := o.Store.Deliveries(ctx, id)
	if err != nil {
		return false, err
	}
	for _, d := range ds {
		if d.Outlet == OutletListmonk && d.Kind == KindPublished {
			return true, nil
		}
	}
	return false, nil
}

// outletStates are, for the chats, how issue is doing at the outlets
// that email readers, as known now: each one's latest delivery (a first
// attempt is made before the chat's message, which is queued after it),
// with the campaign's status or the failure's reason.
func outletStates(ctx context.Context, st *store.Store, is store.Issue) []notify.OutletState {
	ds, err := st.Deliveries(ctx, is.ID)
	if err != nil {
		return nil
	}
	latest := map[string]store.Delivery{}
	for _, d := range ds {
		if (d.Outlet == OutletHashnode || d.Outlet == OutletListmonk) && d.Kind != KindTest {
			latest[d.Outlet] = d
		}
	}
	var out []notify.OutletState
	for _, outlet := range []string{OutletHashnode, OutletListmonk} {
		d, ok := latest[outlet]
		if !ok {
			continue
		}
		var state string
		switch d.State {
		case store.DeliveryFailed:
			state = "실패: " + d.LastError
		case store.DeliveryPending, store.DeliverySending:
			state = "보내는 중"
			if d.LastError != "" {
				state = "다시 시도 예정: " + d.LastError
			}
		default:
			state = "완료"
			if outlet == OutletListmonk {
				if c, ok, err := st.Campaign(ctx, is.ID); err == nil && ok {
					state = fmt.Sprintf("캠페인 #%d: %s", c.CampaignID, campaignStatusKorean(c.Status))
				}
			}
		}
		out = append(out, notify.OutletState{Outlet: outlet, State: state})
	}
	return out
}

func campaignStatusKorean(s string) string {
	switch s {
	case listmonk.StatusDraft:
		return "초안(listmonk에서 보내야 합니다)"
	case listmonk.StatusScheduled:
		return "예약됨"
	case listmonk.StatusRunning:
		return "보내는 중"
	case listmonk.StatusFinished:
		return "보냄"
	}
	return s
}
