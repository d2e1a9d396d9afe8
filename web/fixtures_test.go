package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/godevcommunity/newsletter/publisher"
)

// publisherFixtureFiles are the publisher's test files whose articles
// carry the seed newsletter's defects and the hostile fields the renderer
// is tested with; the desk's pages are fed the same.
var publisherFixtureFiles = []string{"fixtures_test.go", "seed_defects_test.go", "html_test.go"}

// publisherFixtures reads every Article literal of the publisher's test
// files (named variables and the elements of []Article literals), as the
// Go compiler would evaluate their string fields: literals, "+" and the
// files' string constants. Reading them keeps the desk's escaping tests on
// the publisher's fixtures as those grow.
func publisherFixtures(t testing.TB) []publisher.Article {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range publisherFixtureFiles {
		f, err := parser.ParseFile(fset, filepath.Join("..", "publisher", name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	consts := map[string]ast.Expr{}
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							consts[n.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	var eval func(ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		case *ast.BinaryExpr:
			if e.Op != token.ADD {
				return "", false
			}
			a, ok1 := eval(e.X)
			b, ok2 := eval(e.Y)
			return a + b, ok1 && ok2
		case *ast.ParenExpr:
			return eval(e.X)
		case *ast.Ident:
			if c, ok := consts[e.Name]; ok {
				return eval(c)
			}
		}
		return "", false
	}
	var out []publisher.Article
	article := func(lit *ast.CompositeLit) {
		var a publisher.Article
		v := reflect.ValueOf(&a).Elem()
		var fields func(lit *ast.CompositeLit)
		fields = func(lit *ast.CompositeLit) {
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok := kv.Key.(*ast.Ident)
				if !ok {
					continue
				}
				if inner, ok := kv.Value.(*ast.CompositeLit); ok && key.Name == "Sections" {
					fields(inner) // the embedded entry.Sections
				} else if s, ok := eval(kv.Value); ok {
					if f := v.FieldByName(key.Name); f.IsValid() && f.Kind() == reflect.String {
						f.SetString(s)
					}
				}
			}
		}
		fields(lit)
		if a.TitleKo != "" || a.Summary != "" {
			out = append(out, a)
		}
	}
	isArticle := func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == "Article" }
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if isArticle(lit.Type) {
				article(lit)
				return false
			}
			if at, ok := lit.Type.(*ast.ArrayType); ok && isArticle(at.Elt) {
				for _, el := range lit.Elts {
					if inner, ok := el.(*ast.CompositeLit); ok && inner.Type == nil {
						article(inner)
					}
				}
				return false
			}
			return true
		})
	}
	if len(out) < 10 {
		t.Fatalf("read %d articles from the publisher's fixtures, want at least 10: has their form changed?", len(out))
	}
	return out
}

// hostileGolden is the publisher's hostile article block as published.
func hostileGolden(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "publisher", "testdata", "article_hostile_fields.golden"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hostileStrings try to break out of every place a string lands in a
// page: element content, attribute values quoted either way, URLs,
// textareas and scripts.
var hostileStrings = []string{
	`<script>alert("s")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(1)' x='`,
	`</textarea><script>alert(2)</script>`,
	`</title><svg onload=alert(3)>`,
	`javascript:alert(4)`,
	`<a href="javascript:alert(5)">클릭</a>`,
	`<iframe src="data:text/html,<script>alert(6)</script>"></iframe>`,
	"{{.L.Actor}} ${alert(7)} `백틱`",
}
