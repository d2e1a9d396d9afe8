package notify

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestPayloadWireFormat pins the two formats' request bodies for one event.
func TestPayloadWireFormat(t *testing.T) {
	tests := []struct {
		format Format
		want   string
	}{
		{Discord, `{"content":"검토할 초안이 준비되었습니다: \\[GDC\\] Weekly Newsletter September 2nd",` +
			`"embeds":[{"title":"[GDC] Weekly Newsletter September 2nd","url":"https://desk.example.org/issues/42","color":3900150,` +
			`"fields":[{"name":"편집 데스크","value":"https://desk.example.org/issues/42"},` +
			`{"name":"자동 발행","value":"2024년 9월 2일 (월) 06:00 KST에 자동으로 발행됩니다."}]}],` +
			`"allowed_mentions":{"parse":[]}}`},
		{Slack, `{"text":"검토할 초안이 준비되었습니다: [GDC] Weekly Newsletter September 2nd",` +
			`"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*검토할 초안이 준비되었습니다: [GDC] Weekly Newsletter September 2nd*\n\u003chttps://desk.example.org/issues/42|[GDC] Weekly Newsletter September 2nd\u003e"}},` +
			`{"type":"section","fields":[{"type":"mrkdwn","text":"*편집 데스크*\nhttps://desk.example.org/issues/42"},` +
			`{"type":"mrkdwn","text":"*자동 발행*\n2024년 9월 2일 (월) 06:00 KST에 자동으로 발행됩니다."}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.format.String(), func(t *testing.T) {
			got, err := encode(tt.format, events[0].message())
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestEventMessages checks the facts each event carries, in Korean.
func TestEventMessages(t *testing.T) {
	type fieldRow struct{ name, value string }
	tests := []struct {
		name     string
		event    Event
		kind     string
		headline string
		link     string
		fields   []fieldRow
	}{
		{
			name: "draft that publishes on its own", event: events[0], kind: "draft_ready",
			headline: "검토할 초안이 준비되었습니다: [GDC] Weekly Newsletter September 2nd",
			link:     "https://desk.example.org/issues/42",
			fields:   []fieldRow{{"편집 데스크", "https://desk.example.org/issues/42"}, {"자동 발행", "2024년 9월 2일 (월) 06:00 KST에 자동으로 발행됩니다."}},
		},
		{
			name: "draft that waits for an approval", event: DraftReady{Title: "T", DeskURL: "https://desk.example.org/issues/42"}, kind: "draft_ready",
			headline: "검토할 초안이 준비되었습니다: T",
			link:     "https://desk.example.org/issues/42",
			fields:   []fieldRow{{"편집 데스크", "https://desk.example.org/issues/42"}, {"자동 발행", "자동으로 발행되지 않습니다. 데스크에서 승인해야 발행됩니다."}},
		},
		{
			name: "published everywhere", event: events[1], kind: "published",
			headline: "뉴스레터가 발행되었습니다: [GDC] Weekly Newsletter September 2nd",
			link:     "https://newsletter.example.org/issues/gdc-weekly-newsletter-2024-september-2nd",
			fields: []fieldRow{
				{"Hashnode", "https://gdc.hashnode.dev/gdc-weekly-newsletter-2024-september-2nd"},
				{"아카이브", "https://newsletter.example.org/issues/gdc-weekly-newsletter-2024-september-2nd"},
			},
		},
		{
			name: "published to a file only: no server path", event: Published{Title: "T"}, kind: "published",
			headline: "뉴스레터가 발행되었습니다: T",
		},
		{
			name: "corrected", event: Published{Title: "T", ArchiveURL: "https://newsletter.example.org/issues/t", Corrected: true}, kind: "published",
			headline: "발행된 뉴스레터가 수정되었습니다: T", link: "https://newsletter.example.org/issues/t",
			fields: []fieldRow{{"아카이브", "https://newsletter.example.org/issues/t"}},
		},
		{
			name: "published to Hashnode, links to it", event: Published{Title: "T", HashnodeURL: "https://gdc.hashnode.dev/t"}, kind: "published",
			headline: "뉴스레터가 발행되었습니다: T", link: "https://gdc.hashnode.dev/t",
			fields: []fieldRow{{"Hashnode", "https://gdc.hashnode.dev/t"}},
		},
		{
			name: "published with the outlets' states", event: Published{Title: "T", Outlets: []OutletState{
				{Outlet: "hashnode", State: "완료"}, {Outlet: "listmonk", State: "실패: listmonk status running x: HTTP 403"}}}, kind: "published",
			headline: "뉴스레터가 발행되었습니다: T",
			fields:   []fieldRow{{"hashnode", "완료"}, {"listmonk", "실패: listmonk status running x: HTTP 403"}},
		},
		{
			name: "run failed", event: events[2], kind: "run_failed",
			headline: "뉴스레터 실행이 실패했습니다 (실행 17)",
			fields:   []fieldRow{{"실행 ID", "17"}, {"이유", "publisher: write issues/2024-09-02.md: no space left on device"}},
		},
		{
			name: "run failed without a reason", event: RunFailed{RunID: 3}, kind: "run_failed",
			headline: "뉴스레터 실행이 실패했습니다 (실행 3)",
			fields:   []fieldRow{{"실행 ID", "3"}, {"이유", "알 수 없음"}},
		},
		{
			name: "outage with an end", event: events[3], kind: "outage_started",
			headline: "gemini 장애가 시작되었습니다",
			fields:   []fieldRow{{"서비스", "gemini"}, {"이유", "daily quota exhausted"}, {"복구 예상", "2024년 9월 2일 (월) 09:00 KST"}},
		},
		{
			name: "outage without an end", event: OutageStarted{Dependency: "github", Reason: "rate limited"}, kind: "outage_started",
			headline: "github 장애가 시작되었습니다",
			fields:   []fieldRow{{"서비스", "github"}, {"이유", "rate limited"}, {"복구 예상", "알 수 없음"}},
		},
		{
			name: "outage ended", event: events[4], kind: "outage_ended",
			headline: "gemini 장애가 끝났습니다 (2시간 30분 동안)",
			fields:   []fieldRow{{"서비스", "gemini"}, {"지속 시간", "2시간 30분"}},
		},
		{
			name: "a desk URL that is not a web URL is not linked", event: DraftReady{Title: "T", DeskURL: "javascript:alert(1)"}, kind: "draft_ready",
			headline: "검토할 초안이 준비되었습니다: T",
			fields:   []fieldRow{{"편집 데스크", "javascript:alert(1)"}, {"자동 발행", "자동으로 발행되지 않습니다. 데스크에서 승인해야 발행됩니다."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.event.message()
			if tt.event.kind() != tt.kind || m.headline != tt.headline || m.link != tt.link {
				t.Errorf("kind %q headline %q link %q, want %q %q %q", tt.event.kind(), m.headline, m.link, tt.kind, tt.headline, tt.link)
			}
			var got []fieldRow
			for _, f := range m.fields {
				got = append(got, fieldRow{f.name, f.value})
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %q, want %q", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Errorf("field %d = %q, want %q", i, got[i], tt.fields[i])
				}
			}
			// The Discord embed never links a URL that is not http(s).
			d := decodeDiscord(t, mustEncode(t, Discord, m))
			if len(d.Embeds) == 1 && d.Embeds[0].URL != tt.link {
				t.Errorf("embed url %q, want %q", d.Embeds[0].URL, tt.link)
			}
		})
	}
}

func mustEncode(t *testing.T, f Format, m message) []byte {
	t.Helper()
	b, err := encode(f, m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHostileText: whatever a reason or title holds, it cannot mention,
// link or format anything in either chat.
func TestHostileText(t *testing.T) {
	hostile := "@everyone @here <@123> <#456> <t:0:R> <!channel> <!here|x> [로그인](https://evil.example) " +
		"**굵게** __밑줄__ ~~취소~~ ||스포일러|| `코드` \\[x] & <https://evil.example|클릭>\n# 제목\n- 목록\n> 인용"
	m := RunFailed{RunID: 1, Reason: hostile}.message()

	d := decodeDiscord(t, mustEncode(t, Discord, m))
	reason := d.Embeds[0].Fields[1].Value
	if plain(reason) != hostile {
		t.Errorf("Discord text does not read back as written:\n%q\n%q", plain(reason), hostile)
	}
	for i := 0; i < len(reason); i++ {
		if reason[i] == '\\' {
			i++
			continue
		}
		if strings.IndexByte("*_~`|[]<", reason[i]) >= 0 {
			t.Errorf("unescaped %q at %d in %q", reason[i], i, reason)
		}
	}
	for _, line := range strings.Split(reason, "\n")[1:] {
		if line != "" && strings.IndexByte("#->", line[0]) >= 0 {
			t.Errorf("line %q starts with markdown", line)
		}
	}

	s := decodeSlack(t, mustEncode(t, Slack, m))
	field := s.Blocks[1].Fields[1].Text
	if strings.ContainsAny(field, "<>") {
		t.Errorf("Slack field holds '<' or '>': %q", field)
	}
	if want := "*이유*\n" + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(hostile); field != want {
		t.Errorf("Slack field = %q, want %q", field, want)
	}

	// A hostile title in Slack's link text cannot end the link early.
	title := "x|<!channel>"
	s = decodeSlack(t, mustEncode(t, Slack, DraftReady{Title: title, DeskURL: "https://desk.example.org/a?b=1&c=2"}.message()))
	if got, want := s.Blocks[0].Text.Text, "*검토할 초안이 준비되었습니다: x|&lt;!channel&gt;*\n<https://desk.example.org/a?b=1&amp;c=2|x¦&lt;!channel&gt;>"; got != want {
		t.Errorf("Slack head = %q, want %q", got, want)
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("가나다라마", 1000) // 5000 characters
	m := RunFailed{RunID: 1, Reason: long}.message()
	d := decodeDiscord(t, mustEncode(t, Discord, m))
	if v := d.Embeds[0].Fields[1].Value; utf8.RuneCountInString(v) != discordFieldValueMax || !strings.HasSuffix(v, "…") {
		t.Errorf("Discord value is %d characters", utf8.RuneCountInString(v))
	}
	s := decodeSlack(t, mustEncode(t, Slack, m))
	if v := s.Blocks[1].Fields[1].Text; utf8.RuneCountInString(v) != slackFieldTextMax || !strings.HasSuffix(v, "…") {
		t.Errorf("Slack field is %d characters", utf8.RuneCountInString(v))
	}
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"가나다라", 3, "가나…"},
		{`a\*bc`, 3, "a…"}, // never ends in a lone backslash
		{`\\cd`, 3, `\\…`}, // an escaped backslash is kept whole
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestKoreanTime(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{publishAt, "2024년 9월 2일 (월) 06:00 KST"},
		{time.Date(2025, 12, 28, 23, 59, 0, 0, time.UTC), "2025년 12월 28일 (일) 23:59 UTC"},
		{time.Date(2026, 3, 7, 9, 5, 0, 0, kst), "2026년 3월 7일 (토) 09:05 KST"},
	}
	for _, tt := range tests {
		if got := koreanTime(tt.t); got != tt.want {
			t.Errorf("koreanTime(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestKoreanDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "1초 미만"},
		{500 * time.Millisecond, "1초 미만"},
		{45 * time.Second, "45초"},
		{time.Minute, "1분"},
		{90 * time.Second, "2분"},
		{2*time.Hour + 30*time.Minute, "2시간 30분"},
		{3 * time.Hour, "3시간"},
		{26*time.Hour + 5*time.Minute, "1일 2시간 5분"},
		{48 * time.Hour, "2일"},
	}
	for _, tt := range tests {
		if got := koreanDuration(tt.d); got != tt.want {
			t.Errorf("koreanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
