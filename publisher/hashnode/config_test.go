package hashnode_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/retry"
)

const secret = "s3cr3t-personal-access-token"

func validConfig() hashnode.Config {
	return hashnode.Config{
		Token:         secret,
		PublicationID: "65f1a2b3c4d5e6f708192a3b",
		Ledger:        &hashnode.MemoryLedger{},
	}
}

func TestNewChecksTheConfiguration(t *testing.T) {
	tests := []struct {
		name   string
		change func(*hashnode.Config)
		want   string // "" for a valid configuration
	}{
		{"defaults", func(*hashnode.Config) {}, ""},
		{"loopback http", func(c *hashnode.Config) { c.Endpoint = "http://127.0.0.1:8080/graphql" }, ""},
		{"no token", func(c *hashnode.Config) { c.Token = " " }, "hashnode: no Personal Access Token (HASHNODE_PAT or the configured token)"},
		{"token with a newline", func(c *hashnode.Config) { c.Token = "abc\ndef" }, "hashnode: the Personal Access Token contains white space"},
		{"no publication", func(c *hashnode.Config) { c.PublicationID = "" }, "hashnode: no publication id"},
		{"publication not an ObjectId", func(c *hashnode.Config) { c.PublicationID = "gdc.hashnode.dev" },
			`hashnode: publication id "gdc.hashnode.dev" is not 24 hexadecimal digits`},
		{"plain http to a remote host", func(c *hashnode.Config) { c.Endpoint = "http://gql-beta.hashnode.com/" },
			`hashnode: endpoint "http://gql-beta.hashnode.com/" is http; the token needs https (http only for a loopback address)`},
		{"relative endpoint", func(c *hashnode.Config) { c.Endpoint = "gql-beta.hashnode.com" },
			`hashnode: endpoint "gql-beta.hashnode.com" is not an absolute URL without credentials`},
		{"unknown mode", func(c *hashnode.Config) { c.Mode = "live" }, `hashnode: mode "live" is neither "draft" nor "publish"`},
		{"no ledger", func(c *hashnode.Config) { c.Ledger = nil }, "hashnode: no ledger to record posts in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.change(&cfg)
			c, err := hashnode.New(cfg)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.want == "" && c.Mode() != hashnode.ModeDraft:
				t.Errorf("mode = %s, want the default, draft", c.Mode())
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("error = %v, want %s", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error holds the token: %v", err)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]hashnode.Mode{"": hashnode.ModeDraft, "draft": hashnode.ModeDraft, " Publish ": hashnode.ModePublish} {
		if got, err := hashnode.ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := hashnode.ParseMode("now"); err == nil {
		t.Errorf("ParseMode(now) succeeded")
	}
}

func TestParseTags(t *testing.T) {
	tests := []struct {
		in   string
		want []hashnode.Tag
	}{
		{"newsletter", []hashnode.Tag{{Slug: "newsletter", Name: "newsletter"}}},
		{" Go, Web Development ,,go", []hashnode.Tag{{Slug: "go", Name: "Go"}, {Slug: "web-development", Name: "Web Development"}}},
		{"C++, 뉴스레터", []hashnode.Tag{{Slug: "c", Name: "C++"}, {Slug: "", Name: "뉴스레터"}}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := hashnode.ParseTags(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("ParseTags(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestRedirectIsNotFollowed: the old endpoint answers with a redirect. The
// client reports it and does not carry the token anywhere else.
func TestRedirectIsNotFollowed(t *testing.T) {
	var hits, elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(target.Close)
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, target.URL+"/", http.StatusMovedPermanently)
	}))
	t.Cleanup(old.Close)
	cfg := validConfig()
	cfg.Endpoint = old.URL + "/"
	cfg.Clock = clockwork.NewFakeClock()
	c, err := hashnode.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Publish(t.Context(), "issue", issue())
	want := "hashnode post lookup gdc-weekly-newsletter-march-2nd-2026: the endpoint " + old.URL + "/ answered HTTP 301 with a redirect to \"" +
		target.URL + "/\"; set the endpoint to the URL it names"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	if !retry.IsPermanent(err) {
		t.Errorf("a redirect is %s, want permanent", retry.Describe(err))
	}
	if hits.Load() != 1 || elsewhere.Load() != 0 {
		t.Errorf("old endpoint hit %d times, redirect target %d times; want 1 and 0", hits.Load(), elsewhere.Load())
	}
}
