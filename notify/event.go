package notify

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Event is something the editors are told about. The events are the types
// of this package: DraftReady, Published, RunFailed, OutageStarted and
// OutageEnded.
type Event interface {
	kind() string
	message() message
}

// DraftReady: an issue's draft waits on the editor's desk.
type DraftReady struct {
	Title   string // the title
	DeskURL string // where to review it
	// PublishAt is when the issue publishes on its own unless an editor
	// acts first, in the time zone to show it in; zero: it never does and
	// waits for an approval.
	PublishAt time.Time
}

// Published: an issue went out, or (Corrected) went out again after
// corrections an editor chose to announce. Links that are empty are left
// out; no message names a path on the server.
type Published struct {
	Title       string
	HashnodeURL string
	ArchiveURL  string
	Corrected   bool
	// Outlets say how each outlet that emails readers is doing when the
	// message is sent (Hashnode's newsletter, the listmonk campaign), one
	// field each.
	Outlets []OutletState `json:",omitempty"`
}

// OutletState is one outlet's state in words: "listmonk" and "캠페인 #3:
// 보내는 중", or its failure and reason.
type OutletState struct {
	Outlet string
	State  string
}

// RunFailed: an issue run failed.
type RunFailed struct {
	RunID  int64
	Reason string
}

// OutageStarted: a dependency every article needs became unavailable.
type OutageStarted struct {
	Dependency string    // "gemini", "github", "database"
	Reason     string    // why, in a line
	Until      time.Time // when it is expected back; zero: unknown
}

// OutageEnded: the dependency is back.
type OutageEnded struct {
	Dependency string
	Lasted     time.Duration
}

// message is an event as both formats show it: a headline for the
// notification itself, an optional linked title, and the facts as fields.
type message struct {
	headline string
	title    string
	link     string // absolute http(s) URL of the title, or ""
	fields   []field
	color    int // Discord's embed colour
}

// field is one fact. A link field's value is a URL, shown as a link when it
// is an absolute http(s) one and as text otherwise.
type field struct {
	name, value string
	link        bool
}

// Colours of Discord's embeds, by what happened.
const (
	colorInfo    = 0x3B82F6 // blue
	colorSuccess = 0x22C55E // green
	colorFailure = 0xEF4444 // red
)

func (DraftReady) kind() string { return "draft_ready" }

func (e DraftReady) message() message {
	m := message{
		headline: "검토할 초안이 준비되었습니다: " + e.Title,
		title:    e.Title,
		link:     webURL(e.DeskURL),
		color:    colorInfo,
	}
	m.add(field{name: "편집 데스크", value: e.DeskURL, link: true})
	if e.PublishAt.IsZero() {
		m.add(field{name: "자동 발행", value: "자동으로 발행되지 않습니다. 데스크에서 승인해야 발행됩니다."})
	} else {
		m.add(field{name: "자동 발행", value: koreanTime(e.PublishAt) + "에 자동으로 발행됩니다."})
	}
	return m
}

func (Published) kind() string { return "published" }

func (e Published) message() message {
	headline := "뉴스레터가 발행되었습니다: "
	if e.Corrected {
		headline = "발행된 뉴스레터가 수정되었습니다: "
	}
	m := message{
		headline: headline + e.Title,
		title:    e.Title,
		link:     webURL(e.ArchiveURL),
		color:    colorSuccess,
	}
	if m.link == "" {
		m.link = webURL(e.HashnodeURL)
	}
	m.add(field{name: "Hashnode", value: e.HashnodeURL, link: true})
	m.add(field{name: "아카이브", value: e.ArchiveURL, link: true})
	for _, o := range e.Outlets {
		m.add(field{name: o.Outlet, value: o.State})
	}
	return m
}

func (RunFailed) kind() string { return "run_failed" }

func (e RunFailed) message() message {
	id := strconv.FormatInt(e.RunID, 10)
	m := message{headline: "뉴스레터 실행이 실패했습니다 (실행 " + id + ")", color: colorFailure}
	m.add(field{name: "실행 ID", value: id})
	m.add(field{name: "이유", value: orUnknown(e.Reason)})
	return m
}

func (OutageStarted) kind() string { return "outage_started" }

func (e OutageStarted) message() message {
	m := message{headline: e.Dependency + " 장애가 시작되었습니다", color: colorFailure}
	m.add(field{name: "서비스", value: e.Dependency})
	m.add(field{name: "이유", value: orUnknown(e.Reason)})
	until := "알 수 없음"
	if !e.Until.IsZero() {
		until = koreanTime(e.Until)
	}
	m.add(field{name: "복구 예상", value: until})
	return m
}

func (OutageEnded) kind() string { return "outage_ended" }

func (e OutageEnded) message() message {
	lasted := koreanDuration(e.Lasted)
	m := message{headline: e.Dependency + " 장애가 끝났습니다 (" + lasted + " 동안)", color: colorSuccess}
	m.add(field{name: "서비스", value: e.Dependency})
	m.add(field{name: "지속 시간", value: lasted})
	return m
}

// add appends f unless its value is empty.
func (m *message) add(f field) {
	if f.value = strings.TrimSpace(f.value); f.value != "" {
		m.fields = append(m.fields, f)
	}
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "알 수 없음"
	}
	return s
}

// webURL returns s when it is an absolute http(s) URL, "" otherwise.
func webURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\r\n<>|\"") {
		return ""
	}
	return s
}

var koreanWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// koreanTime writes t in its own location: "2024년 9월 2일 (월) 06:00 KST".
func koreanTime(t time.Time) string {
	return fmt.Sprintf("%d년 %d월 %d일 (%s) %s", t.Year(), t.Month(), t.Day(), koreanWeekdays[t.Weekday()], t.Format("15:04 MST"))
}

// koreanDuration writes d in days, hours and minutes ("1일 2시간 5분"), or
// seconds when it is shorter than a minute.
func koreanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "1초 미만"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "초"
	}
	d = d.Round(time.Minute)
	var parts []string
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "일"}, {time.Hour, "시간"}, {time.Minute, "분"}} {
		if n := d / u.unit; n > 0 {
			parts = append(parts, strconv.FormatInt(int64(n), 10)+u.name)
			d -= n * u.unit
		}
	}
	return strings.Join(parts, " ")
}
