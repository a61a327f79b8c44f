package otelkit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every exported identifier of the root package and otlptest (struct fields and interface methods
// included) has a doc comment that starts with its name (STYLE rule 27).
func TestExportedIdentifiersAreDocumented(t *testing.T) {
	for _, dir := range []string{".", "otlptest"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				checkDecl(t, fset, d)
			}
		}
	}
}

func checkDecl(t *testing.T, fset *token.FileSet, d ast.Decl) {
	t.Helper()
	startsWith := func(doc *ast.CommentGroup, name string) bool {
		if doc == nil {
			return false
		}
		text := doc.Text()
		return strings.HasPrefix(text, name+" ") || strings.HasPrefix(text, name+",") ||
			strings.HasPrefix(text, "Deprecated:")
	}
	switch d := d.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv.List[0].Type)) {
			return
		}
		if !startsWith(d.Doc, d.Name.Name) {
			t.Errorf("%s: %s has no doc comment starting with its name", fset.Position(d.Pos()), d.Name.Name)
		}
	case *ast.GenDecl:
		for _, sp := range d.Specs {
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				if !sp.Name.IsExported() {
					continue
				}
				doc := sp.Doc
				if doc == nil && len(d.Specs) == 1 {
					doc = d.Doc
				}
				if !startsWith(doc, sp.Name.Name) {
					t.Errorf("%s: type %s has no doc comment starting with its name", fset.Position(sp.Pos()), sp.Name.Name)
				}
				checkMembers(t, fset, sp.Name.Name, sp.Type, startsWith)
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					// A const or var in a documented group may rely on the group's comment.
					if n.IsExported() && sp.Doc == nil && d.Doc == nil {
						t.Errorf("%s: %s has no doc comment", fset.Position(n.Pos()), n.Name)
					}
				}
			}
		}
	}
}

func checkMembers(t *testing.T, fset *token.FileSet, typ string, x ast.Expr, startsWith func(*ast.CommentGroup, string) bool) {
	t.Helper()
	var fields []*ast.Field
	switch x := x.(type) {
	case *ast.StructType:
		fields = x.Fields.List
	case *ast.InterfaceType:
		fields = x.Methods.List
	}
	for _, f := range fields {
		for _, n := range f.Names {
			if n.IsExported() && !startsWith(f.Doc, n.Name) {
				t.Errorf("%s: %s.%s has no doc comment starting with its name", fset.Position(n.Pos()), typ, n.Name)
			}
		}
	}
}

func exportedRecv(x ast.Expr) bool {
	if s, ok := x.(*ast.StarExpr); ok {
		x = s.X
	}
	switch r := x.(type) {
	case *ast.IndexExpr:
		x = r.X
	case *ast.IndexListExpr:
		x = r.X
	}
	id, ok := x.(*ast.Ident)
	return ok && id.IsExported()
}
