package care_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// docPackage is what the documentation check gathers about one directory.
type docPackage struct {
	dir      string
	name     string
	doc      bool     // some file has a package doc comment
	examples int      // Example functions in its test files
	missing  []string // exported names without a doc comment
	fields   []string // exported fields of exported structs without a comment
}

// withoutExamples are the library packages that have no runnable Example
// yet. The list may only shrink: a package listed here that gains an Example
// makes the test fail until it is taken off.
var withoutExamples = []string{}

// fieldsPending are the files (slash-separated, from the module root) whose
// exported struct fields may still lack a comment: they were being edited by
// someone else when the field rule was switched on. The list may only
// shrink: a listed file whose fields are all commented (or that is gone)
// makes the test fail until it is taken off.
var fieldsPending = []string{}

// TestDocumentation fails when an exported name of a non-test file has no doc
// comment (a type, function, method of an exported type, constant or
// variable: a comment above it, or for grouped constants and variables a
// comment at the end of its line or on its group), when a package has no
// package doc, or when a library package (not a command, not internal) has
// no runnable Example, or when an exported field of an exported struct has
// no comment (above it or at the end of its line; a comment on a line that
// declares several fields covers them all), except in the files of
// fieldsPending, whose undocumented fields are counted and logged (go test -v).
func TestDocumentation(t *testing.T) {
	pkgs := map[string]*docPackage{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			if path != "." {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) || hasIgnoreTag(f) {
			return nil
		}
		dir := filepath.Dir(path)
		test := strings.HasSuffix(path, "_test.go")
		if test && strings.HasSuffix(f.Name.Name, "_test") {
			// external test package: only its Examples count
		} else if !test {
			if pkgs[dir] == nil {
				pkgs[dir] = &docPackage{dir: dir, name: f.Name.Name}
			}
			p := pkgs[dir]
			p.doc = p.doc || (f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "")
			missing, fields := undocumented(fset, f)
			p.missing = append(p.missing, missing...)
			p.fields = append(p.fields, fields...)
			return nil
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Example") {
				if pkgs[dir] == nil {
					pkgs[dir] = &docPackage{dir: dir}
				}
				pkgs[dir].examples++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dirs := make([]string, 0, len(pkgs))
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	var noExample []string
	pending := map[string]int{} // undocumented fields per file of fieldsPending
	for _, d := range dirs {
		p := pkgs[d]
		if p.name == "" {
			continue // test files only
		}
		if !p.doc {
			t.Errorf("package %s (%s) has no package doc comment", p.name, d)
		}
		for _, m := range p.missing {
			t.Errorf("no doc comment: %s", m)
		}
		for _, f := range p.fields {
			file, _, _ := strings.Cut(f, ":")
			file = filepath.ToSlash(file)
			if slices.Contains(fieldsPending, file) {
				pending[file]++
				continue
			}
			t.Errorf("no comment on exported field: %s", f)
		}
		library := p.name != "main" && !slices.Contains(strings.Split(filepath.ToSlash(d), "/"), "internal")
		if library && p.examples == 0 {
			noExample = append(noExample, filepath.ToSlash(d))
		}
	}
	for _, d := range noExample {
		if !slices.Contains(withoutExamples, d) {
			t.Errorf("package %s has no runnable Example (add one to an example_test.go)", d)
		}
	}
	for _, d := range withoutExamples {
		if !slices.Contains(noExample, d) {
			t.Errorf("package %s is listed in withoutExamples but has an Example now (or is gone): take it off the list", d)
		}
	}
	for _, f := range fieldsPending {
		if pending[f] == 0 {
			t.Errorf("%s is listed in fieldsPending but has no undocumented exported field now (or is gone): take it off the list", f)
		} else {
			t.Logf("%s: %d exported fields without a comment (fieldsPending)", f, pending[f])
		}
	}
}

// hasIgnoreTag reports whether f is excluded from every build (//go:build ignore).
func hasIgnoreTag(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.TrimSpace(c.Text) == "//go:build ignore" {
				return true
			}
		}
	}
	return false
}

// undocumented lists the exported names declared in f without a doc comment,
// and separately the exported fields of exported structs without a comment,
// as "file:line: name".
func undocumented(fset *token.FileSet, f *ast.File) (names, fields []string) {
	at := func(pos token.Pos, name string) string {
		p := fset.Position(pos)
		return p.Filename + ":" + strconv.Itoa(p.Line) + ": " + name
	}
	miss := func(pos token.Pos, name string) { names = append(names, at(pos, name)) }
	has := func(cgs ...*ast.CommentGroup) bool {
		for _, cg := range cgs {
			if cg != nil && strings.TrimSpace(cg.Text()) != "" {
				return true
			}
		}
		return false
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue // a method of an unexported type is not part of the API
				}
				name = recv + "." + name
			}
			if !has(d.Doc) {
				miss(d.Pos(), name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					if !has(s.Doc, s.Comment, d.Doc) {
						miss(s.Pos(), s.Name.Name)
					}
					if st, ok := s.Type.(*ast.StructType); ok {
						for _, fl := range st.Fields.List {
							for _, n := range fl.Names {
								if n.IsExported() && !has(fl.Doc, fl.Comment) {
									fields = append(fields, at(n.Pos(), s.Name.Name+"."+n.Name))
								}
							}
						}
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() && !has(s.Doc, s.Comment, d.Doc) {
							miss(n.Pos(), n.Name)
						}
					}
				}
			}
		}
	}
	return names, fields
}

// receiverName returns the type name of a method receiver (T, *T, T[K], *T[K]).
func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

func TestUndocumented(t *testing.T) {
	const src = `package p

// Documented is documented.
type Documented struct {
	A int // a
	B int
	c int
	// D is documented above.
	D    int
	E, F int // one comment covers both
	G, h int
}

type Bare int

// Grouped constants share their group's comment.
const (
	One = 1
	Two = 2
)

const Lone = 3

var (
	Described = 1 // at the end of its line
	Silent    = 2
)

// F is documented.
func F() {}

func G() {}

func (Bare) M() {}

func (Documented) N() {}

type hidden struct{}

func (hidden) Exported() {}

func unexported() {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	names, fields := undocumented(fset, f)
	want := []string{"p.go:14: Bare", "p.go:22: Lone", "p.go:26: Silent", "p.go:32: G", "p.go:34: Bare.M", "p.go:36: Documented.N"}
	if !slices.Equal(names, want) {
		t.Errorf("undocumented names = %q, want %q", names, want)
	}
	if want := []string{"p.go:6: Documented.B", "p.go:11: Documented.G"}; !slices.Equal(fields, want) {
		t.Errorf("undocumented fields = %q, want %q", fields, want)
	}
}
