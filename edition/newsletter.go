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
const KindTest = "test"

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

// TestSend sends issue id, as publishing it now would, to every outlet
// that takes a test (listmonk's campaign test to the editors' addresses,
// publisher.test_recipients; Hashnode's draft, whose link it returns),
// through the outbox, and waits for the outcome. Nothing reaches the
// readers: the campaign stays unsent and the draft unpublished, and the
// real send later uses the same campaign and draft.
func (r *Runner) TestSend(ctx context.Context, id int64) ([]TestResult, error) {
	if r.env.Outbox == nil || (r.env.Hashnode == nil && (r.env.Listmonk == nil || len(r.pub.TestRecipients) == 0)) {
		return nil, ErrNoTestOutlet
	}
	is, err := r.env.Store.Issue(ctx, id)
	if err != nil {
		return nil, err
	}
	content := is.Content
	if !is.Published() {
		entries, err := r.env.Store.IssueEntries(ctx, id)
		if err != nil {
			return nil, err
		}
		content = r.Preview(store.Snapshot{Issue: is, Entries: entries})
	}
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
		if err := r.env.Store.Enqueue(ctx, store.NewDelivery{IssueID: id, Outlet: outlet, Kind: KindTest, Payload: payload,
			DedupeKey: outletKey(id, outlet) + ":" + KindTest}); err != nil {
			return nil, err
		}
		last, err := r.lastTest(ctx, id, outlet)
		if err != nil {
			return nil, err
		}
		d, err := r.env.Outbox.Send(ctx, last.ID)
		if errors.Is(err, store.ErrConflict) {
			// The worker sent it first: say how that went.
			d, err = r.lastTest(ctx, id, outlet)
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

func (r *Runner) lastTest(ctx context.Context, id int64, outlet string) (store.Delivery, error) {
	ds, err := r.env.Store.Deliveries(ctx, id)
	if err != nil {
		return store.Delivery{}, err
	}
	var last store.Delivery
	for _, d := range ds {
		if d.Outlet == outlet && d.Kind == KindTest {
			last = d
		}
	}
	return last, nil
}

// test makes or updates the issue's draft on Hashnode, for a test send.
func (o HashnodeOutlet) test(ctx context.Context, d store.Delivery) error {
	var p testPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return retry.Never(fmt.Errorf("hashnode: test delivery %d: %w", d.ID, err))
	}
	post := hashnode.Post{Title: p.Title, Slug: p.Slug, Tags: hashnode.ParseTags(o.Pub.Tags), ContentMarkdown: p.Markdown, PublishedAt: p.Date}
	res, err := o.Client.Draft(ctx, strconv.FormatInt(d.IssueID, 10), post)
	if err == nil && o.Log != nil {
		o.Log.Info("issue's Hashnode draft ready for a look", zap.Int64("issue_id", d.IssueID), zap.String("url", res.URL))
	}
	return err
}

// ListmonkOutlet sends a published issue as its listmonk campaign, or
// updates the campaign after a correction while it is unsent, and records
// the outcome (store.Campaign). The campaign is found by its name before
// one is made, so a lost answer or a stop never makes a second; a
// campaign already sent is left as it is, and the record says so.
type ListmonkOutlet struct {
	Store  *store.Store
	Client Listmonk
	Log    *zap.Logger
}

// Deliver implements outbox.Outlet.
func (o ListmonkOutlet) Deliver(ctx context.Context, d store.Delivery) error {
	rec, _, err := o.Store.Campaign(ctx, d.IssueID)
	if err != nil {
		return err
	}
	rec.IssueID = d.IssueID
	var res listmonk.Result
	if d.Kind == KindTest {
		var p testPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return retry.Never(fmt.Errorf("listmonk: test delivery %d: %w", d.ID, err))
		}
		res, err = o.Client.Test(ctx, strconv.FormatInt(d.IssueID, 10), listmonk.Issue{Slug: p.Slug, Title: p.Title, Markdown: p.Markdown, SendAt: p.Date}, p.To)
		if err == nil {
			// When the outbox claimed it, on the store's clock.
			rec.TestedAt, rec.TestedTo = d.UpdatedAt, strings.Join(p.To, ", ")
		}
	} else {
		is, ierr := o.Store.Issue(ctx, d.IssueID)
		if ierr != nil {
			return fmt.Errorf("listmonk: issue %d: %w", d.IssueID, ierr)
		}
		if is.State != store.IssuePublished {
			return retry.Never(fmt.Errorf("listmonk: issue %d is %s, not published", is.ID, is.State))
		}
		if d.Kind == KindCorrected {
			first, ferr := o.firstPublication(ctx, d.IssueID)
			if ferr != nil {
				return ferr
			}
			if !first {
				// Published before listmonk was configured: a correction
				// emails no one an old issue (an editor's retry does).
				rec.Note = "the issue was published before listmonk was configured: a correction makes no campaign; send it with publish --listmonk"
				return o.Store.SetCampaign(context.WithoutCancel(ctx), rec)
			}
		}
		res, err = o.Client.Publish(ctx, strconv.FormatInt(d.IssueID, 10), listmonk.Issue{Slug: is.Slug, Title: is.Title,
			Markdown: string(publisher.Body(is.Content)), SendAt: is.Date})
		rec.Note = ""
		if err == nil && res.Action == listmonk.ActionAlreadySent && d.Kind == KindCorrected {
			rec.Note = fmt.Sprintf("campaign %d was already %s: the correction changed nothing in it, and nobody was emailed again",
				res.CampaignID, res.Status)
		}
	}
	if ctx.Err() != nil && err != nil {
		return err // stopped: the next start looks the campaign up by name
	}
	if res.CampaignID != 0 {
		rec.CampaignID, rec.Status, rec.SendAt = res.CampaignID, res.Status, res.SendAt
	}
	rec.Error = ""
	if err != nil {
		rec.Error = err.Error()
	}
	if serr := o.Store.SetCampaign(context.WithoutCancel(ctx), rec); serr != nil {
		return errors.Join(err, serr)
	}
	if err == nil && o.Log != nil {
		o.Log.Info("issue's listmonk campaign", zap.Int64("issue_id", d.IssueID), zap.String("kind", d.Kind),
			zap.Int("campaign_id", res.CampaignID), zap.String("status", res.Status), zap.String("action", string(res.Action)))
	}
	return err
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
