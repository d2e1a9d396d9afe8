package server

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	ts := newTestServer(t, func(o *Options) { o.Registry = reg })
	ts.do(t, "POST", "/api/v1/submissions", `{"url":"https://example.com/a"}`)
	ts.do(t, "POST", "/api/v1/submissions", `{"url":"https://example.com/b"}`)
	ts.do(t, "POST", "/api/v1/submissions", `{"url":"http://10.0.0.1/"}`)

	want := `
# HELP newsletter_submissions Submissions in the database, by state.
# TYPE newsletter_submissions gauge
newsletter_submissions{state="deleted"} 0
newsletter_submissions{state="duplicate"} 0
newsletter_submissions{state="failed"} 0
newsletter_submissions{state="new"} 2
newsletter_submissions{state="processing"} 0
newsletter_submissions{state="published"} 0
newsletter_submissions{state="summarized"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "newsletter_submissions"); err != nil {
		t.Error(err)
	}
	want = `
# HELP newsletter_http_requests_total HTTP requests answered, by route and status class.
# TYPE newsletter_http_requests_total counter
newsletter_http_requests_total{code="2xx",route="POST /api/v1/submissions"} 2
newsletter_http_requests_total{code="4xx",route="POST /api/v1/submissions"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "newsletter_http_requests_total"); err != nil {
		t.Error(err)
	}
	code, body, _ := ts.do(t, "GET", "/metrics", "")
	if code != 200 || !strings.Contains(body, `newsletter_submissions{state="new"} 2`) {
		t.Errorf("/metrics = %d, body lacks the submissions gauge:\n%s", code, body)
	}
	if strings.Contains(body, "newsletter_last_issue_published_timestamp_seconds ") {
		t.Error("last-issue gauge reported before any issue was published")
	}
}
