package hashnode_test

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
)

// TestDocumentsValidateAgainstSubset checks each document the client sends
// against the fake's schema subset, without a server.
func TestDocumentsValidateAgainstSubset(t *testing.T) {
	schema, err := hashnodetest.Schema()
	if err != nil {
		t.Fatal(err)
	}
	checkDocuments(t, schema)
}

// TestDocumentsValidateAgainstPublishedSchema checks each document against
// Hashnode's own published schema, when a copy of it is at $HASHNODE_SCHEMA.
func TestDocumentsValidateAgainstPublishedSchema(t *testing.T) {
	path := os.Getenv("HASHNODE_SCHEMA")
	if path == "" {
		t.Skip("HASHNODE_SCHEMA is not set, so the client's documents are not checked against Hashnode's published schema. " +
			"To check them, save schema.graphql from the public repository Hashnode/gql-skill " +
			"(skills/gql-api/references/schema.graphql) outside this repository and run " +
			"HASHNODE_SCHEMA=/path/to/schema.graphql go test ./publisher/hashnode/... -run PublishedSchema")
	}
	sdl, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("HASHNODE_SCHEMA=%s: %v", path, err)
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(sdl)})
	if err != nil {
		t.Fatalf("published schema %s does not load: %v", path, err)
	}
	checkDocuments(t, schema)
}

func checkDocuments(t *testing.T, schema *ast.Schema) {
	t.Helper()
	docs := hashnode.Documents()
	if len(docs) != 8 {
		t.Errorf("%d documents, want 8 (three queries, five mutations)", len(docs))
	}
	for name, query := range docs {
		if _, errs := gqlparser.LoadQueryWithRules(schema, query, nil); len(errs) > 0 {
			t.Errorf("%s does not validate: %v", name, errs)
		}
	}
}
