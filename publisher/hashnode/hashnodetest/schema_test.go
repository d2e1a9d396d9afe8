package hashnodetest

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// PublishedSchemaEnv names the file holding a copy of Hashnode's published
// schema for TestSubsetOfPublishedSchema.
const PublishedSchemaEnv = "HASHNODE_SCHEMA"

func TestSchemaLoads(t *testing.T) {
	s, err := Schema()
	if err != nil {
		t.Fatalf("embedded schema: %v", err)
	}
	for _, name := range []string{"PublishPostInput", "UpdatePostInput", "CreateDraftInput", "UpdateDraftInput", "PublishDraftInput", "Publication"} {
		if s.Types[name] == nil {
			t.Errorf("embedded schema lacks %s", name)
		}
	}
	if s.Query == nil || s.Mutation == nil {
		t.Errorf("embedded schema has no Query or Mutation root")
	}
}

// TestSubsetOfPublishedSchema checks every declaration of the embedded
// subset against Hashnode's published schema: each type exists with the
// same kind, each field, argument and input field exists with the same
// type, each enum value exists, and no required argument or input field of
// the published schema is missing from the subset.
func TestSubsetOfPublishedSchema(t *testing.T) {
	path := os.Getenv(PublishedSchemaEnv)
	if path == "" {
		t.Skip(PublishedSchemaEnv + " is not set, so the schema subset is not checked against Hashnode's published schema. " +
			"To check it, save schema.graphql from the public repository Hashnode/gql-skill " +
			"(skills/gql-api/references/schema.graphql) outside this repository and run " +
			PublishedSchemaEnv + "=/path/to/schema.graphql go test ./publisher/hashnode/... -run PublishedSchema")
	}
	sdl, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s=%s: %v", PublishedSchemaEnv, path, err)
	}
	published, err := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(sdl)})
	if err != nil {
		t.Fatalf("published schema %s does not load: %v", path, err)
	}
	subset, err := Schema()
	if err != nil {
		t.Fatalf("embedded schema: %v", err)
	}
	problems := compareSubset(subset, published)
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) == 0 {
		t.Logf("%d types of the subset match %s", countDeclared(subset), path)
	}
}

