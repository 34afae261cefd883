// Package layers holds the test that keeps tili's dependencies pointing one way:
// cmd → cli → app → {web rooms → web core, api rooms → api core, jobs} → services → service rooms →
// service core → store rooms → store core → crm.
package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rules say, for each package, the tili packages its non-test code may import. A package pattern ending in
// "/*" stands for every package directly below it (the rooms of a layer); so does an import pattern.
// "$room" in an import pattern is the package's own room name: a service module may import its own store
// module. A package that matches no rule may import nothing of tili's; the first rule that matches wins.
var rules = []struct {
	pkg string
	may []string
}{
	{"cmd/tili", []string{"internal/cli"}},
	{"internal/app", []string{"*"}}, // the composition root wires everything
	{"internal/testutil", []string{"*"}},
	{"internal/cli", []string{"internal/app", "internal/config", "internal/crm", "internal/clock", "internal/service", "internal/services", "internal/service/*", "internal/store", "internal/demo", "internal/httpx"}},
	{"internal/crm", nil},
	{"internal/clock", nil},
	{"internal/money", nil},
	{"internal/config", nil},
	// the store core, and its rooms: each room only the core
	{"internal/store", []string{"internal/crm", "internal/money", "internal/clock"}},
	{"internal/store/storetest", []string{"internal/store", "internal/store/*", "internal/crm"}},
	{"internal/store/*", []string{"internal/store", "internal/crm", "internal/money"}},
	// the service core, and its rooms: each room the core, its own store room and the rooms before it
	// in serviceOrder
	{"internal/service", []string{"internal/crm", "internal/money", "internal/clock", "internal/auth", "internal/store"}},
	{"internal/service/*", []string{"internal/service", "internal/store", "internal/store/$room", "internal/crm", "internal/money", "internal/clock", "internal/auth"}},
	{"internal/services", []string{"internal/service", "internal/service/*", "internal/store", "internal/store/*"}},
	// the doors: services, never stores
	{"internal/httpx", []string{"internal/crm", "internal/clock", "internal/service", "internal/service/signin"}},
	{"internal/demo", []string{"internal/crm", "internal/service", "internal/services"}},
	// the web core, and its rooms: each room the core and the services, never another room
	{"internal/web", []string{"internal/crm", "internal/money", "internal/clock", "internal/service", "internal/services", "internal/service/*", "internal/httpx", "internal/i18n", "internal/transfer"}},
	{"internal/web/*", []string{"internal/web", "internal/crm", "internal/money", "internal/clock", "internal/service", "internal/services", "internal/service/*", "internal/httpx", "internal/i18n", "internal/transfer"}},
	// the API core, and its rooms: each room the core, never another room (the composition root lists them)
	{"internal/api", []string{"internal/crm", "internal/money", "internal/clock", "internal/service", "internal/services", "internal/service/*", "internal/httpx"}},
	{"internal/api/*", []string{"internal/api", "internal/crm", "internal/money", "internal/clock", "internal/service", "internal/services", "internal/service/*", "internal/httpx"}},
	{"internal/jobs", []string{"internal/crm", "internal/money", "internal/clock", "internal/service", "internal/service/*"}},
	// leaf libraries
	{"internal/auth", []string{"internal/crm"}},
	{"internal/i18n", []string{"internal/crm", "internal/money"}},
	{"internal/docs", []string{"internal/crm", "internal/money"}},
	{"internal/transfer", []string{"internal/crm", "internal/money"}},
	{"internal/email", []string{"internal/crm", "internal/money"}},
}

// serviceOrder is the one order of the service rooms: a room may import the rooms before it, never one
// after it. Steps that would need a later room go through the kind registry's hooks instead.
var serviceOrder = []string{"accounts", "contacts", "signin", "users", "sharing", "views", "search", "history"}

