// Package prompts holds the prompt templates sent to the language model,
// embedded in the binary so a release always carries the prompts it was
// tested with.
//
// Each file is a text/template. summarize.tmpl defines three templates:
// "system" (the standing instructions), "user" (one article) and
// "correction" (the follow-up turn naming the rules an answer broke). The
// summarizer records a short hash of the file's text and of its response
// schema as the prompt version, so a cached summary is never reused after
// the prompt changes.
//
// An operator can replace the embedded files by pointing gemini.prompts_dir
// at a directory holding a file of the same name.
package prompts

import "embed"

// Summarize is the file name of the summarisation prompt.
const Summarize = "summarize.tmpl"

// FS holds the embedded templates.
//
//go:embed *.tmpl
var FS embed.FS
