package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestNewsletterKeys: the keys operators rely on, from the file and the
// environment (LISTMONK_TOKEN among them), and what validation refuses.
func TestNewsletterKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := `publisher:
  hashnode:
    newsletter: true
  listmonk:
    url: https://lists.example.org
    user: newsletter
    lists: [1, 3]
    template_id: 4
    mode: schedule
  test_recipients: [editor@example.org]
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LISTMONK_TOKEN": "lm-key"}
	c, err := Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	l := c.Publisher.Listmonk
	if !c.Publisher.Hashnode.Newsletter || l.URL != "https://lists.example.org" || l.User != "newsletter" || l.Token != "lm-key" ||
		!reflect.DeepEqual(l.Lists, []int{1, 3}) || l.TemplateID != 4 || l.Mode != ListmonkSchedule ||
		!reflect.DeepEqual(c.Publisher.TestRecipients, []string{"editor@example.org"}) {
		t.Fatalf("loaded %+v, newsletter %v, recipients %v", l, c.Publisher.Hashnode.Newsletter, c.Publisher.TestRecipients)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if f, _ := Lookup(&c, "publisher.listmonk.token"); f.String() != "********" {
		t.Errorf("the listmonk key prints as %q", f.String())
	}
	env = map[string]string{"NEWSLETTER_PUBLISHER_LISTMONK_LISTS": "2, 5"}
	if c, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil ||
		!reflect.DeepEqual(c.Publisher.Listmonk.Lists, []int{2, 5}) {
		t.Errorf("lists from the environment = %v, %v", c.Publisher.Listmonk.Lists, err)
	}
	env = map[string]string{"NEWSLETTER_PUBLISHER_LISTMONK_LISTS": "2,x"}
	if _, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err == nil ||
		!strings.Contains(err.Error(), `publisher.listmonk.lists: invalid integer "x"`) {
		t.Errorf("a list id that is no number: %v", err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(*Listmonk, *Publisher)
		want   string
	}{
		{"mode", func(l *Listmonk, _ *Publisher) { l.Mode = "later" }, "publisher.listmonk.mode"},
		{"token", func(l *Listmonk, _ *Publisher) { l.Token = "" }, "publisher.listmonk.token: must be set (env LISTMONK_TOKEN)"},
		{"user", func(l *Listmonk, _ *Publisher) { l.User = "" }, "publisher.listmonk.user"},
		{"lists", func(l *Listmonk, _ *Publisher) { l.Lists = nil }, "publisher.listmonk.lists"},
		{"list id", func(l *Listmonk, _ *Publisher) { l.Lists = []int{0} }, "list id 0 is not positive"},
		{"url", func(l *Listmonk, _ *Publisher) { l.URL = "ftp://x" }, "publisher.listmonk.url"},
		{"recipient", func(_ *Listmonk, p *Publisher) { p.TestRecipients = []string{"editor"} }, `publisher.test_recipients: "editor"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			c.Publisher.Listmonk = Listmonk{URL: "https://lists.example.org", User: "u", Token: "k", Lists: []int{1}, Mode: ListmonkSend}
			tc.mutate(&c.Publisher.Listmonk, &c.Publisher)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}