// match tells whether the path matches the pattern, and the room name ("/*" matched) if any.
func match(pattern, path string) (bool, string) {
	if pattern == "*" || pattern == path {
		return true, ""
	}
	if base, ok := strings.CutSuffix(pattern, "/*"); ok {
		room, found := strings.CutPrefix(path, base+"/")
		if found && room != "" && !strings.Contains(room, "/") {
			return true, room
		}
	}
	return false, ""
}

// allows tells whether package pkg may import target, and the rule that decided (nil: no rule).
func allows(pkg, target string) (bool, []string) {
	for _, r := range rules {
		ok, room := match(r.pkg, pkg)
		if !ok {
			continue
		}
		for _, m := range r.may {
			m = strings.ReplaceAll(m, "$room", room)
			if ok, _ := match(m, target); ok {
				return true, r.may
			}
		}
		if r.pkg == "internal/service/*" {
			if ok, _ := match("internal/service/*", target); ok {
				return earlier(target, pkg), r.may
			}
		}
		return false, r.may
	}
	return false, nil
}

// earlier tells whether service room a comes before service room b in serviceOrder.
func earlier(a, b string) bool {
	ia := slices.Index(serviceOrder, strings.TrimPrefix(a, "internal/service/"))
	ib := slices.Index(serviceOrder, strings.TrimPrefix(b, "internal/service/"))
	return ia >= 0 && ib >= 0 && ia < ib
}

func TestImportDirection(t *testing.T) {
	t.Parallel()
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
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(p, "tili/") {
				continue
			}
			target := strings.TrimPrefix(p, "tili/")
			checked++
			ok, may := allows(rel, target)
			switch {
			case may == nil && !ok:
				t.Errorf("%s imports %s, but package %s has no import rule; add one to the rules in layers_test.go", path, p, rel)
			case !ok:
				t.Errorf("%s imports %s: %s may import only %v (service rooms only the rooms before them: %v)", path, p, rel, may, serviceOrder)
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

// The rules must be able to refuse: these edges are the ones the layout forbids.
func TestRulesRefuse(t *testing.T) {
	t.Parallel()
	for _, e := range []struct {
		pkg, target string
		ok          bool
	}{
		{"internal/web", "internal/store", false},
		{"internal/api/companies", "internal/store/accounts", false},
		{"internal/api/companies", "internal/api/people", false}, // another API room
		{"internal/api/companies", "internal/api", true},
		{"internal/api", "internal/api/companies", false}, // the core registers the rooms it is handed
		{"internal/store/contacts", "internal/store/accounts", false},
		{"internal/service/accounts", "internal/service/contacts", false}, // a later room
		{"internal/service/contacts", "internal/service/accounts", true},
		{"internal/service/contacts", "internal/store/contacts", true},
		{"internal/service/contacts", "internal/store/accounts", false}, // another room's store
		{"internal/web/companies", "internal/app", false},
		{"internal/web/people", "internal/web", true},                // a web room builds on the web core
		{"internal/web/people", "internal/web/companies", false},     // never on another room
		{"internal/web/companies", "internal/store/accounts", false}, // nor on a store
		{"internal/web", "internal/web/companies", false},            // the core knows no room
		{"internal/service", "internal/service/accounts", false},
		{"internal/cli", "internal/app", true},
	} {
		if ok, _ := allows(e.pkg, e.target); ok != e.ok {
			t.Errorf("%s importing %s: allowed %v, want %v", e.pkg, e.target, ok, e.ok)
		}
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
// request log, whose durations are the machine's by nature. The development tools (tools/) and the
// measuring programs (bench/) are not tili and time the machine.
var clockExempt = map[string]bool{"internal/clock": true, "internal/httpx.logRequests": true}

// TestOneClock fails on a call of time.Now, time.Since, time.After and their kin outside the clock.
func TestOneClock(t *testing.T) {
	t.Parallel()
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
		if clockExempt[pkg] || strings.HasPrefix(pkg, "tools/") || strings.HasPrefix(pkg, "bench/") {
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
