package hashnodetest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// maxTags is Hashnode's limit of tags on a post or draft.
const maxTags = 15

// maxDraftsPage is Hashnode's cap on a page of drafts; asking for more is
// silently clamped.
const maxDraftsPage = 50

// object is a value of a GraphQL object type: its fields, each resolved
// from the field's arguments.
type object struct {
	typename string
	fields   map[string]func(args map[string]any) (any, *gqlError)
}

// execute runs a validated operation against the data the server holds,
// root fields in order, and returns the data object or the errors.
func (s *Server) execute(op *ast.OperationDefinition, vars map[string]any) (any, []*gqlError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	root := s.queryRoot()
	if op.Operation == ast.Mutation {
		root = s.mutationRoot()
	}
	data, err := project(op.SelectionSet, root, vars, nil)
	if err != nil {
		return nil, []*gqlError{err}
	}
	return data, nil
}

// project resolves a selection set on v: an object's selected fields by
// their response names, a list element-wise, a scalar as it is.
func project(set ast.SelectionSet, v any, vars map[string]any, path []any) (any, *gqlError) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case *object:
		out := map[string]any{}
		for _, f := range collectFields(set, v.typename) {
			name := f.Alias
			if name == "" {
				name = f.Name
			}
			fieldPath := append(slices.Clone(path), name)
			if f.Name == "__typename" {
				out[name] = v.typename
				continue
			}
			resolve, ok := v.fields[f.Name]
			if !ok {
				return nil, &gqlError{Message: fmt.Sprintf("the fake does not resolve %s.%s", v.typename, f.Name),
					Path: fieldPath, Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}}
			}
			val, err := resolve(f.ArgumentMap(vars))
			if err != nil {
				err.Path = fieldPath
				return nil, err
			}
			child, err := project(f.SelectionSet, val, vars, fieldPath)
			if err != nil {
				return nil, err
			}
			out[name] = child
		}
		return out, nil
	case []*object:
		out := make([]any, 0, len(v))
		for i, item := range v {
			child, err := project(set, item, vars, append(slices.Clone(path), i))
			if err != nil {
				return nil, err
			}
			out = append(out, child)
		}
		return out, nil
	}
	return v, nil
}

// collectFields flattens fragments into the fields they select on typename.
func collectFields(set ast.SelectionSet, typename string) []*ast.Field {
	var out []*ast.Field
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			out = append(out, sel)
		case *ast.InlineFragment:
			if sel.TypeCondition == "" || sel.TypeCondition == typename {
				out = append(out, collectFields(sel.SelectionSet, typename)...)
			}
		case *ast.FragmentSpread:
			if sel.Definition != nil && sel.Definition.TypeCondition == typename {
				out = append(out, collectFields(sel.Definition.SelectionSet, typename)...)
			}
		}
	}
	return out
}

func (s *Server) proPlan() *gqlError {
	if s.pro {
		return nil
	}
	return newError("FORBIDDEN", "%s", ProPlanMessage)
}

func (s *Server) queryRoot() *object {
	return &object{typename: "Query", fields: map[string]func(map[string]any) (any, *gqlError){
		"publication": func(args map[string]any) (any, *gqlError) {
			if err := s.proPlan(); err != nil {
				return nil, err
			}
			if id, _ := args["id"].(string); id != PublicationID {
				return nil, nil
			}
			return s.publicationObject(), nil
		},
	}}
}

func (s *Server) publicationObject() *object {
	return &object{typename: "Publication", fields: map[string]func(map[string]any) (any, *gqlError){
		"id": func(map[string]any) (any, *gqlError) { return PublicationID, nil },
		"features": func(map[string]any) (any, *gqlError) {
			newsletter := &object{typename: "NewsletterFeature", fields: map[string]func(map[string]any) (any, *gqlError){
				"isEnabled": constant(s.newsletter),
			}}
			return &object{typename: "PublicationFeatures", fields: map[string]func(map[string]any) (any, *gqlError){
				"newsletter": constant(newsletter),
			}}, nil
		},
		"post": func(args map[string]any) (any, *gqlError) {
			slug, _ := args["slug"].(string)
			for _, p := range s.posts {
				if p.Slug == slug {
					return postObject(p), nil
				}
			}
			return nil, nil
		},
		"drafts": func(args map[string]any) (any, *gqlError) {
			first := intArg(args["first"])
			if first < 0 {
				return nil, newError("BAD_USER_INPUT", "first must not be negative")
			}
			first = min(first, maxDraftsPage)
			start := 0
			if after, _ := args["after"].(string); after != "" {
				i := slices.IndexFunc(s.drafts, func(d *Draft) bool { return d.ID == after })
				if i < 0 {
					return nil, newError("BAD_USER_INPUT", "invalid cursor %q", after)
				}
				start = i + 1
			}
			end := min(start+first, len(s.drafts))
			var edges []*object
			for _, d := range s.drafts[start:end] {
				edges = append(edges, draftEdge(d))
			}
			var endCursor any
			if end > start {
				endCursor = s.drafts[end-1].ID
			}
			pageInfo := &object{typename: "PageInfo", fields: map[string]func(map[string]any) (any, *gqlError){
				"endCursor":   constant(endCursor),
				"hasNextPage": constant(end < len(s.drafts)),
			}}
			return &object{typename: "DraftConnection", fields: map[string]func(map[string]any) (any, *gqlError){
				"edges":    constant(edges),
				"pageInfo": constant(pageInfo),
			}}, nil
		},
	}}
}

