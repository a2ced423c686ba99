package rx_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// RXJS.md maps every RxJS name to rx functions: each name it gives must be
// an exported function or type of package rx, so the table cannot point at
// something renamed or removed.
func TestRxJSTableNames(t *testing.T) {
	declared := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declared[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						declared[ts.Name.Name] = true
					}
				}
			}
		}
	}
	table, err := os.ReadFile("RXJS.md")
	if err != nil {
		t.Fatal(err)
	}
	ident := regexp.MustCompile("`([A-Z][A-Za-z0-9]*)`")
	checked := 0
	for _, line := range strings.Split(string(table), "\n") {
		cols := strings.Split(line, "|")
		if len(cols) < 4 || !strings.HasPrefix(strings.TrimSpace(cols[1]), "`") {
			continue
		}
		for _, m := range ident.FindAllStringSubmatch(cols[2], -1) {
			checked++
			if !declared[m[1]] {
				t.Errorf("RXJS.md names %s, which package rx does not declare (row %s)", m[1], strings.TrimSpace(cols[1]))
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d names checked: has the table's format changed?", checked)
	}
}
