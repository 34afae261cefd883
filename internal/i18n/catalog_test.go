package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// load loads the catalogs tili runs with: the web core's and those of its rooms, kept beside their code
// and found by walking the source tree, so that none escapes the checks.
func load(t *testing.T) *Catalog {
	t.Helper()
	var parts []Messages
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if dir := filepath.Dir(path); d.Name() == fileName(Fi) {
			name, _ := filepath.Rel("..", dir)
			parts = append(parts, Messages{Name: filepath.ToSlash(name), Files: os.DirFS(dir)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) == 0 {
		t.Fatal("no catalogs found beside the code; is the source tree where the test expects it?")
	}
	c, err := Load(parts...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// Load merges the catalogs of the parts into one, and refuses a key defined twice, a part whose
// languages differ, and a part with only one language's file.
func TestLoadParts(t *testing.T) {
	t.Parallel()
	part := func(name string, files map[string]string) Messages {
		fsys := fstest.MapFS{}
		for n, data := range files {
			fsys[n] = &fstest.MapFile{Data: []byte(data)}
		}
		return Messages{Name: name, Files: fsys}
	}
	c, err := Load(part("web", map[string]string{"messages.fi.json": `{"nav.home": "Tänään"}`, "messages.en.json": `{"nav.home": "Today"}`}),
		part("web/a", map[string]string{"messages.fi.json": `{"a.x": "Hei {name}"}`, "messages.en.json": `{"a.x": "Hi {name}"}`}),
		part("web/empty", nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T(En, "a.x", "name", "Anna"); got != "Hi Anna" {
		t.Errorf("a part's message: %q", got)
	}
	if got := c.T(Fi, "nav.home"); got != "Tänään" {
		t.Errorf("another part's message beside it: %q", got)
	}
	if got := c.Keys(); !slices.Equal(got, []string{"a.x", "nav.home"}) {
		t.Errorf("keys %q", got)
	}
	for _, tt := range []struct {
		name  string
		parts []Messages
		want  []string
	}{
		{"a key of two parts",
			[]Messages{part("web/a", map[string]string{"messages.fi.json": `{"x": "X"}`, "messages.en.json": `{"x": "X"}`}),
				part("web/b", map[string]string{"messages.fi.json": `{"x": "X"}`, "messages.en.json": `{"x": "X"}`})},
			[]string{`key "x" is defined by both web/a and web/b`}},
		{"a key missing in one language",
			[]Messages{part("web/a", map[string]string{"messages.fi.json": `{"x": "X", "y": "Y"}`, "messages.en.json": `{"x": "X"}`})},
			[]string{`web/a: key "y" is missing from messages.en.json`}},
		{"one language's file only",
			[]Messages{part("web/a", map[string]string{"messages.fi.json": `{"x": "X"}`})},
			[]string{`web/a: key "x" is missing from messages.en.json`}},
		{"a broken file",
			[]Messages{part("web/a", map[string]string{"messages.fi.json": `{"x": }`, "messages.en.json": `{}`})},
			[]string{`web/a: messages.fi.json:1: not valid JSON`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.parts...)
			if err == nil {
				t.Fatalf("Load accepted the catalogs; want an error with %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadRealCatalogs(t *testing.T) {
	t.Parallel()
	c := load(t)
	keys := c.Keys()
	if !slices.IsSorted(keys) {
		t.Errorf("Keys not sorted: %q", keys)
	}
	// The starter messages the navigation, buttons and sign-in pages rely on.
	want := map[string][2]string{
		"nav.home":       {"Tänään", "Today"},
		"nav.companies":  {"Yritykset", "Companies"},
		"nav.people":     {"Henkilöt", "People"},
		"nav.search":     {"Haku", "Search"},
		"nav.admin":      {"Ylläpito", "Admin"},
		"nav.settings":   {"Asetukset", "Settings"},
		"action.save":    {"Tallenna", "Save"},
		"action.cancel":  {"Peruuta", "Cancel"},
		"action.edit":    {"Muokkaa", "Edit"},
		"action.delete":  {"Poista", "Delete"},
		"action.restore": {"Palauta", "Restore"},
		"sign.in":        {"Kirjaudu sisään", "Sign in"},
		"sign.out":       {"Kirjaudu ulos", "Sign out"},
	}
	for key, texts := range want {
		if !slices.Contains(keys, key) {
			t.Errorf("Keys lacks %q", key)
		}
		if got := c.T(Fi, key); got != texts[0] {
			t.Errorf("T(fi, %q) = %q, want %q", key, got, texts[0])
		}
		if got := c.T(En, key); got != texts[1] {
			t.Errorf("T(en, %q) = %q, want %q", key, got, texts[1])
		}
	}
	// Keys returns a copy: a caller cannot change the catalog.
	keys[0] = "changed"
	if c.Keys()[0] == "changed" {
		t.Error("Keys returned the catalog's own slice")
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	c := load(t)
	tests := []struct {
		name string
		l    Lang
		key  string
		args []any
		want string
	}{
		{"placeholder fi", Fi, "greeting", []any{"name", "Sanna"}, "Hei Sanna!"},
		{"placeholder en", En, "greeting", []any{"name", "Sanna"}, "Hello Sanna!"},
		{"non-string value", En, "greeting", []any{"name", 42}, "Hello 42!"},
		{"extra args ignored", Fi, "greeting", []any{"x", 1, "name", "Ari"}, "Hei Ari!"},
		{"value is not expanded again", Fi, "greeting", []any{"name", "{name}"}, "Hei {name}!"},
		{"missing value stays visible", Fi, "greeting", nil, "Hei {name}!"},
		{"odd args: the dangling name is ignored", Fi, "greeting", []any{"name"}, "Hei {name}!"},
		{"missing key", Fi, "no.such.key", nil, "!no.such.key!"},
		{"missing key en", En, "nav.nope", nil, "!nav.nope!"},
		{"unknown language gets Finnish", Lang("sv"), "nav.home", nil, "Tänään"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(tt.l, tt.key, tt.args...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestN(t *testing.T) {
	t.Parallel()
	c := load(t)
	tests := []struct {
		key    string
		n      int
		fi, en string
	}{
		{"companies.count", 0, "0 yritystä", "0 companies"},
		{"companies.count", 1, "1 yritys", "1 company"},
		{"companies.count", 2, "2 yritystä", "2 companies"},
		{"companies.count", 21, "21 yritystä", "21 companies"},
		{"companies.count", 1234, "1\u00a0234 yritystä", "1,234 companies"},
		{"people.count", 0, "0 henkilöä", "0 people"},
		{"people.count", 1, "1 henkilö", "1 person"},
		{"people.count", 2, "2 henkilöä", "2 people"},
		{"people.count", 21, "21 henkilöä", "21 people"},
		{"no.such", 1, "!no.such.one!", "!no.such.one!"},
		{"no.such", 5, "!no.such.other!", "!no.such.other!"},
	}
	for _, tt := range tests {
		if got := c.N(Fi, tt.key, tt.n); got != tt.fi {
			t.Errorf("N(fi, %q, %d) = %q, want %q", tt.key, tt.n, got, tt.fi)
		}
		if got := c.N(En, tt.key, tt.n); got != tt.en {
			t.Errorf("N(en, %q, %d) = %q, want %q", tt.key, tt.n, got, tt.en)
		}
	}
	// {n} is N's own: an argument called n does not replace it.
	if got := c.N(En, "people.count", 3, "n", "many"); got != "3 people" {
		t.Errorf("N with an n argument = %q, want %q", got, "3 people")
	}
}

func TestHas(t *testing.T) {
	t.Parallel()
	c := load(t)
	for key, want := range map[string]bool{
		"nav.home":              true,
		"companies.count":       true, // a plural, as N takes it
		"companies.count.one":   true,
		"companies.count.other": true,
		"companies":             false,
		"nav":                   false,
		"no.such.key":           false,
	} {
		if got := c.Has(key); got != want {
			t.Errorf("Has(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fi, en map[string]string
		want   []string // substrings of the error; none: no error
	}{
		{"same keys and placeholders",
			map[string]string{"a": "A", "g": "Hei {name}!", "c.one": "{n} yritys", "c.other": "{n} yritystä"},
			map[string]string{"a": "A", "g": "Hello {name}!", "c.one": "{n} company", "c.other": "{n} companies"},
			nil},
		{"placeholder order and repetition may differ",
			map[string]string{"m": "{b} ja {a}, {a}"},
			map[string]string{"m": "{a} and {b}"},
			nil},
		{"a lone .other is an ordinary key",
			map[string]string{"filter.other": "Muu"},
			map[string]string{"filter.other": "Other"},
			nil},
		{"key missing in English",
			map[string]string{"a": "A", "b": "B"},
			map[string]string{"a": "A"},
			[]string{`key "b" is missing from messages.en.json`}},
		{"key missing in Finnish",
			map[string]string{"a": "A"},
			map[string]string{"a": "A", "nav.x": "X"},
			[]string{`key "nav.x" is missing from messages.fi.json`}},
		{"placeholder renamed",
			map[string]string{"g": "Hei {nimi}!"},
			map[string]string{"g": "Hello {name}!"},
			[]string{`key "g": placeholders differ`, "{nimi}", "{name}"}},
		{"placeholder only in one language",
			map[string]string{"c.one": "yksi yritys", "c.other": "{n} yritystä"},
			map[string]string{"c.one": "{n} company", "c.other": "{n} companies"},
			[]string{`key "c.one": placeholders differ`, "no placeholders"}},
		{"plural without other",
			map[string]string{"c.one": "{n} yritys"},
			map[string]string{"c.one": "{n} company"},
			[]string{`plural key "c.one" has no "c.other"`}},
		{"malformed placeholder",
			map[string]string{"g": "Hei {nimi }!"},
			map[string]string{"g": "Hello {name}!"},
			[]string{`key "g" in messages.fi.json: a malformed placeholder`}},
		{"unclosed placeholder",
			map[string]string{"g": "Hei {name}!"},
			map[string]string{"g": "Hello {name!"},
			[]string{`key "g" in messages.en.json: a malformed placeholder`}},
		{"lone closing brace",
			map[string]string{"g": "Hei name}!"},
			map[string]string{"g": "Hello name}!"},
			[]string{`key "g" in messages.fi.json: a lone "}"`, `key "g" in messages.en.json: a lone "}"`}},
		{"every problem is reported",
			map[string]string{"a": "A", "g": "{x}"},
			map[string]string{"b": "B", "g": "{y}"},
			[]string{`"a" is missing from messages.en.json`, `"b" is missing from messages.fi.json`, `key "g": placeholders differ`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.fi, tt.en)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("check: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("check accepted the catalogs; want an error with %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseFile(t *testing.T) {
	t.Parallel()
	m, err := parseFile("messages.fi.json", []byte("{\n  \"a\": \"A\",\n  \"g\": \"Hei {name}!\"\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m["a"] != "A" || m["g"] != "Hei {name}!" {
		t.Errorf("parsed %q", m)
	}

	bad := []struct {
		name, data, want string
	}{
		{"not JSON", "{\n  \"a\": \"A\",\n  \"b\" \"B\"\n}", "messages.fi.json:3: not valid JSON"},
		{"truncated", "{\"a\": \"A\",", "not valid JSON"},
		{"empty file", "", "not valid JSON"},
		{"array", `["a", "b"]`, "want a JSON object"},
		{"number text", `{"n": 5}`, `key "n": the text must be a JSON string`},
		{"nested object", `{"nav": {"home": "Tänään"}}`, `key "nav": the text must be a JSON string`},
		{"repeated key", "{\n\"a\": \"A\",\n\"a\": \"B\"\n}", `messages.fi.json:3: key "a" appears twice`},
		{"empty key", `{"": "x"}`, "empty key"},
		{"trailing content", `{"a": "A"} {"b": "B"}`, "unexpected content after the object"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFile("messages.fi.json", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseFile: %v; want an error with %q", err, tt.want)
			}
		})
	}
}