func TestCompareSubsetFindsDifferences(t *testing.T) {
	published := mustLoad(t, `
		scalar ObjectId
		type Query { post(id: ID!): Post }
		type Post { id: ID! slug: String! tags: [String!] }
		input PublishPostInput { publicationId: ObjectId! title: String! slug: String }
		enum Sort { ASC DESC }
	`)
	tests := []struct {
		name   string
		subset string
		want   []string // substrings, one per expected problem
	}{
		{"a true subset", `
			type Query { post(id: ID!): Post }
			type Post { id: ID! }
			input PublishPostInput { publicationId: ObjectId! title: String! }
			scalar ObjectId
			enum Sort { ASC }`, nil},
		{"unknown type", `type Query { post(id: ID!): Post } type Post { id: ID! } type Draft { id: ID! }`,
			[]string{"type Draft does not exist"}},
		{"unknown field", `type Query { post(id: ID!): Post } type Post { id: ID! url: String! }`,
			[]string{"field Post.url does not exist"}},
		{"field of another type", `type Query { post(id: ID!): Post } type Post { id: ID! slug: String }`,
			[]string{"Post.slug is String in the subset but String! in the published schema"}},
		{"list of another type", `type Query { post(id: ID!): Post } type Post { id: ID! tags: [String] }`,
			[]string{"Post.tags is [String] in the subset but [String!]"}},
		{"argument missing", `type Query { post: Post } type Post { id: ID! }`,
			[]string{"Query.post lacks the required argument id"}},
		{"unknown argument", `type Query { post(id: ID!, host: String): Post } type Post { id: ID! }`,
			[]string{"argument Query.post(host) does not exist"}},
		{"required input field missing", `type Query { post(id: ID!): Post } type Post { id: ID! }
			scalar ObjectId
			input PublishPostInput { publicationId: ObjectId! }`,
			[]string{"PublishPostInput lacks the required field title"}},
		{"enum value", `type Query { post(id: ID!): Post } type Post { id: ID! } enum Sort { ASC RANDOM }`,
			[]string{"enum value Sort.RANDOM does not exist"}},
		{"kind", `type Query { post(id: ID!): Post } type Post { id: ID! } type PublishPostInput { title: String! }`,
			[]string{"PublishPostInput is an OBJECT in the subset but an INPUT_OBJECT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compareSubset(mustLoad(t, tt.subset), published)
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func mustLoad(t *testing.T, sdl string) *ast.Schema {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: t.Name(), Input: sdl})
	if err != nil {
		t.Fatalf("load %s: %v", t.Name(), err)
	}
	return s
}

func countDeclared(s *ast.Schema) int {
	n := 0
	for _, def := range s.Types {
		if !def.BuiltIn {
			n++
		}
	}
	return n
}

// compareSubset lists, in a stable order, every declaration of subset that
// published does not have in the same form.
func compareSubset(subset, published *ast.Schema) []string {
	var out []string
	names := make([]string, 0, len(subset.Types))
	for name, def := range subset.Types {
		if !def.BuiltIn {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		def, pub := subset.Types[name], published.Types[name]
		if pub == nil {
			out = append(out, fmt.Sprintf("type %s does not exist in the published schema", name))
			continue
		}
		if def.Kind != pub.Kind {
			out = append(out, fmt.Sprintf("%s is an %s in the subset but an %s in the published schema", name, def.Kind, pub.Kind))
			continue
		}
		switch def.Kind {
		case ast.Object, ast.Interface:
			out = append(out, compareFields(def, pub)...)
		case ast.InputObject:
			out = append(out, compareInputFields(def, pub)...)
		case ast.Enum:
			for _, v := range def.EnumValues {
				if pub.EnumValues.ForName(v.Name) == nil {
					out = append(out, fmt.Sprintf("enum value %s.%s does not exist in the published schema", name, v.Name))
				}
			}
		}
	}
	return out
}

func compareFields(def, pub *ast.Definition) []string {
	var out []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		pf := pub.Fields.ForName(f.Name)
		if pf == nil {
			out = append(out, fmt.Sprintf("field %s.%s does not exist in the published schema", def.Name, f.Name))
			continue
		}
		if f.Type.String() != pf.Type.String() {
			out = append(out, fmt.Sprintf("%s.%s is %s in the subset but %s in the published schema", def.Name, f.Name, f.Type, pf.Type))
		}
		for _, a := range f.Arguments {
			pa := pf.Arguments.ForName(a.Name)
			switch {
			case pa == nil:
				out = append(out, fmt.Sprintf("argument %s.%s(%s) does not exist in the published schema", def.Name, f.Name, a.Name))
			case a.Type.String() != pa.Type.String():
				out = append(out, fmt.Sprintf("argument %s.%s(%s) is %s in the subset but %s in the published schema", def.Name, f.Name, a.Name, a.Type, pa.Type))
			}
		}
		for _, pa := range pf.Arguments {
			if pa.Type.NonNull && pa.DefaultValue == nil && f.Arguments.ForName(pa.Name) == nil {
				out = append(out, fmt.Sprintf("%s.%s lacks the required argument %s %s of the published schema", def.Name, f.Name, pa.Name, pa.Type))
			}
		}
	}
	return out
}

func compareInputFields(def, pub *ast.Definition) []string {
	var out []string
	for _, f := range def.Fields {
		pf := pub.Fields.ForName(f.Name)
		switch {
		case pf == nil:
			out = append(out, fmt.Sprintf("input field %s.%s does not exist in the published schema", def.Name, f.Name))
		case f.Type.String() != pf.Type.String():
			out = append(out, fmt.Sprintf("input field %s.%s is %s in the subset but %s in the published schema", def.Name, f.Name, f.Type, pf.Type))
		}
	}
	for _, pf := range pub.Fields {
		if pf.Type.NonNull && pf.DefaultValue == nil && def.Fields.ForName(pf.Name) == nil {
			out = append(out, fmt.Sprintf("%s lacks the required field %s %s of the published schema", def.Name, pf.Name, pf.Type))
		}
	}
	return out
}
