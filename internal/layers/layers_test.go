// Package layers holds the test that keeps tili's dependencies pointing one way:
// cmd → cli → {web, api, jobs} → service → store → crm.
package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// allowed lists, for each package (a path under the module), the tili packages its non-test code may
// import. A package not listed may import nothing of tili's.
var allowed = map[string][]string{
	"cmd/tili":                 {"internal/cli"},
	"internal/cli":             {"*"}, // the composition root wires everything
	"internal/crm":             {},
	"internal/clock":           {},
	"internal/money":           {},
	"internal/config":          {},
	"internal/store":           {"internal/crm", "internal/money", "internal/clock"},
	"internal/store/storetest": {"internal/store"},
	"internal/service":         {"internal/crm", "internal/money", "internal/store", "internal/auth", "internal/clock"},
	"internal/httpx":           {"internal/crm", "internal/service", "internal/clock"},
	"internal/demo":            {"internal/crm", "internal/service"},
	"internal/web":             {"internal/crm", "internal/money", "internal/service", "internal/httpx", "internal/i18n", "internal/transfer", "internal/clock"},
	"internal/api":             {"internal/crm", "internal/money", "internal/service", "internal/httpx", "internal/clock"},
	"internal/jobs":            {"internal/crm", "internal/money", "internal/service", "internal/clock"},
	"internal/auth":            {"internal/crm"},
	"internal/i18n":            {"internal/crm", "internal/money"},
	"internal/docs":            {"internal/crm", "internal/money"},
	"internal/transfer":        {"internal/crm", "internal/money"},
	"internal/email":           {"internal/crm", "internal/money"},
	"internal/testutil":        {"*"},
}

func TestImportDirection(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rules, known := allowed[rel]
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(p, "tili/") {
				continue
			}
			target := strings.TrimPrefix(p, "tili/")
			checked++
			if !known {
				t.Errorf("%s imports %s, but package %s has no import rule; add it to the table in layers_test.go", path, p, rel)
				continue
			}
			if !permits(rules, target) {
				t.Errorf("%s imports %s: %s may import only %v", path, p, rel, rules)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no imports of tili packages found: is the module root where the test expects it?")
	}
}

func permits(rules []string, target string) bool {
	for _, r := range rules {
		if r == "*" || r == target {
			return true
		}
	}
	return false
}

func TestPermits(t *testing.T) {
	if permits(allowed["internal/web"], "internal/store") {
		t.Fatal("web may not import store")
	}
	if !permits(allowed["internal/service"], "internal/store") {
		t.Fatal("service may import store")
	}
	if _, err := os.Stat("../../go.mod"); err != nil {
		t.Fatal("the test must run two levels below the module root")
	}
}

// timeCalls are the functions of the time package that read or wait for the clock; tili's code asks its
// clock.Clock instead, so tests can move time.
var timeCalls = map[string]bool{"Now": true, "Since": true, "Until": true, "After": true, "Tick": true,
	"NewTicker": true, "NewTimer": true, "AfterFunc": true, "Sleep": true}

// clockExempt are the places that may read the machine's clock directly: the clock itself, and the
// request log, whose durations are the machine's by nature.
var clockExempt = map[string]bool{"internal/clock": true, "internal/httpx.logRequests": true}

// TestOneClock fails on a call of time.Now, time.Since, time.After and their kin outside the clock.
func TestOneClock(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	scanned := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if clockExempt[pkg] || strings.HasPrefix(pkg, "tools/") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		scanned++
		timeName := ""
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, `"`) == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" {
			return nil
		}
		for _, decl := range f.Decls {
			fn, _ := decl.(*ast.FuncDecl)
			if fn != nil && clockExempt[pkg+"."+fn.Name.Name] {
				continue
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && timeCalls[sel.Sel.Name] {
					t.Errorf("%s: time.%s reads the machine's clock; use the clock.Clock tili passes down (internal/clock)",
						fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 50 {
		t.Fatalf("scanned only %d files: is the module root where the test expects it?", scanned)
	}
}
