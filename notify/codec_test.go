package notify

import (
	"testing"
	"time"
)

func TestMarshalKeepsWhatIsShown(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 9, 9, 0, 0, 0, seoul)
	tests := []Event{
		DraftReady{Title: "GDC 주간 뉴스레터", DeskURL: "https://news.example.org/desk/", PublishAt: at},
		DraftReady{Title: "승인을 기다리는 초안"},
		Published{Title: "GDC 주간 뉴스레터", HashnodeURL: "https://blog.example.org/weekly", ArchiveURL: "https://news.example.org/issues/weekly"},
		RunFailed{RunID: 7, Reason: "database is locked"},
		OutageStarted{Dependency: "gemini", Reason: "quota", Until: at},
		OutageEnded{Dependency: "gemini", Lasted: 90 * time.Minute},
	}
	for _, e := range tests {
		t.Run(e.kind(), func(t *testing.T) {
			kind, payload, err := Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Unmarshal(kind, payload)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []Format{Discord, Slack} {
				want, _ := encode(f, e.message())
				have, _ := encode(f, got.message())
				if string(have) != string(want) {
					t.Errorf("%s after a round trip:\n%s\nwant\n%s", f, have, want)
				}
			}
		})
	}
	if _, err := Unmarshal("carrier_pigeon", []byte(`{}`)); err == nil {
		t.Error("an unknown kind decoded")
	}
	if _, err := Unmarshal("published", []byte(`not json`)); err == nil {
		t.Error("a broken payload decoded")
	}
}
