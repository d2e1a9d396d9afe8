package notify

import (
	"encoding/json"
	"fmt"
	"time"
)

// Kind names an event's type, as Marshal records it.
func Kind(e Event) string { return e.kind() }

// envelope is an event as the outbox keeps it: its fields, and the time
// zone its times are shown in (JSON keeps a time's offset, not its zone's
// name).
type envelope struct {
	Event json.RawMessage `json:"event"`
	Zone  string          `json:"zone,omitempty"`
}

// Marshal encodes e to be kept until it is delivered (see Unmarshal): its
// kind and its payload.
func Marshal(e Event) (kind string, payload []byte, err error) {
	env := envelope{}
	switch e := e.(type) {
	case DraftReady:
		env.Zone = zoneOf(e.PublishAt)
	case OutageStarted:
		env.Zone = zoneOf(e.Until)
	}
	if env.Event, err = json.Marshal(e); err != nil {
		return "", nil, fmt.Errorf("notify: encode %s: %w", e.kind(), err)
	}
	payload, err = json.Marshal(env)
	if err != nil {
		return "", nil, fmt.Errorf("notify: encode %s: %w", e.kind(), err)
	}
	return e.kind(), payload, nil
}

// Unmarshal decodes an event Marshal encoded.
func Unmarshal(kind string, payload []byte) (Event, error) {
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		return nil, fmt.Errorf("notify: decode %s: %w", kind, err)
	}
	loc := time.UTC
	if env.Zone != "" {
		if l, err := time.LoadLocation(env.Zone); err == nil {
			loc = l
		}
	}
	var e Event
	var err error
	switch kind {
	case "draft_ready":
		var v DraftReady
		err = json.Unmarshal(env.Event, &v)
		v.PublishAt = inZone(v.PublishAt, loc)
		e = v
	case "published":
		var v Published
		err = json.Unmarshal(env.Event, &v)
		e = v
	case "run_failed":
		var v RunFailed
		err = json.Unmarshal(env.Event, &v)
		e = v
	case "outage_started":
		var v OutageStarted
		err = json.Unmarshal(env.Event, &v)
		v.Until = inZone(v.Until, loc)
		e = v
	case "outage_ended":
		var v OutageEnded
		err = json.Unmarshal(env.Event, &v)
		e = v
	default:
		return nil, fmt.Errorf("notify: decode: unknown event %q", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("notify: decode %s: %w", kind, err)
	}
	return e, nil
}

// zoneOf is the name of t's zone for time.LoadLocation, "" for UTC, the
// zero time and zones without a name.
func zoneOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if name := t.Location().String(); name != "UTC" && name != "Local" && name != "" {
		return name
	}
	return ""
}

func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}
