package main

// The kill test: the real binary, `newsletter serve`, is killed with
// SIGKILL at random points of runs, publications and outlet deliveries,
// against loopback fakes of Hashnode and a Discord webhook that lose
// answers and answer slowly; after a restart every issue's deliveries are
// done exactly once. And a SIGTERM during a slow outlet request exits 0
// within 10 s, the delivery done once after the next start.
//
// The binary is this test binary run again: TestMain runs main() instead
// of the tests when reexecEnv is set. It is the very code under test, built
// once by `go test` with the test's flags (-race included), with no go
// toolchain or module download needed at test time, as `go build` in a
// test would.

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// reexecEnv makes the test binary run the command line instead of the
// tests. Its name is outside NEWSLETTER_*, the configuration's variables.
const reexecEnv = "GO_WANT_NEWSLETTER_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(reexecEnv) == "1" {
		main() // exits
		return
	}
	os.Exit(m.Run())
}

// Environment variables of the kill test (read by the test, never by the
// service it starts).
const (
	killCountEnv = "NEWSLETTER_KILL_TEST" // how many kills; 0 skips the test
	killSeedEnv  = "NEWSLETTER_KILL_SEED" // the seed to replay
)

// defaultKills is the test's kills unless NEWSLETTER_KILL_TEST says; -short
// makes a few.
const (
	defaultKills = 30
	shortKills   = 3
)

// The Hashnode client's times in the kill test: a request times out after
// hashnodeTimeout, and a create whose answer was lost is looked up after
// that and hashnodeWindow; the fake caches queries for less.
const (
	hashnodeTimeout = 1500 * time.Millisecond
	hashnodeWindow  = 400 * time.Millisecond
	hashnodeCache   = 250 * time.Millisecond
)

// TestKill: kill -9 of `newsletter serve` at random points, at least
// defaultKills times; after each restart the issue is published with one
// Hashnode post and one "published" message, no delivery left pending,
// sending or failed, and the database whole. A second "published" message
// is allowed only where the webhook cannot be asked: the first one was in
// flight when the process died, or answered in the instant before its
// record (the log of the killed process shows no record of it). The seed
// is logged; NEWSLETTER_KILL_SEED replays the choices (the timing of the
// kills is the machine's).
func TestKill(t *testing.T) {
	kills := defaultKills
	if testing.Short() {
		kills = shortKills
	}
	if s := os.Getenv(killCountEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("%s=%q: want a number of kills", killCountEnv, s)
		}
		kills = n
	}
	if kills == 0 {
		t.Skipf("%s=0", killCountEnv)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(killSeedEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want a number", killSeedEnv, s)
		}
		seed = n
	}
	t.Logf("seed %d (replay the choices with %s=%d)", seed, killSeedEnv, seed)
	// The plan: each iteration kills once, or twice (again while the
	// deliveries resume after the restart), until there are enough kills.
	type plan struct {
		rng   *rand.Rand
		twice bool
	}
	var plans []plan
	for n := 0; n < kills; {
		rng := rand.New(rand.NewPCG(seed, uint64(len(plans))))
		p := plan{rng: rng, twice: rng.IntN(2) == 0}
		plans = append(plans, p)
		n++
		if p.twice {
			n++
		}
	}
	rig := newKillRig(t)
	var tally killTally
	start := time.Now()
	t.Run("iterations", func(t *testing.T) {
		for i, p := range plans {
			t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
				t.Parallel() // they wait more than they work: two at a time by default (-parallel)
				rig.iteration(t, p.rng, p.twice, &tally)
			})
		}
	})
	if t.Failed() {
		t.Fatalf("seed %d", seed)
	}
	t.Logf("%d kills in %d iterations in %s", tally.kills, tally.iterations, time.Since(start).Round(time.Millisecond))
	tally.report(t)
}

// killRig holds what the iterations share: Gemini and the article site.
type killRig struct {
	gemini *geminitest.Server
	site   *articleSite
}

func newKillRig(t *testing.T) *killRig {
	return &killRig{gemini: geminitest.NewServer(t), site: newArticleSite(t)}
}

