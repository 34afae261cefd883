package web_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tili/internal/app"
	"tili/internal/i18n"
	"tili/internal/store/storetest"
	"tili/internal/web"
)

var (
	// templateKeyRE finds the literal message keys of a template: {{.T "key"}}, {{$.N "key" n}}.
	templateKeyRE = regexp.MustCompile(`\b[TN] "([a-z][a-z0-9_.]*[a-z0-9_])"`)
	// goKeyRE finds the literal message keys of Go code: pg.T("key"), pg.N("key", n), a navigation
	// entry's Label, a form's NewTitle, and the field labels of export headers.
	goKeyRE = regexp.MustCompile(`\.[TN]\("([a-z][a-z0-9_.]*[a-z0-9_])"|(?:Label|NewTitle): "([a-z][a-z0-9_.]*[a-z0-9_])"|"(field\.[a-z0-9_.]*[a-z0-9_])"`)
)

// Every template of the core and of every room, found by walking the tree, is a page the server
// parsed (or a partial of one), every literal text a template or a room's code asks for is in the
// catalog in both languages, and every room's catalog on disk is loaded: nothing escapes the checks of
// the test that renders every page by being in a room the server was not given.
func TestEveryTemplateParsedAndSpoken(t *testing.T) {
	t.Parallel()
	pages, err := web.New(web.Options{Services: newApp(t, storetest.SQLite(t)).Svc, Rooms: app.WebRooms()})
	if err != nil {
		t.Fatal(err)
	}
	cat := pages.Catalog()
	parsed := pages.PageNames()
	var onDisk []string
	keys := map[string]string{} // key → where it is asked for
	catalogs := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		room := strings.Split(filepath.ToSlash(path), "/")[0]
		switch {
		case strings.HasSuffix(path, ".html") && filepath.Base(filepath.Dir(path)) == "templates":
			if name := strings.TrimSuffix(d.Name(), ".html"); !strings.HasPrefix(name, "_") {
				if room != "templates" {
					name = room + "/" + name
				}
				onDisk = append(onDisk, name)
			}
			collectKeys(t, path, templateKeyRE, keys)
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			collectKeys(t, path, goKeyRE, keys)
		case d.Name() == "messages.fi.json" || d.Name() == "messages.en.json":
			catalogs++
			checkCatalogLoaded(t, cat, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(onDisk)
	slices.Sort(parsed)
	if !slices.Equal(onDisk, parsed) {
		t.Errorf("the page templates on disk are not the pages the server parsed (is a room missing from app.WebRooms, or its templates from its embed?)\non disk: %v\nparsed:  %v", onDisk, parsed)
	}
	if len(onDisk) < 20 || len(keys) < 200 || catalogs < 2*8 {
		t.Fatalf("found only %d page templates, %d message keys and %d catalogs: is the walk broken?", len(onDisk), len(keys), catalogs)
	}
	for key, where := range keys {
		if !cat.Has(key) {
			t.Errorf("%s asks for the text %q, which no catalog has", where, key)
		}
	}
}

// collectKeys adds the message keys that re finds in the file at path.
func collectKeys(t *testing.T, path string, re *regexp.Regexp, keys map[string]string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range re.FindAllSubmatch(src, -1) {
		for _, key := range m[1:] {
			if len(key) > 0 {
				keys[string(key)] = path
			}
		}
	}
}

// checkCatalogLoaded fails when a key of the catalog file at path is not in the server's catalog.
func checkCatalogLoaded(t *testing.T, cat *i18n.Catalog, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var texts map[string]string
	if err := json.Unmarshal(data, &texts); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for key := range texts {
		if !cat.Has(key) {
			t.Errorf("%s has %q, but the server's catalog does not: is its room missing from app.WebRooms?", path, key)
			return
		}
	}
}
