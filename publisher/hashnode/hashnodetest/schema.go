package hashnodetest

import (
	_ "embed"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// SchemaSDL is the schema subset the server validates requests against:
// the part of Hashnode's published schema the client uses.
//
//go:embed schema.graphql
var SchemaSDL string

// SchemaName is the source name errors from loading SchemaSDL carry.
const SchemaName = "hashnodetest/schema.graphql"

var loadSchema = sync.OnceValues(func() (*ast.Schema, error) {
	return gqlparser.LoadSchema(&ast.Source{Name: SchemaName, Input: SchemaSDL})
})

// Schema returns the parsed schema subset.
func Schema() (*ast.Schema, error) { return loadSchema() }