// killTally counts what the kills met, over the iterations.
type killTally struct {
	mu         sync.Mutex
	kills      int
	iterations int
	landed     map[string]int // where the kills landed
	posts      int            // Hashnode posts (or drafts) at the end, over the iterations
	published  int            // "published" messages received
	inFlight   int            // repeated messages: the first was in flight at the kill
	unrecorded int            // repeated messages: the first answered, not recorded at the kill
	draftReady map[int]int    // "draft ready" messages per iteration that ran a run
	faults     map[string]int
	took       []time.Duration // each iteration
}

func (k *killTally) land(where string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.landed == nil {
		k.landed = map[string]int{}
	}
	k.landed[where]++
	k.kills++
}

func (k *killTally) fault(name string) {
	if k.faults == nil {
		k.faults = map[string]int{}
	}
	k.faults[name]++
}

func (k *killTally) report(t *testing.T) {
	t.Helper()
	var lines []string
	for w, n := range k.landed {
		lines = append(lines, fmt.Sprintf("  %3d  %s", n, w))
	}
	sort.Strings(lines)
	t.Logf("where the kills landed:\n%s", strings.Join(lines, "\n"))
	var faults []string
	for f, n := range k.faults {
		faults = append(faults, fmt.Sprintf("%s ×%d", f, n))
	}
	sort.Strings(faults)
	t.Logf("faults scripted: %s", strings.Join(faults, ", "))
	t.Logf("Hashnode posts: %d for %d issues; \"published\" messages: %d, of which repeated: %d in flight at the kill, %d answered but not recorded",
		k.posts, k.iterations, k.published, k.inFlight, k.unrecorded)
	t.Logf("\"draft ready\" messages of the iterations killed during a run (messages: iterations): %v", k.draftReady)
	if len(k.took) > 0 {
		s := slices.Clone(k.took)
		slices.Sort(s)
		t.Logf("iteration time: median %s, max %s", s[len(s)/2].Round(time.Millisecond), s[len(s)-1].Round(time.Millisecond))
	}
}

// killWorld is one iteration: its data, its fakes and its child process.
type killWorld struct {
	t        *testing.T
	rig      *killRig
	dir      string
	cfg      config.Config
	cfgPath  string
	hashnode *hashnodetest.Server
	chat     *chatFake
	child    *child
	starts   int
	kills    []killed
}

// killed is one kill: when, and the log of the process it ended.
type killed struct {
	at  time.Time
	log string
}

func (r *killRig) world(t *testing.T, mode string, chatDelay func() time.Duration) *killWorld {
	t.Helper()
	w := &killWorld{t: t, rig: r, dir: t.TempDir(), hashnode: hashnodetest.New(t, nil), chat: newChatFake(t, chatDelay)}
	w.hashnode.SetCacheTTL(hashnodeCache)
	cfg := daemonTestConfig(w.dir, r.gemini.URL)
	cfg.Log = config.Log{Level: "info", Format: "json"}
	cfg.Worker.PollInterval = 500 * time.Millisecond
	cfg.Schedule.Mode = config.ModeReview
	cfg.Schedule.PublishAfter = 0
	cfg.Schedule.CatchUp = false
	cfg.Publisher.RetryBackoff = 200 * time.Millisecond
	cfg.Publisher.MaxAttempts = 20
	cfg.Publisher.Hashnode = config.Hashnode{Endpoint: w.hashnode.URL, PublicationID: hashnodetest.PublicationID,
		Token: hashnodetest.Token, Mode: mode, Timeout: hashnodeTimeout, CacheWindow: hashnodeWindow}
	cfg.Notify.Webhooks = []string{"discord:" + w.chat.URL + "/api/webhooks/1/secret-token"}
	cfg.Server.PublicArchive = true
	cfg.Server.PublicURL = "https://newsletter.example"
	w.configure(cfg)
	return w
}

