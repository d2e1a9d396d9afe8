package hashnode

// Documents returns every GraphQL document the client sends, by operation.
func Documents() map[string]string {
	out := map[string]string{}
	for _, op := range operations {
		out[op.name] = op.query
	}
	return out
}

// CreateBodyBytes is the size of the request body that creates p in mode.
func CreateBodyBytes(p Post, mode Mode) (int, error) {
	r := &run{c: &Client{mode: mode, publicationID: "65f1a2b3c4d5e6f708192a3b"}, post: p}
	op, extra := opPublishPost, map[string]any{"publicationId": r.c.publicationID}
	if mode == ModeDraft {
		op, extra["settings"] = opCreateDraft, map[string]any{"slugOverridden": true}
	}
	body, err := encode(op, map[string]any{"input": r.input(extra)})
	return len(body), err
}