func (s *Server) mutationRoot() *object {
	return &object{typename: "Mutation", fields: map[string]func(map[string]any) (any, *gqlError){
		"publishPost": s.mutation("post", func(in map[string]any) (any, *gqlError) {
			if err := checkInput(in, true); err != nil {
				return nil, err
			}
			return postObject(s.newPost(postFromInput(Post{}, in))), nil
		}),
		"updatePost": s.mutation("post", func(in map[string]any) (any, *gqlError) {
			id, _ := in["id"].(string)
			i := slices.IndexFunc(s.posts, func(p *Post) bool { return p.ID == id })
			if i < 0 {
				return nil, newError("NOT_FOUND", "Post not found")
			}
			if err := checkInput(in, false); err != nil {
				return nil, err
			}
			p := s.posts[i]
			updated := postFromInput(*p, in)
			if updated.Slug != p.Slug && s.slugTaken(updated.Slug, p.ID) {
				return nil, newError("BAD_USER_INPUT", "Slug %q is already used by another post", updated.Slug)
			}
			*p = updated
			p.Updates++
			return postObject(p), nil
		}),
		"createDraft": s.mutation("draft", func(in map[string]any) (any, *gqlError) {
			if err := checkInput(in, true); err != nil {
				return nil, err
			}
			d := draftFromInput(Draft{ID: s.objectID()}, in)
			s.drafts = append(s.drafts, &d)
			return draftObject(&d), nil
		}),
		"updateDraft": s.mutation("draft", func(in map[string]any) (any, *gqlError) {
			id, _ := in["draftId"].(string)
			i := slices.IndexFunc(s.drafts, func(d *Draft) bool { return d.ID == id })
			if i < 0 {
				return nil, newError("NOT_FOUND", "Draft not found")
			}
			if err := checkInput(in, false); err != nil {
				return nil, err
			}
			d := s.drafts[i]
			*d = draftFromInput(*d, in)
			d.Updates++
			return draftObject(d), nil
		}),
		"publishDraft": s.mutation("post", func(in map[string]any) (any, *gqlError) {
			id, _ := in["draftId"].(string)
			p, err := s.publishDraft(id)
			if err != nil {
				return nil, err
			}
			return postObject(p), nil
		}),
	}}
}

// mutation wraps a resolver taking the input object in the Pro gate and the
// payload object whose one field (post or draft) holds the result.
func (s *Server) mutation(field string, run func(input map[string]any) (any, *gqlError)) func(map[string]any) (any, *gqlError) {
	return func(args map[string]any) (any, *gqlError) {
		if err := s.proPlan(); err != nil {
			return nil, err
		}
		in, _ := args["input"].(map[string]any)
		if pub, ok := in["publicationId"]; ok && pub != PublicationID {
			return nil, newError("NOT_FOUND", "Publication not found")
		}
		v, err := run(in)
		if err != nil {
			return nil, err
		}
		return &object{typename: "Payload", fields: map[string]func(map[string]any) (any, *gqlError){
			field: constant(v),
		}}, nil
	}
}

func checkInput(in map[string]any, create bool) *gqlError {
	if tags, ok := in["tags"].([]any); ok && len(tags) > maxTags {
		return newError("BAD_USER_INPUT", "A post can have at most %d tags, got %d", maxTags, len(tags))
	}
	if title, ok := in["title"].(string); ok && strings.TrimSpace(title) == "" && create {
		return newError("BAD_USER_INPUT", "Title must not be empty")
	}
	return nil
}

