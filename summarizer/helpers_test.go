package summarizer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/internal/waitlog"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// elastic is a test article modelled on the seed's Elasticsearch entry,
// whose licence change happened in January 2021.
var elastic = Input{
	Title:    "Elasticsearch is Open Source. Again!",
	URL:      "https://www.elastic.co/blog/elasticsearch-is-open-source-again",
	SiteName: "Elastic Blog",
	Language: "en",
	Text: strings.Join([]string{
		"Elasticsearch and Kibana can be called Open Source again.",
		"## Why the change in 2021",
		"In January 2021 we changed the license of Elasticsearch and Kibana to SSPL and the Elastic License 2.0 (ELv2), to stop cloud providers from offering them as a service without collaborating with us.",
		"## What is new",
		"We are adding AGPL as another license option next to ELv2 and SSPL. Users can pick whichever of the 3 licenses suits them. Nothing changes for users of the default distribution, and version 8.16 ships with the new license files.",
	}, "\n\n"),
}

// goodElastic is a grounded answer for elastic.
var goodElastic = entry.Sections{
	TitleKo:        "Elasticsearch가 다시 오픈 소스가 되었습니다",
	Summary:        "Elastic은 Elasticsearch와 Kibana에 AGPL 라이선스를 선택지로 추가해 다시 오픈 소스라고 부를 수 있게 되었다고 발표했습니다.",
	Introduction:   "Elastic은 2021년 1월 클라우드 사업자의 무분별한 서비스화를 막기 위해 Elasticsearch와 Kibana의 라이선스를 SSPL과 Elastic License 2.0(ELv2)으로 바꿨습니다. 이번 글은 기존 ELv2, SSPL과 함께 AGPL을 추가 선택지로 제공한다고 설명합니다. 기본 배포판 사용자에게는 달라지는 점이 없으며, 버전 8.16부터 새 라이선스 파일이 포함됩니다.",
	Recommendation: "Elasticsearch를 제품에 포함하거나 라이선스 검토가 필요한 개발자에게 추천합니다.",
}

// harness is a Summarizer wired to a fake Gemini server and a fake clock,
// with logs captured.
type harness struct {
	s     *Summarizer
	srv   *geminitest.Server
	clock *waitlog.Clock
	logs  *observer.ObservedLogs
}

// newHarness builds a Summarizer against a fresh fake server; edit, when
// not nil, adjusts the configuration first.
func newHarness(t testing.TB, cache Cache, edit func(*config.Gemini)) *harness {
	t.Helper()
	srv := geminitest.NewServer(t)
	cfg := srv.Config()
	if edit != nil {
		edit(&cfg)
	}
	clock := waitlog.New()
	core, logs := observer.New(zap.DebugLevel)
	d := deps{
		clock:     clock,
		jitter:    func(int64) int64 { return 0 },
		transport: bubbleTransport(),
	}
	s, err := newSummarizer(context.Background(), cfg, cache, zap.New(core), d)
	if err != nil {
		t.Fatalf("newSummarizer: %v", err)
	}
	h := &harness{s: s, srv: srv, clock: clock, logs: logs}
	t.Cleanup(func() { h.assertKeyNotLogged(t, cfg.APIKey) })
	return h
}

// bubbleTransport is the default transport without kept-alive
// connections: a kept-alive connection's reader blocks on the network,
// which is not durably blocking, and would hold a synctest bubble's time
// still.
func bubbleTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableKeepAlives = true
	return t
}

// summarize is h.s.Summarize in a synctest bubble: its retries and the
// limiter's waits end as soon as nothing else can happen, on the bubble's
// clock, which starts at waitlog.Start. The fake Gemini serves from outside
// the bubble; its answers take no time in it.
func (h *harness) summarize(t *testing.T, in Input) (res *Result, err error) {
	t.Helper()
	synctest.Test(t, func(*testing.T) { res, err = h.s.Summarize(context.Background(), in) })
	return res, err
}

// assertKeyNotLogged fails if any log entry mentions the API key.
func (h *harness) assertKeyNotLogged(t testing.TB, key string) {
	for _, e := range h.logs.All() {
		line := e.Message + fmt.Sprint(e.ContextMap())
		if strings.Contains(line, key) {
			t.Errorf("log entry %q contains the API key", e.Message)
		}
	}
}

// memCache is an in-memory Cache that counts its calls.
type memCache struct {
	mu      sync.Mutex
	m       map[string][]byte
	lookups int
	saves   int
}

func newMemCache() *memCache { return &memCache{m: map[string][]byte{}} }

func cacheKey(textHash, promptVersion, model string) string {
	return textHash + "|" + promptVersion + "|" + model
}

func (c *memCache) LookupSummary(_ context.Context, textHash, promptVersion, model string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lookups++
	v, ok := c.m[cacheKey(textHash, promptVersion, model)]
	return v, ok, nil
}

func (c *memCache) SaveSummary(_ context.Context, textHash, promptVersion, model string, value []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saves++
	c.m[cacheKey(textHash, promptVersion, model)] = value
	return nil
}

// with returns s with one field replaced, for building bad answers.
func with(s entry.Sections, edit func(*entry.Sections)) entry.Sections {
	edit(&s)
	return s
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