// configure writes cfg as the configuration file of the next start.
func (w *killWorld) configure(cfg config.Config) {
	w.t.Helper()
	w.cfg = cfg
	b, err := yaml.Marshal(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	w.cfgPath = filepath.Join(w.dir, "newsletter.yaml")
	if err := os.WriteFile(w.cfgPath, b, 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// child is one `newsletter serve` process.
type child struct {
	cmd    *exec.Cmd
	base   string
	log    string
	exited chan struct{}
	err    error // how it exited, once exited is closed
}

// start starts serve and waits until it is ready. Its port is one the
// kernel had free a moment before: if something took it meanwhile, serve
// is started again on another.
func (w *killWorld) start() *child {
	w.t.Helper()
	for try := 1; ; try++ {
		c := w.launch()
		err := w.ready(c)
		if err == nil {
			return c
		}
		if try == 5 || !strings.Contains(tail(c.log), "address already in use") {
			w.t.Fatalf("%v\n%s", err, tail(c.log))
		}
	}
}

// launch starts serve on a free loopback port.
func (w *killWorld) launch() *child {
	t := w.t
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	quiet.Close(ln) // serve binds it again
	w.starts++
	logPath := filepath.Join(w.dir, fmt.Sprintf("serve-%d.log", w.starts))
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "serve", "--config", w.cfgPath)
	cmd.Env = append(childEnviron(), reexecEnv+"=1",
		"NEWSLETTER_SERVER_LISTEN="+addr, "NEWSLETTER_SERVER_URL=http://"+addr)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		quiet.Close(f)
		t.Fatal(err)
	}
	c := &child{cmd: cmd, base: "http://" + addr, log: logPath, exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		quiet.Close(f) // the log, written by the child
		close(c.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			_ = cmd.Process.Kill()
			<-c.exited
		}
	})
	w.child = c
	return c
}

// ready waits until c answers /readyz, or says why it will not.
func (w *killWorld) ready(c *child) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := w.try("GET", "/readyz", nil); code == http.StatusOK {
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("serve exited before it was ready: %v", c.err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("serve not ready within 30s")
		}
	}
}

// childEnviron is the test's environment without any variable the
// service reads as configuration.
func childEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, config.EnvPrefix), k == reexecEnv,
			k == "GEMINI_API_KEY", k == "GOOGLE_API_KEY", k == "GOOGLE_GEMINI_BASE_URL", k == "GITHUB_TOKEN", k == "HASHNODE_PAT":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// kill sends SIGKILL and waits until the process is gone; the time is
// taken before the signal.
func (w *killWorld) kill() time.Time {
	w.t.Helper()
	c := w.child
	at := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		w.t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		w.t.Fatal("a killed process did not exit within 10s")
	}
	w.kills = append(w.kills, killed{at: at, log: c.log})
	return at
}

// term sends SIGTERM and returns the exit status and how long it took;
// the bound turns a hang into a failure.
func (w *killWorld) term(bound time.Duration) (int, time.Duration) {
	w.t.Helper()
	c := w.child
	at := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		w.t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(bound):
		_ = c.cmd.Process.Kill()
		<-c.exited
		w.t.Fatalf("serve did not exit within %s of SIGTERM\n%s", bound, tail(c.log))
	}
	took := time.Since(at)
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(c.err, &ee):
		code = ee.ExitCode()
	case c.err != nil:
		w.t.Fatal(c.err)
	}
	return code, took
}

var killClient = &http.Client{Timeout: 15 * time.Second}

// try calls the running child; a failed connection is status 0.
func (w *killWorld) try(method, path string, body any) (int, []byte) {
	return w.tryAt(w.child.base, method, path, body)
}

// tryAt is try at base, for a call made in the background.
func (w *killWorld) tryAt(base, method, path string, body any) (int, []byte) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return 0, []byte(err.Error())
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := killClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// do is try for a call that must be answered.
func (w *killWorld) do(method, path string, body any, want int) []byte {
	w.t.Helper()
	code, b := w.try(method, path, body)
	if code != want {
		w.t.Fatalf("%s %s = %d %s, want %d\n%s", method, path, code, b, want, tail(w.child.log))
	}
	return b
}