func (s *Server) publishDraft(id string) (*Post, *gqlError) {
	i := slices.IndexFunc(s.drafts, func(d *Draft) bool { return d.ID == id })
	if i < 0 {
		return nil, newError("NOT_FOUND", "Draft not found")
	}
	d := s.drafts[i]
	if strings.TrimSpace(d.Title) == "" || strings.TrimSpace(d.ContentMarkdown) == "" {
		return nil, newError("BAD_USER_INPUT", "A draft needs a title and content to be published")
	}
	slug := d.Slug
	if !d.SlugOverridden || slug == "" {
		slug = slugify(d.Title)
	}
	p := s.newPost(Post{
		Slug: slug, Title: d.Title, ContentMarkdown: d.ContentMarkdown,
		Tags: slices.Clone(d.Tags), PublishedAt: d.PublishedAt, FromDraft: d.ID,
		Newsletter: d.ActivateNewsletter && s.newsletter,
	})
	if p.Newsletter {
		s.emails = append(s.emails, p.Slug)
	}
	s.drafts = slices.Delete(s.drafts, i, i+1)
	return p, nil
}

// newPost stores p with a new id. A slug another post has gets a suffix, so
// a duplicate is kept and can be counted.
func (s *Server) newPost(p Post) *Post {
	p.ID = s.objectID()
	if p.Slug == "" {
		p.Slug = slugify(p.Title)
	}
	for base, n := p.Slug, 1; s.slugTaken(p.Slug, ""); n++ {
		p.Slug = fmt.Sprintf("%s-%d", base, n)
	}
	if p.PublishedAt.IsZero() {
		p.PublishedAt = s.clock.Now()
	}
	p.URL = PublicationURL + "/" + p.Slug
	s.posts = append(s.posts, &p)
	return &p
}

func (s *Server) slugTaken(slug, except string) bool {
	return slices.ContainsFunc(s.posts, func(p *Post) bool { return p.Slug == slug && p.ID != except })
}

func (s *Server) objectID() string {
	s.nextID++
	return fmt.Sprintf("66%022x", s.nextID)
}

// postFromInput applies the fields an input sets (absent ones stay).
func postFromInput(p Post, in map[string]any) Post {
	if v, ok := in["title"].(string); ok {
		p.Title = v
	}
	if v, ok := in["contentMarkdown"].(string); ok {
		p.ContentMarkdown = v
	}
	if v, ok := in["slug"].(string); ok && v != "" {
		p.Slug = v
	}
	if v, ok := in["tags"]; ok {
		p.Tags = tagsFromInput(v)
	}
	if v, ok := in["publishedAt"].(string); ok {
		p.PublishedAt, _ = time.Parse(time.RFC3339Nano, v)
	}
	return p
}

func draftFromInput(d Draft, in map[string]any) Draft {
	p := postFromInput(Post{Title: d.Title, ContentMarkdown: d.ContentMarkdown, Slug: d.Slug, Tags: d.Tags, PublishedAt: d.PublishedAt}, in)
	d.Title, d.ContentMarkdown, d.Slug, d.Tags, d.PublishedAt = p.Title, p.ContentMarkdown, p.Slug, p.Tags, p.PublishedAt
	if settings, ok := in["settings"].(map[string]any); ok {
		if v, ok := settings["slugOverridden"].(bool); ok {
			d.SlugOverridden = v
		}
		if v, ok := settings["activateNewsletter"].(bool); ok {
			d.ActivateNewsletter = v
		}
	}
	return d
}

func tagsFromInput(v any) []Tag {
	list, _ := v.([]any)
	out := make([]Tag, 0, len(list))
	for _, item := range list {
		m, _ := item.(map[string]any)
		slug, _ := m["slug"].(string)
		name, _ := m["name"].(string)
		out = append(out, Tag{Slug: slug, Name: name})
	}
	return out
}

func postObject(p *Post) *object {
	return &object{typename: "Post", fields: map[string]func(map[string]any) (any, *gqlError){
		"id":   constant(p.ID),
		"slug": constant(p.Slug),
		"url":  constant(p.URL),
	}}
}

func draftObject(d *Draft) *object {
	var slug any
	if d.Slug != "" {
		slug = d.Slug
	}
	return &object{typename: "Draft", fields: map[string]func(map[string]any) (any, *gqlError){
		"id":   constant(d.ID),
		"slug": constant(slug),
	}}
}

func draftEdge(d *Draft) *object {
	return &object{typename: "DraftEdge", fields: map[string]func(map[string]any) (any, *gqlError){
		"node":   constant(draftObject(d)),
		"cursor": constant(d.ID),
	}}
}

func constant(v any) func(map[string]any) (any, *gqlError) {
	return func(map[string]any) (any, *gqlError) { return v, nil }
}

func intArg(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	}
	return 0
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify derives a slug from a title, as Hashnode does when none is given.
func slugify(title string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
}
