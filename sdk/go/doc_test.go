package pulse_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// TestEveryExportedNameHasADocComment: GoDoc on every exported type, function, method, constant,
// variable and struct field of both packages, generated code included.
func TestEveryExportedNameHasADocComment(t *testing.T) {
	notTests := func(info fs.FileInfo) bool { return !strings.HasSuffix(info.Name(), "_test.go") }
	for _, dir := range []string{".", "webhook"} {
		fset := token.NewFileSet()
		packages, err := parser.ParseDir(fset, dir, notTests, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, pkg := range packages {
			documented := false
			for _, file := range pkg.Files {
				documented = documented || file.Doc != nil
				for _, missing := range undocumented(file) {
					t.Errorf("%s: %s has no doc comment", fset.Position(missing.Pos()), missing.Name)
				}
			}
			if !documented {
				t.Errorf("package %s has no package comment", pkg.Name)
			}
		}
	}
}

// undocumented lists a file's exported names without a doc comment. In a const or var group, a
// comment on the group or a line comment counts.
func undocumented(file *ast.File) []*ast.Ident {
	var missing []*ast.Ident
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && d.Doc == nil && exportedReceiver(d) {
				missing = append(missing, d.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && s.Doc == nil && d.Doc == nil {
						missing = append(missing, s.Name)
					}
					if st, ok := s.Type.(*ast.StructType); ok && s.Name.IsExported() {
						for _, field := range st.Fields.List {
							for _, name := range field.Names {
								if name.IsExported() && field.Doc == nil && field.Comment == nil {
									missing = append(missing, name)
								}
							}
						}
					}
				case *ast.ValueSpec:
					for _, name := range s.Names {
						if name.IsExported() && s.Doc == nil && s.Comment == nil && d.Doc == nil {
							missing = append(missing, name)
						}
					}
				}
			}
		}
	}
	return missing
}

// exportedReceiver: a method of an unexported type needs no doc (godoc does not show it).
func exportedReceiver(d *ast.FuncDecl) bool {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return true
	}
	expr := d.Recv.List[0].Type
	for {
		switch e := expr.(type) {
		case *ast.StarExpr:
			expr = e.X
		case *ast.IndexExpr:
			expr = e.X
		case *ast.Ident:
			return e.IsExported()
		default:
			return true
		}
	}
}