// await polls cond, bounded: the other process is observed through its API.
func (w *killWorld) await(what string, bound time.Duration, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("gave up waiting %s for %s\n%s", bound, what, tail(w.child.log))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// submit submits the two articles of an issue.
func (w *killWorld) submit() {
	w.t.Helper()
	for _, p := range []string{"/posts/generics", "/posts/zap"} {
		w.do("POST", "/api/v1/submissions", api.SubmissionRequest{URL: w.rig.site.URL + p}, http.StatusCreated)
	}
}

// upcomingEntries counts the entries of the upcoming issue.
func (w *killWorld) upcomingEntries() int {
	code, b := w.try("GET", "/api/v1/issues/draft", nil)
	if code != http.StatusOK {
		return -1
	}
	var is api.Issue
	if json.Unmarshal(b, &is) != nil {
		return -1
	}
	return len(is.Entries)
}

// issue reads issue 1, the iteration's; ok is false while there is none.
func (w *killWorld) issue() (api.Issue, bool) {
	code, b := w.try("GET", "/api/v1/issues/1", nil)
	var is api.Issue
	if code != http.StatusOK || json.Unmarshal(b, &is) != nil {
		return api.Issue{}, false
	}
	return is, true
}

// settledIssue reads issue 1 again once it is settled: the view reads the
// issue's row before its deliveries, so the read that saw them settled
// may hold the Hashnode record as it was just before.
func (w *killWorld) settledIssue() api.Issue {
	w.t.Helper()
	is, ok := w.issue()
	if !ok || !settled(is) {
		w.t.Fatalf("issue 1 is no longer settled: %+v", is)
	}
	return is
}

// settled reports whether the issue is published and each of its
// deliveries done or failed.
func settled(is api.Issue) bool {
	if is.State != "published" || len(is.Deliveries) == 0 {
		return false
	}
	for _, d := range is.Deliveries {
		if d.State != "done" && d.State != "failed" {
			return false
		}
	}
	return true
}

// publish approves the upcoming issue, as an editor does, in the
// background: the kill may cut the request short.
func (w *killWorld) publish() <-chan int {
	answered := make(chan int, 1)
	base := w.child.base
	go func() {
		code, _ := w.tryAt(base, "POST", "/api/v1/issues/draft/publish", nil)
		answered <- code
	}()
	return answered
}

// iteration is one issue's life with one or two kills in it.
func (r *killRig) iteration(t *testing.T, rng *rand.Rand, twice bool, tally *killTally) {
	began := time.Now()
	mode := config.HashnodePublish
	if rng.IntN(10) < 3 {
		mode = config.HashnodeDraft
	}
	chatDelay := func() time.Duration { return 0 }
	var chatMu sync.Mutex
	slowChat := rng.IntN(3) > 0
	if slowChat {
		seed := rng.Uint64()
		chatRng := rand.New(rand.NewPCG(seed, 1))
		chatDelay = func() time.Duration {
			chatMu.Lock()
			defer chatMu.Unlock()
			return time.Duration(chatRng.IntN(800)) * time.Millisecond
		}
	}
	w := r.world(t, mode, chatDelay)
	t.Cleanup(func() {
		if t.Failed() {
			w.dumpLogs()
		}
	})
	create := map[string]string{config.HashnodePublish: "publishPost", config.HashnodeDraft: "createDraft"}[mode]
	var faults []string
	switch rng.IntN(6) {
	case 0:
		w.hashnode.FailNext(create, hashnodetest.LostAnswer())
		faults = append(faults, create+" lost answer")
	case 1:
		d := time.Duration(100+rng.IntN(1000)) * time.Millisecond
		w.hashnode.FailNext(create, hashnodetest.Slow(d))
		faults = append(faults, create+" slow answer")
	case 2:
		w.hashnode.FailNext(create, hashnodetest.Slow(hashnodeTimeout+500*time.Millisecond))
		faults = append(faults, create+" answer after the timeout")
	case 3:
		w.hashnode.FailNext(create, hashnodetest.Unavailable(http.StatusServiceUnavailable))
		faults = append(faults, create+" 503")
	}
	if rng.IntN(2) == 0 {
		w.hashnode.FailNext("publication", hashnodetest.Slow(time.Duration(rng.IntN(800))*time.Millisecond))
		faults = append(faults, "lookup slow answer")
	}
	if slowChat {
		faults = append(faults, "chat slow answers")
	}
	tally.mu.Lock()
	for _, f := range faults {
		tally.fault(f)
	}
	tally.mu.Unlock()
	duringRun := rng.IntN(4) == 0
	t.Logf("mode %s, faults %v, kill during a run: %v", mode, faults, duringRun)

	w.start()
	w.submit()
	if duringRun {
		w.do("POST", "/api/v1/runs", nil, http.StatusAccepted)
		time.Sleep(time.Duration(rng.IntN(800)) * time.Millisecond)
		w.kill()
		tally.land("run: " + w.landed())
		w.start()
	}
	w.await("the two summaries", 30*time.Second, func() bool { return w.upcomingEntries() == 2 })
	if duringRun {
		if code := <-w.publish(); code != http.StatusOK {
			t.Fatalf("publish after the run = %d\n%s", code, tail(w.child.log))
		}
	} else {
		w.publish()
		time.Sleep(killDelay(rng))
		w.kill()
		tally.land("publish: " + w.landed())
		w.start()
	}
	if twice { // again while the deliveries resume
		time.Sleep(time.Duration(rng.IntN(2000)) * time.Millisecond)
		w.kill()
		tally.land("after a restart: " + w.landed())
		w.start()
	}

	// The editor approves again if the kill came before the publication
	// was recorded; then the deliveries settle.
	var is api.Issue
	approved := false
	w.await("the issue published and its deliveries settled", 45*time.Second, func() bool {
		var ok bool
		is, ok = w.issue()
		if !approved && (!ok || is.State == "review") {
			approved = true
			if code := <-w.publish(); code != http.StatusOK {
				t.Logf("publishing again = %d", code)
				approved = false
			}
			return false
		}
		return ok && settled(is)
	})
	is = w.settledIssue()
	w.check(is, tally, duringRun)
	code, took := w.term(15 * time.Second)
	if code != 0 {
		t.Errorf("serve exited %d after SIGTERM, want 0\n%s", code, tail(w.child.log))
	}
	if took > 10*time.Second {
		t.Errorf("serve took %s to stop", took)
	}
	w.integrity()
	tally.mu.Lock()
	tally.iterations++
	tally.took = append(tally.took, time.Since(began))
	tally.mu.Unlock()
}

// killDelay is when a kill comes after the approval is sent: often within
// the file write, else spread over the deliveries and past them.
func killDelay(rng *rand.Rand) time.Duration {
	if rng.IntN(3) == 0 {
		return time.Duration(rng.IntN(150)) * time.Millisecond
	}
	return time.Duration(rng.IntN(2000)) * time.Millisecond
}

// landed says where a kill landed, read from the database and the issue
// directory the dead process left.
func (w *killWorld) landed() string {
	w.t.Helper()
	db, err := sql.Open("sqlite", w.cfg.Store.Path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer quiet.Close(db)
	var state string
	err = db.QueryRow(`SELECT state FROM issues WHERE id = 1`).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "no issue yet"
	case err != nil:
		w.t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(w.cfg.Publisher.Dir, "*.md"))
	switch state {
	case "review":
		return "issue in review"
	case "publishing":
		if len(files) > 0 {
			return "publishing: file written, not recorded"
		}
		return "publishing: before the file"
	}
	rows, err := db.Query(`SELECT outlet, kind, state, attempts FROM deliveries WHERE issue_id = 1 ORDER BY id`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer quiet.Close(rows)
	var parts []string
	for rows.Next() {
		var outlet, kind, st string
		var attempts int
		if err := rows.Scan(&outlet, &kind, &st, &attempts); err != nil {
			w.t.Fatal(err)
		}
		if st == "pending" && attempts > 0 {
			st = "retry"
		}
		if outlet == "hashnode" && st != "done" && len(w.hashnode.Posts())+len(w.hashnode.Drafts()) > 0 {
			st += " (made, not recorded)"
		}
		if outlet != "hashnode" {
			outlet += " " + kind
		}
		parts = append(parts, outlet+" "+st)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	return "published, " + strings.Join(parts, ", ")
}

// check asserts the end of an iteration: one post, the "published"
// message once (or twice within the webhook's window), every delivery
// done, one file.
func (w *killWorld) check(is api.Issue, tally *killTally, ranRun bool) {
	t := w.t
	t.Helper()
	for _, d := range is.Deliveries {
		if d.State != "done" {
			t.Errorf("delivery %d to %s (%s) is %s after %d attempts: %s", d.ID, d.Outlet, d.Kind, d.State, d.Attempts, d.LastError)
		}
	}
	if is.Hashnode == nil || is.Hashnode.Pending || is.Hashnode.PostID == "" && is.Hashnode.DraftID == "" {
		t.Errorf("the issue's Hashnode record = %+v, want a post or draft and nothing pending", is.Hashnode)
	}
	posts, drafts := w.hashnode.Posts(), w.hashnode.Drafts()
	made := 0
	for _, p := range posts {
		if p.Slug == is.Slug {
			made++
		}
	}
	for _, d := range drafts {
		if d.Slug == is.Slug {
			made++
		}
	}
	if made != 1 || len(posts)+len(drafts) != 1 {
		t.Errorf("Hashnode holds %d posts and %d drafts, %d of issue %s; want exactly one", len(posts), len(drafts), made, is.Slug)
	}
	files, _ := filepath.Glob(filepath.Join(w.cfg.Publisher.Dir, "*"))
	if len(files) != 1 {
		t.Errorf("the issue directory holds %v, want the one issue", files)
	}

	msgs := w.chat.all()
	var published, ready []chatMessage
	for _, m := range msgs {
		switch {
		case strings.Contains(m.text, "뉴스레터가 발행되었습니다"):
			published = append(published, m)
		case strings.Contains(m.text, "/desk/"):
			ready = append(ready, m)
		}
	}
	if len(published) == 0 {
		t.Errorf("no \"published\" message; the webhook received:\n%v", msgs)
		return
	}
	if !strings.Contains(published[0].text, "/issues/"+is.Slug) {
		t.Errorf("the \"published\" message lacks the archive link: %s", published[0].text)
	}
	inFlight, unrecorded := w.repeats("published", published)
	// A run that froze the issue for review queued its "draft ready"
	// message with the freeze: it is sent once too. An approval of the
	// open draft publishes at once, and tells no chat of a draft.
	frozenByRun := slices.ContainsFunc(is.Deliveries, func(d api.Delivery) bool { return d.Kind == "draft_ready" })
	switch {
	case frozenByRun && len(ready) == 0:
		t.Errorf("the run froze the issue and no \"draft ready\" message came")
	case !frozenByRun && len(ready) > 0:
		t.Errorf("%d \"draft ready\" messages of an issue no run froze", len(ready))
	}
	w.repeats("draft_ready", ready)
	tally.mu.Lock()
	defer tally.mu.Unlock()
	tally.posts += made
	tally.published += len(published)
	tally.inFlight += inFlight
	tally.unrecorded += unrecorded
	if ranRun {
		if tally.draftReady == nil {
			tally.draftReady = map[int]int{}
		}
		tally.draftReady[len(ready)]++
	}
}

// repeats fails the test for each message of kind sent again that no kill
// explains, and counts those that one does.
func (w *killWorld) repeats(kind string, sent []chatMessage) (inFlight, unrecorded int) {
	w.t.Helper()
	for i := 1; i < len(sent); i++ {
		switch w.repeatAllowed(sent[i-1], kind) {
		case "in flight":
			inFlight++
		case "not recorded":
			unrecorded++
		default:
			w.t.Errorf("the %q message was sent %d times; the first was answered at %s, kills at %v",
				kind, len(sent), sent[i-1].answered.Format(time.RFC3339Nano), w.kills)
		}
	}
	return inFlight, unrecorded
}

// repeatAllowed says why message m may have been sent again: "in flight"
// when a kill came after the webhook received it and before its answer
// was written; "not recorded" when a kill came after the answer and the
// killed process's log shows no record of the delivery (the instant
// between a 2xx and its record); "" when no kill explains it.
func (w *killWorld) repeatAllowed(m chatMessage, kind string) string {
	for _, k := range w.kills {
		if k.at.Before(m.received) {
			continue
		}
		if m.answered.IsZero() || !m.answered.Before(k.at) {
			return "in flight"
		}
		if !loggedDelivered(k.log, "chat:0", kind) {
			return "not recorded"
		}
	}
	return ""
}

// loggedDelivered reports whether the log at path records a delivery to
// outlet of kind as done: the outbox logs it once its outcome is stored.
func loggedDelivered(path, outlet, kind string) bool {
	b, _ := os.ReadFile(path)
	for _, line := range strings.Split(string(b), "\n") {
		var l struct {
			Msg    string `json:"msg"`
			Outlet string `json:"outlet"`
			Kind   string `json:"kind"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "delivered" && l.Outlet == outlet && l.Kind == kind {
			return true
		}
	}
	return false
}

// integrity runs PRAGMA integrity_check on the database of a stopped
// process.
func (w *killWorld) integrity() {
	w.t.Helper()
	db, err := sql.Open("sqlite", w.cfg.Store.Path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer quiet.Close(db)
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		w.t.Errorf("integrity_check = %q, %v", res, err)
	}
}

// dumpLogs logs what every process of the iteration said of its
// deliveries, and the kills.
func (w *killWorld) dumpLogs() {
	w.t.Logf("kills at %v", w.kills)
	for i := 1; i <= w.starts; i++ {
		b, _ := os.ReadFile(filepath.Join(w.dir, fmt.Sprintf("serve-%d.log", i)))
		var keep []string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "hashnode") || strings.Contains(line, "outbox") || strings.Contains(line, "publish") {
				keep = append(keep, line)
			}
		}
		w.t.Logf("serve #%d:\n%s", i, strings.Join(keep, "\n"))
	}
	for _, r := range w.hashnode.Requests() {
		w.t.Logf("hashnode: %s %s status %d fault %+v", r.Time.Format("15:04:05.000"), r.Field, r.Status, r.Fault)
	}
}

// tail is the end of a log, for a failure's message.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// chatFake is a Discord webhook on loopback that answers after a delay
// and notes when it received each message and when its answer was
// written.
type chatFake struct {
	*httptest.Server
	delay    func() time.Duration
	mu       sync.Mutex
	messages []chatMessage
}

type chatMessage struct {
	text     string
	received time.Time
	answered time.Time // zero: the client went away first
}

func (m chatMessage) String() string { return m.text }

func newChatFake(t *testing.T, delay func() time.Duration) *chatFake {
	f := &chatFake{delay: delay}
	f.Server = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.Close)
	return f
}

func (f *chatFake) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var m struct {
		Content string `json:"content"`
		Embeds  []struct {
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, `{"message": "Cannot send an empty message", "code": 50006}`, http.StatusBadRequest)
		return
	}
	text := m.Content
	for _, e := range m.Embeds {
		text += " " + e.Title + " " + e.URL
	}
	f.mu.Lock()
	i := len(f.messages)
	f.messages = append(f.messages, chatMessage{text: text, received: time.Now()})
	f.mu.Unlock()
	if d := f.delay(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	f.mu.Lock()
	f.messages[i].answered = time.Now()
	f.mu.Unlock()
}

func (f *chatFake) all() []chatMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.messages)
}

// TestTermDuringSlowOutlet: SIGTERM while Hashnode takes 30 s to answer
// the post's create exits 0 within 10 s; the next start finds the post the
// create made and sends the "published" message: one post, one message.
func TestTermDuringSlowOutlet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	rig := newKillRig(t)
	w := rig.world(t, config.HashnodePublish, func() time.Duration { return 0 })
	slow := w.cfg
	slow.Publisher.Hashnode.Timeout = time.Minute // the request outlives the stop's bound
	w.configure(slow)
	w.hashnode.FailNext("publishPost", hashnodetest.Slow(30*time.Second))
	w.start()
	w.submit()
	w.await("the two summaries", 30*time.Second, func() bool { return w.upcomingEntries() == 2 })
	if code := <-w.publish(); code != http.StatusOK {
		t.Fatalf("publish = %d\n%s", code, tail(w.child.log))
	}
	w.await("the create to reach Hashnode", 30*time.Second, func() bool {
		return slices.Contains(w.hashnode.Fields(), "publishPost")
	})
	code, took := w.term(30 * time.Second)
	t.Logf("SIGTERM during a 30 s answer: exit %d after %s", code, took.Round(time.Millisecond))
	if code != 0 || took > 10*time.Second {
		t.Errorf("serve exited %d after %s, want 0 within 10s\n%s", code, took, tail(w.child.log))
	}
	if n := len(w.chat.all()); n != 0 {
		t.Errorf("%d chat messages before the post was settled", n)
	}

	fast := w.cfg
	fast.Publisher.Hashnode.Timeout = hashnodeTimeout
	w.configure(fast)
	w.start()
	var is api.Issue
	w.await("the deliveries after the restart", 30*time.Second, func() bool {
		var ok bool
		is, ok = w.issue()
		return ok && settled(is)
	})
	is = w.settledIssue()
	var tally killTally
	w.check(is, &tally, false)
	if tally.published != 1 {
		t.Errorf("%d \"published\" messages, want 1", tally.published)
	}
	if code, _ := w.term(15 * time.Second); code != 0 {
		t.Errorf("serve exited %d, want 0", code)
	}
	w.integrity()
}
