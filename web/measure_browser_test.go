package web

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/godevcommunity/newsletter/internal/browsertest"
	"github.com/godevcommunity/newsletter/publisher"
)

// envMeasure, set to 1, runs TestDeskMeasured.
const envMeasure = "NEWSLETTER_DESK_MEASURE"

// TestDeskMeasured measures the desk in Chromium, through the desk
// mounted in the API server as serve mounts it: the landing page's height
// for 7 and 30 articles at 1280 and 360 px wide, and the round trip and
// the bytes received of two actions (10 each) (excluding an entry on the landing
// page, saving an edit on the article editor), from the click to the
// confirmation shown. It asserts nothing about the figures, which it logs;
// run it with
//
//	NEWSLETTER_DESK_MEASURE=1 go test ./web -run TestDeskMeasured -v
func TestDeskMeasured(t *testing.T) {
	if os.Getenv(envMeasure) != "1" {
		t.Skipf("a measurement, not a test: set %s=1 to run it", envMeasure)
	}
	b := browsertest.New(t)
	fixtures := usableFixtures(t)
	for _, n := range []int{7, 30} {
		h := newHarness(t, nil)
		for i := range n {
			h.addEntry(draftEntry{Article: fixtures[i%len(fixtures)], SubmittedBy: "kim", Note: "이번 주에 읽어 볼 만한 글"})
		}
		tab := b.NewTab()
		for _, width := range []int64{1280, 360} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(h.srv.URL+"/desk/")); err != nil {
				t.Fatal(err)
			}
			height, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("landing page, %d articles, %d px wide: %d px tall", n, width, height)
		}
		if n != 7 {
			continue
		}
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
		const rounds = 10
		var exclude, save []measured
		for i := range rounds {
			id := int64(i%n + 1)
			exclude = append(exclude, measureAction(t, tab, h.srv.URL+"/desk/",
				fmt.Sprintf("#entry-%d form[action$='/exclude'] button", id),
				fmt.Sprintf(`Array.from(document.querySelectorAll("main .flash")).some(f => f.textContent.startsWith("#%d "))`, id)))
			title := fmt.Sprintf("고친 제목 %d", i)
			save = append(save, measureAction(t, tab, h.srv.URL+fmt.Sprintf("/desk/entries/%d", id),
				"button[name=action][value=save]",
				`Array.from(document.querySelectorAll("main .flash")).some(f => f.textContent.includes("제목을 저장했습니다"))`,
				chromedp.SetValue(chromedp.ID("f-title"), title)))
		}
		t.Logf("exclude an entry (7 articles): %s", summary(exclude))
		t.Logf("save an edit (title): %s", summary(save))
	}
}

// usableFixtures are the publisher's fixture articles with a link the
// desk shows as a link (the same unusable link twice is a duplicate).
func usableFixtures(t testing.TB) []publisher.Article {
	var out []publisher.Article
	for _, a := range publisherFixtures(t) {
		if webURL(a.Link) != "" {
			out = append(out, a)
		}
	}
	return out
}

// measured is one action: from the click to its confirmation shown, and
// the bytes the browser received meanwhile (encoded, as on the wire).
type measured struct {
	took  time.Duration
	bytes int64
}

func summary(ms []measured) string {
	var took time.Duration
	var bytes int64
	low, high := ms[0].took, ms[0].took
	for _, m := range ms {
		took += m.took
		bytes += m.bytes
		low, high = min(low, m.took), max(high, m.took)
	}
	n := len(ms)
	return fmt.Sprintf("%d runs, mean %.0f ms (%.0f–%.0f), %d bytes received each on average",
		n, float64(took.Microseconds())/float64(n)/1000, float64(low.Microseconds())/1000, float64(high.Microseconds())/1000, bytes/int64(n))
}

// measureAction opens page, runs prepare, clicks sel and waits until done
// (a script expression) is true, whether the page reloads or changes in
// place.
func measureAction(t *testing.T, tab context.Context, page, sel, done string, prepare ...chromedp.Action[chromedp.Void]) measured {
	t.Helper()
	if err := chromedp.Do(tab, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(page)}, prepare...)...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bytes int64
	lctx, stop := context.WithCancel(tab)
	defer stop()
	if err := chromedp.Listen(lctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			mu.Lock()
			bytes += int64(e.EncodedDataLength)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState !== "loading" && (`+done+`)`))
		if err == nil && ok {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%s on %s: not done after 10 s (%v)", sel, page, err)
		}
		time.Sleep(2 * time.Millisecond) // a page loading answers nothing
	}
	took := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	return measured{took: took, bytes: bytes}
}
