package i18n

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

	"tili/internal/crm"
)

// errorFormatsInSource finds every literal format of a user-facing error in the packages whose errors
// reach the web pages: crm.FieldError(field, "…"), crm.Errorf(crm.Code, "…") and crm.Error{Message: "…"}.
func errorFormatsInSource(t *testing.T) map[string]string {
	t.Helper()
	codeNames := map[string]bool{"Invalid": true, "NotFound": true, "Conflict": true, "Stale": true, "Forbidden": true,
		"Unauthenticated": true, "Duplicate": true, "TooManyRequests": true}
	name := func(e ast.Expr) string {
		switch f := e.(type) {
		case *ast.Ident:
			return f.Name
		case *ast.SelectorExpr:
			return f.Sel.Name
		}
		return ""
	}
	literal := func(e ast.Expr) (string, bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	found := map[string]string{} // format → where
	fset := token.NewFileSet()
	// each of these directories and every room below it
	for _, dir := range []string{"crm", "service", "store", "web", "auth", "httpx"} {
		var files []string
		err := filepath.WalkDir(filepath.Join("..", dir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					fn := name(n.Fun)
					var format ast.Expr
					switch {
					case fn == "FieldError" && len(n.Args) >= 2:
						format = n.Args[1]
					case fn == "FieldErrorf" && len(n.Args) >= 3:
						format = n.Args[2]
					case fn == "Errorf" && len(n.Args) >= 2 && codeNames[name(n.Args[0])]:
						format = n.Args[1]
					}
					if format != nil {
						if s, ok := literal(format); ok && s != "%s" {
							found[s] = fset.Position(n.Pos()).String()
						}
					}
				case *ast.CompositeLit:
					if name(n.Type) != "Error" {
						return true
					}
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && name(kv.Key) == "Message" {
							if s, ok := literal(kv.Value); ok {
								found[s] = fset.Position(n.Pos()).String()
							}
						}
					}
				}
				return true
			})
		}
	}
	return found
}

// Every error a user can meet on a page has a Finnish translation, and every translation is of an error
// that still exists.
func TestEveryErrorHasFinnish(t *testing.T) {
	t.Parallel()
	formats := errorFormatsInSource(t)
	if len(formats) < 100 {
		t.Fatalf("found only %d error formats in the source; the scan is broken", len(formats))
	}
	var missing []string
	for f, where := range formats {
		if !HasErrorFormat(f) {
			missing = append(missing, where+": "+strconv.Quote(f))
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no Finnish in errors.fi.json for %s", m)
	}
	for en := range errorFormats {
		if _, ok := formats[en]; !ok {
			t.Errorf("errors.fi.json translates %q, which no code makes any more", en)
		}
	}
}

func TestProblemInFinnish(t *testing.T) {
	t.Parallel()
	_, err := crm.ParseBusinessID("0112038-8")
	e, _ := crm.AsError(err)
	fi := Problem(Fi, e)
	if fi.Message == e.Message || !strings.Contains(fi.Message, "0112038-8") || fi.Field != e.Field || fi.Code != e.Code {
		t.Fatalf("Finnish %+v of %+v", fi, e)
	}
	if Problem(En, e) != e {
		t.Fatal("English must be the error itself")
	}
	if got := ErrorText(Fi, os.ErrNotExist); !strings.Contains(got, "palvelimella") {
		t.Fatalf("an internal error in Finnish: %q", got)
	}
}

func TestErrorFormatVerbsMustMatch(t *testing.T) {
	t.Parallel()
	if _, err := ParseErrorFormats([]byte(`{"%q is wrong": "%d on väärin"}`)); err == nil {
		t.Fatal("a translation with other verbs was accepted")
	}
	if _, err := ParseErrorFormats([]byte(`{"%q is wrong, %d": "%q on väärin, %d"}`)); err != nil {
		t.Fatal(err)
	}
}
