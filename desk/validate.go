package desk

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/urlnorm"
)

// Limits on what members and editors write, in characters, and on the
// lists they ask for. Every front end checks through the desk, so these
// are the only ones.
const (
	MaxURL          = 4000
	MaxSubmittedBy  = 100
	MaxNote         = 1000
	MaxField        = 5000 // an entry's field, and the opening paragraph
	MaxInstruction  = 500
	MaxSearch       = 200  // a search of the submissions
	MaxToken        = 1000 // a sign-in token, in bytes
	DefaultListSize = 100
	MaxListLimit    = 1000
	MaxBulk         = PageSize // submissions in one bulk action: a page's
	// PageSize is how many submissions the desk's pages and the draft's
	// pending list show at once, whatever the queue holds.
	PageSize = 100
)

// checkText refuses text that is not UTF-8, holds a NUL character, or is
// longer than limit characters. Free text goes into the database, into
// prompts and into published files: none of them wants a NUL.
func checkText(field, v string, limit int) *Error {
	if !utf8.ValidString(v) {
		return errNotUTF8(field)
	}
	if strings.ContainsRune(v, 0) {
		return errNUL(field)
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return errTooLong(field, n, limit)
	}
	return nil
}

// checkSubmission checks a submission and normalises its URL. Refused
// URLs (bad syntax, not http(s), private or loopback literal addresses
// unless fetcher's configuration allows them) are refused here without
// any traffic to them.
func (d *Desk) checkSubmission(req api.SubmissionRequest) (store.NewSubmission, *Error) {
	raw := strings.TrimSpace(req.URL)
	if raw == "" {
		return store.NewSubmission{}, errRequired("url")
	}
	if err := checkText("url", raw, MaxURL); err != nil {
		return store.NewSubmission{}, err
	}
	if err := fetcher.CheckURL(raw, d.opts.Fetcher); err != nil {
		var ue *fetcher.URLError
		if !errors.As(err, &ue) {
			return store.NewSubmission{}, internal(err) // the configuration's, not the URL's
		}
		return store.NewSubmission{}, errURLRefused(ue.Reason(), err)
	}
	u, err := urlnorm.Normalize(raw)
	if err != nil {
		return store.NewSubmission{}, errURLRefused(err.Error(), err)
	}
	by, note := strings.TrimSpace(req.SubmittedBy), strings.TrimSpace(req.Note)
	if err := checkText("submitted_by", by, MaxSubmittedBy); err != nil {
		return store.NewSubmission{}, err
	}
	if err := checkText("note", note, MaxNote); err != nil {
		return store.NewSubmission{}, err
	}
	return store.NewSubmission{URL: u, SubmittedBy: by, Note: note}, nil
}

// checkFilter reads a list's filter: states by name, comma-separated
// ("" for all), and a limit ("" for the default).
func checkFilter(states, limit string) (store.Filter, *Error) {
	f := store.Filter{Limit: DefaultListSize}
	if states != "" {
		for s := range strings.SplitSeq(states, ",") {
			st := store.State(strings.TrimSpace(s))
			if !st.Valid() {
				return store.Filter{}, errUnknownState(string(st))
			}
			f.States = append(f.States, st)
		}
	}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxListLimit {
			return store.Filter{}, errBadLimit(limit)
		}
		f.Limit = n
	}
	return f, nil
}

// checkPage reads a page of a list: the states and limit as checkFilter
// does, and the ids it is below or above ("" for none).
func checkPage(q api.SubmissionQuery) (store.Filter, *Error) {
	f, err := checkFilter(q.State, q.Limit)
	if err != nil {
		return store.Filter{}, err
	}
	for _, c := range []struct {
		field, v string
		to       *int64
	}{{"before", q.Before, &f.Before}, {"after", q.After, &f.After}} {
		if c.v == "" {
			continue
		}
		n, perr := strconv.ParseInt(c.v, 10, 64)
		if perr != nil || n < 1 {
			return store.Filter{}, errBadCursor(c.field, c.v)
		}
		*c.to = n
	}
	f.Search = strings.TrimSpace(q.Search)
	if err := checkText("q", f.Search, MaxSearch); err != nil {
		return store.Filter{}, err
	}
	return f, nil
}

// checkChange checks an editor's change of an entry before anything is
// read: known fields, texts within the limits, a position from 1.
func checkChange(c api.Change) (store.Change, *Error) {
	if len(c.Fields) == 0 && c.Excluded == nil && c.Position == nil {
		return store.Change{}, errNothingToChange()
	}
	out := store.Change{Excluded: c.Excluded, Position: c.Position}
	if len(c.Fields) > 0 {
		out.Fields = map[entry.Field]*string{}
	}
	for name, v := range c.Fields {
		f := entry.Field(name)
		if !f.Valid() {
			return store.Change{}, errUnknownField(name)
		}
		if v != nil {
			if err := checkText(name, *v, MaxField); err != nil {
				return store.Change{}, err
			}
		}
		out.Fields[f] = v
	}
	if c.Position != nil && *c.Position < 1 {
		return store.Change{}, errBadPosition()
	}
	return out, nil
}

// checkEdit reports the rules the changed fields of s break (entry.Check
// as an editor writes: no headings, HTML or links; title, summary and
// introduction not empty). It is the one place the desk asks the rules of
// an entry of edits.
func checkEdit(s store.Summary, changed map[entry.Field]*string) *Error {
	var out []api.Violation
	for _, f := range entry.Fields {
		if _, ok := changed[f]; ok {
			out = append(out, violations(entry.Check(f, s.Get(f), entry.Editor))...)
		}
	}
	if len(out) > 0 {
		return errEdit(out)
	}
	return nil
}

// checkIntro checks the opening paragraph: within the limit, and free of
// the markup the newsletter writes itself, as edits are (entry.Opening).
func checkIntro(text string) *Error {
	if err := checkText("intro", text, MaxField); err != nil {
		return err
	}
	if vs := violations(entry.Check(entry.Opening, text, entry.Editor)); len(vs) > 0 {
		return errEdit(vs)
	}
	return nil
}

// violations are the problems entry.Check found, as the API shows them.
func violations(ps []entry.Problem) []api.Violation {
	out := make([]api.Violation, 0, len(ps))
	for _, p := range ps {
		out = append(out, api.Violation{Field: string(p.Field), Rule: p.Rule, Detail: p.Detail})
	}
	return out
}

// checkInstruction checks an editor's instruction for a regeneration.
func checkInstruction(s string) *Error {
	return checkText("instruction", s, MaxInstruction)
}

// checkBulk checks a bulk action before anything is read: a known action
// and its ids (checkIDs).
func checkBulk(action string, ids []int64) ([]int64, *Error) {
	if !slices.Contains(api.BulkActions, action) {
		return nil, errUnknownBulkAction(action)
	}
	return checkIDs(ids)
}

// checkIDs checks the ids one action is asked for (several submissions,
// several candidates): from one to MaxBulk, each from 1. It returns them
// in the order given, each once.
func checkIDs(ids []int64) ([]int64, *Error) {
	switch {
	case len(ids) == 0:
		return nil, errRequired("ids")
	case len(ids) > MaxBulk:
		return nil, errTooManyForBulk(len(ids))
	}
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if id < 1 {
			return nil, errBadBulkID(id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
