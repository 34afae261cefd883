// Package layers holds the test that keeps tili's dependencies pointing one way:
// cmd → cli → {web, api, jobs} → service → store → crm.
package layers

import (
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
	"internal/money":           {},
	"internal/config":          {},
	"internal/store":           {"internal/crm", "internal/money"},
	"internal/store/storetest": {"internal/store"},
	"internal/service":         {"internal/crm", "internal/money", "internal/store", "internal/auth"},
	"internal/httpx":           {"internal/crm", "internal/service"},
	"internal/demo":            {"internal/crm", "internal/service"},
	"internal/web":             {"internal/crm", "internal/money", "internal/service", "internal/httpx", "internal/i18n", "internal/transfer"},
	"internal/api":             {"internal/crm", "internal/money", "internal/service", "internal/httpx"},
	"internal/jobs":            {"internal/crm", "internal/money", "internal/service"},
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
