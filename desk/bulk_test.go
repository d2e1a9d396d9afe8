package desk

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/godevcommunity/newsletter/api"
)

// A bulk action is each submission's own use case in turn: refusals are
// reported per submission with their reasons, and do not stop the rest;
// wrong input is refused before anything changes.
func TestBulk(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		action string
		ids    func(entries [2]int64, failed int64) []int64
		want   refusal
		// outcome is "ok" or the code of the refusal, per id asked.
		outcome []string
	}{
		{"exclude two entries", api.BulkExclude, func(e [2]int64, _ int64) []int64 { return []int64{e[0], e[1]} }, refusal{}, []string{"ok", "ok"}},
		{"exclude a failed one too", api.BulkExclude, func(e [2]int64, f int64) []int64 { return []int64{e[0], f, 99} }, refusal{},
			[]string{"ok", "conflict", "not_found"}},
		{"retry", api.BulkRetry, func(e [2]int64, f int64) []int64 { return []int64{f, e[0]} }, refusal{}, []string{"ok", "retry_refused"}},
		{"delete, an id twice", api.BulkDelete, func(e [2]int64, f int64) []int64 { return []int64{f, f} }, refusal{}, []string{"ok"}},
		{"an unknown action", "publish", func(e [2]int64, _ int64) []int64 { return e[:] },
			refusal{Invalid, "unknown_action", `unknown bulk action "publish"`, "알 수 없는 일괄 작업입니다", "action", ""}, nil},
		{"no ids", api.BulkExclude, func([2]int64, int64) []int64 { return nil },
			refusal{Invalid, "required", `field "ids" is required`, "고른 글을 입력하세요", "ids", ""}, nil},
		{"id 0", api.BulkExclude, func(e [2]int64, _ int64) []int64 { return []int64{e[0], 0} },
			refusal{Invalid, "bad_id", "ids: 0 is not an id", "번호는 1 이상", "ids", ""}, nil},
		{"too many", api.BulkRetry, func([2]int64, int64) []int64 {
			ids := make([]int64, MaxBulk+1)
			for i := range ids {
				ids[i] = int64(i + 1)
			}
			return ids
		}, refusal{Invalid, "too_many", "ids: 101 chosen; one action takes at most 100", "한 번에 100개까지", "ids", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			entries := [2]int64{h.addEntry("A"), h.addEntry("B")}
			failed := h.failed("https://go.dev/failed")
			out, err := h.desk.Bulk(ctx, tt.action, tt.ids(entries, failed), "kim")
			tt.want.check(t, err)
			var got []string
			for _, o := range out {
				if o.Err == nil {
					got = append(got, "ok")
				} else {
					got = append(got, o.Err.Code)
					if o.Err.Korean == "" || o.Err.Message == "" {
						t.Errorf("#%d refused without a reason: %+v", o.ID, o.Err)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.outcome) {
				t.Errorf("outcomes %v, want %v", got, tt.outcome)
			}
			if tt.want.code != "" {
				if e, _ := h.desk.Entry(ctx, entries[0]); e.Excluded {
					t.Error("a refused bulk action changed an entry")
				}
			}
			if tt.action == api.BulkExclude && tt.want.code == "" {
				if e, _ := h.desk.Entry(ctx, entries[0]); !e.Excluded {
					t.Error("the first entry is not excluded")
				}
			}
			r := BulkResult(tt.action, out)
			if r.Done+r.Refused != len(out) || len(r.Items) != len(out) {
				t.Errorf("result %+v for %d outcomes", r, len(out))
			}
		})
	}
}

// TestCheckIDs: the ids of one action (several submissions, several
// candidates) are checked by one rule: from one to MaxBulk, each from 1,
// each once in the order given.
func TestCheckIDs(t *testing.T) {
	many := make([]int64, MaxBulk+1)
	for i := range many {
		many[i] = 1 // a repeated id still counts against the bound
	}
	tests := []struct {
		name     string
		ids      []int64
		want     []int64
		wantCode string
	}{
		{"none", nil, nil, "required"},
		{"zero", []int64{3, 0}, nil, "bad_id"},
		{"repeated, in order", []int64{3, 1, 3, 2, 1}, []int64{3, 1, 2}, ""},
		{"over the bound", many, nil, "too_many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkIDs(tt.ids)
			switch {
			case tt.wantCode != "" && (err == nil || err.Code != tt.wantCode):
				t.Fatalf("checkIDs = %v, %v; want code %s", got, err, tt.wantCode)
			case tt.wantCode == "" && err != nil:
				t.Fatalf("checkIDs: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("checkIDs = %v, want %v", got, tt.want)
			}
		})
	}
}
