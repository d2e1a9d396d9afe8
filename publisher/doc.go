// Package publisher turns summarised articles into one weekly newsletter issue:
// it renders each article as a markdown block, assembles the issue with its
// Hashnode front matter and closing disclaimer, and writes it out.
//
// The renderer owns every heading and all spacing. Article fields are prose
// written by a model; each is read as a tree with entry.Parse, the reading
// the guardrails check, and rewritten from it, so whatever a field contains
// it cannot add headings, open HTML blocks or leave a code fence open, and
// each article is exactly one "## " block. Nor do they bring raw HTML or links into the issue: outside
// code, a tag's '<' is escaped and a markdown link is reduced to its text,
// so the 참고 section holds the article's link and a field shows no other
// but an http(s) URL written out in full.
package publisher
