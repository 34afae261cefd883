package i18n

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"
)

// Catalog holds every message of every language. Its catalogs are plain JSON kept beside the code that
// speaks them (the web core's shared messages, each web room's own), so that adding a message is editing
// two files there; Load merges and checks them, and the tests run Load. It is built once and never
// changes, so one Catalog serves all requests.
type Catalog struct {
	msgs map[Lang]map[string]message
	keys []string
}

// A message is a text split at its placeholders, ready to be filled in.
type message []part

// A part is either literal text or, when name is set, a {name} placeholder.
type part struct {
	text string
	name string
}

// Messages are the catalogs of one part of tili kept beside its code: messages.fi.json and
// messages.en.json at the root of Files. Name says in errors whose they are ("web/companies").
type Messages struct {
	Name  string
	Files fs.FS
}

// Load parses the catalogs of each part, messages.fi.json and messages.en.json (flat JSON objects, key →
// text), into one Catalog. A part without either file adds nothing. It refuses a file that is not such an object (or repeats a key), a key missing in
// either language, a key defined by two parts, a plural KEY.one without KEY.other, a malformed
// placeholder, and a text whose placeholders differ from the other language's, and it lists every
// problem it finds.
func Load(parts ...Messages) (*Catalog, error) {
	texts := map[Lang]map[string]string{Fi: {}, En: {}}
	owner := map[string]string{} // key → the part that defines it, to refuse a key defined twice
	var errs []error
	for _, src := range parts {
		part, err := loadPart(src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(part[Fi])) {
			if first, dup := owner[k]; dup {
				errs = append(errs, fmt.Errorf("key %q is defined by both %s and %s; keep it in one of them", k, first, src.Name))
				continue
			}
			owner[k] = src.Name
			for _, l := range Langs {
				texts[l][k] = part[l][k]
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("i18n: %w", errors.Join(errs...))
	}
	c := &Catalog{msgs: make(map[Lang]map[string]message, len(Langs))}
	for _, l := range Langs {
		msgs := make(map[string]message, len(texts[l]))
		for k, text := range texts[l] {
			msgs[k], _ = compile(text) // check has compiled every text already
		}
		c.msgs[l] = msgs
	}
	c.keys = slices.Sorted(maps.Keys(texts[Fi]))
	return c, nil
}

// loadPart reads and checks the catalogs of one part, in every language; a part with no catalog file
// at all has no messages.
func loadPart(src Messages) (map[Lang]map[string]string, error) {
	texts := make(map[Lang]map[string]string, len(Langs))
	var errs []error
	missing := 0
	for _, l := range Langs {
		name := fileName(l)
		data, err := fs.ReadFile(src.Files, name)
		if errors.Is(err, fs.ErrNotExist) {
			missing++
			texts[l] = map[string]string{}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		m, err := parseFile(name, data)
		if err != nil {
			errs = append(errs, err)
		}
		texts[l] = m
	}
	if missing == len(Langs) {
		return texts, nil
	}
	if len(errs) == 0 {
		errs = append(errs, check(texts[Fi], texts[En]))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	return texts, nil
}

func fileName(l Lang) string { return "messages." + string(l) + ".json" }

// parseFile reads one catalog: a JSON object whose values are all strings. encoding/json would keep the
// last of two equal keys without a word; a repeated key in a hand-edited file is a mistake, so it is
// refused. Errors name the file and line.
func parseFile(name string, data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(format string, args ...any) error {
		off := int(dec.InputOffset())
		line := 1 + bytes.Count(data[:min(off, len(data))], []byte("\n"))
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fail("not valid JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return nil, fail("want a JSON object of key → text")
	}
	m := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail("not valid JSON: %v", err)
		}
		key, _ := tok.(string) // inside an object the decoder yields only string keys
		if key == "" {
			return nil, fail("empty key")
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, fail("not valid JSON: %v", err)
		}
		text, ok := tok.(string)
		if !ok {
			return nil, fail("key %q: the text must be a JSON string", key)
		}
		if _, dup := m[key]; dup {
			return nil, fail("key %q appears twice", key)
		}
		m[key] = text
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail("not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail("unexpected content after the object")
	}
	return m, nil
}

// check compares the Finnish and English catalogs: both must have the same keys, every text must
// compile, a text's placeholders must be the same set in both languages, and a plural KEY.one needs its
// KEY.other. (A lone KEY.other is allowed: "other" is also an ordinary word in a key.)
func check(fi, en map[string]string) error {
	texts := map[Lang]map[string]string{Fi: fi, En: en}
	var errs []error
	keys := slices.AppendSeq(slices.Collect(maps.Keys(fi)), maps.Keys(en))
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		names := make(map[Lang][]string, len(Langs))
		complete := true
		for _, l := range Langs {
			text, ok := texts[l][k]
			if !ok {
				errs = append(errs, fmt.Errorf("key %q is missing from %s", k, fileName(l)))
				complete = false
				continue
			}
			msg, err := compile(text)
			if err != nil {
				errs = append(errs, fmt.Errorf("key %q in %s: %w", k, fileName(l), err))
				complete = false
				continue
			}
			names[l] = msg.placeholders()
		}
		if complete && !slices.Equal(names[Fi], names[En]) {
			errs = append(errs, fmt.Errorf("key %q: placeholders differ: %s has %s, %s has %s",
				k, fileName(Fi), braced(names[Fi]), fileName(En), braced(names[En])))
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok {
			if _, ok := fi[base+".other"]; !ok {
				if _, ok := en[base+".other"]; !ok {
					errs = append(errs, fmt.Errorf("plural key %q has no %q", k, base+".other"))
				}
			}
		}
	}
	return errors.Join(errs...)
}

func braced(names []string) string {
	if len(names) == 0 {
		return "no placeholders"
	}
	return "{" + strings.Join(names, "}, {") + "}"
}

// compile splits a text at its {name} placeholders. A name is a letter or underscore followed by
// letters, digits and underscores. Any other brace is refused rather than printed: "{nimi }" or a lost
// "}" is a typo that would otherwise reach the user.
func compile(text string) (message, error) {
	var msg message
	rest := text
	for rest != "" {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			msg = append(msg, part{text: rest})
			break
		}
		if i > 0 {
			msg = append(msg, part{text: rest[:i]})
		}
		if rest[i] == '}' {
			return nil, fmt.Errorf("a lone %q in %q", "}", text)
		}
		end := strings.IndexByte(rest[i:], '}')
		if end < 0 || !isName(rest[i+1:i+end]) {
			return nil, fmt.Errorf("a malformed placeholder in %q: write {name} with letters, digits and _", text)
		}
		msg = append(msg, part{name: rest[i+1 : i+end]})
		rest = rest[i+end+1:]
	}
	return msg, nil
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// placeholders returns the sorted, distinct names of a message's placeholders.
func (m message) placeholders() []string {
	var names []string
	for _, p := range m {
		if p.name != "" {
			names = append(names, p.name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Keys returns every key of the catalog, sorted; a plural message appears as KEY.one and KEY.other.
func (c *Catalog) Keys() []string { return slices.Clone(c.keys) }

// Has reports whether key is a message, either a key of its own or the KEY of a plural message
// (KEY.one and KEY.other), so that a check of the keys a template uses can pass both T and N keys.
func (c *Catalog) Has(key string) bool {
	fi := c.msgs[Fi]
	if _, ok := fi[key]; ok {
		return true
	}
	_, one := fi[key+".one"]
	_, other := fi[key+".other"]
	return one && other
}

// T returns the message key in language l with its placeholders filled from args, which are name,
// value pairs: T(Fi, "greeting", "name", "Sanna") is "Hei Sanna!". A value is printed with fmt.Sprint,
// so format numbers, dates and money with this package's functions first. A placeholder without a
// value stays as it is ("{name}"), and a missing key returns "!key!", so both stand out on a page and
// in a test. A language tili does not speak gets Finnish.
func (c *Catalog) T(l Lang, key string, args ...any) string {
	msg, ok := c.lookup(l, key)
	if !ok {
		return "!" + key + "!"
	}
	return msg.render("", "", args)
}

// N returns the plural message KEY.one when n == 1 and KEY.other otherwise (Finnish and English both
// have only these two forms), with {n} filled by n formatted for l ("1 234" in Finnish) and other
// placeholders from args as in T. A missing message returns "!KEY.one!" or "!KEY.other!".
func (c *Catalog) N(l Lang, key string, n int, args ...any) string {
	if n == 1 {
		key += ".one"
	} else {
		key += ".other"
	}
	msg, ok := c.lookup(l, key)
	if !ok {
		return "!" + key + "!"
	}
	return msg.render("n", Number(l, int64(n)), args)
}

func (c *Catalog) lookup(l Lang, key string) (message, bool) {
	msgs, ok := c.msgs[l]
	if !ok {
		msgs = c.msgs[Fi]
	}
	msg, ok := msgs[key]
	return msg, ok
}

// render fills the placeholders in one pass, so a value that itself contains "{name}" is printed as
// is. The first value wins: name1, value1 (N's {n}) and then args.
func (m message) render(name1, value1 string, args []any) string {
	var b strings.Builder
	for _, p := range m {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		if v, ok := arg(p.name, name1, value1, args); ok {
			b.WriteString(v)
		} else {
			b.WriteString("{" + p.name + "}")
		}
	}
	return b.String()
}

func arg(name, name1, value1 string, args []any) (string, bool) {
	if name1 != "" && name == name1 {
		return value1, true
	}
	for i := 0; i+1 < len(args); i += 2 {
		if fmt.Sprint(args[i]) == name {
			return fmt.Sprint(args[i+1]), true
		}
	}
	return "", false
}
