package testutil

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tili/internal/crm"
	"tili/internal/service"
)

// Records is the use-case surface of one kind of record that CoverFields drives, e.g. app.Svc.Accounts.
type Records[T any] interface {
	Create(ctx context.Context, p crm.Principal, rec *T) (service.Saved[*T], error)
	Get(ctx context.Context, p crm.Principal, id int64) (*T, error)
	Update(ctx context.Context, p crm.Principal, rec *T) (service.Saved[*T], error)
}

// FieldKind describes one kind of record to CoverFields: two sample records, and the fields that are
// kept, changed, written or shown somewhere other than the usual place, each with the reason.
//
// Fields are named by their JSON path ("name", "visiting_address.city", "consent.email"); a name may
// also stand for every field under it ("visiting_address").
type FieldKind[T any] struct {
	Kind    *crm.Kind  // its Name names the record in the history, its Path is its list and export
	Service Records[T] // the kind's use cases
	APIPath string     // the kind's collection in the JSON API: "/api/v1/accounts"
	// ExportQuery is the list filter that selects the record under test and nothing else, e.g.
	// "q=Kattavuus" when Full's and Changed's names both start with that word.
	ExportQuery string

	// Full and Changed are valid records in the form tili stores them (already normalised), so that
	// what is saved reads back equal. Full gives every field that is not Managed a value, and Changed
	// a different one; a field left empty in Changed is tested by being cleared. The fields are
	// changed one at a time in the order of the struct, so each step must be a valid record.
	Full, Changed T

	// Managed are the fields tili keeps itself (id, version, times, ...): neither compared nor written.
	Managed []string
	// NotByUpdate are fields an update leaves alone, each with what changes them instead.
	NotByUpdate map[string]string
	// NotInAPI are fields the JSON API does not take, each with why.
	NotInAPI map[string]string
	// NotExported are fields the list exports leave out, each with why.
	NotExported map[string]string
}

// leaf is one field of a record that holds a value: not a struct tili looks into.
type leaf struct {
	path  string // JSON path: "billing_address.city"
	index []int  // for reflect.Value.FieldByIndex
}

// CoverFields checks, field by field, that every field of a kind of record is written and read back by
// the service and the store, gets a line in the field history when it changes, is writable through the
// JSON API, and shows in the list export. A field added to the struct and forgotten in one of those
// places fails with its name. It adds an administrator (fields.admin@example.fi) to use the API and the
// web UI as.
func CoverFields[T any](t *testing.T, app *App, k FieldKind[T]) {
	t.Helper()
	c := coverage[T]{t: t, app: app, k: k, leaves: leavesOf(reflect.TypeFor[T](), "", nil),
		ctx: context.Background(), sys: crm.System(crm.SourceCLI)}
	c.checkDescription()
	if t.Failed() {
		t.FailNow()
	}
	admin := app.User("fields.admin@example.fi", crm.Admin, nil, 0)
	c.browser, c.api = app.SignIn(admin), app.As(app.Token(admin, "write"))
	id := c.throughService()
	c.throughAPI(id)
}

type coverage[T any] struct {
	t       *testing.T
	app     *App
	k       FieldKind[T]
	leaves  []leaf
	ctx     context.Context
	sys     crm.Principal
	browser *Client
	api     *Client
}

// leavesOf lists the fields of struct type st under prefix: exported ones with a JSON name, looking into
// nested structs except those that write their own JSON (time.Time).
func leavesOf(st reflect.Type, prefix string, index []int) []leaf {
	var out []leaf
	marshaler := reflect.TypeFor[json.Marshaler]()
	for i := range st.NumField() {
		f := st.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		at := append(slices.Clone(index), i)
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, leavesOf(f.Type, prefix, at)...) // JSON flattens an embedded struct
			continue
		}
		if name == "" {
			name = f.Name
		}
		path := prefix + name
		if f.Type.Kind() == reflect.Struct && !f.Type.Implements(marshaler) && !reflect.PointerTo(f.Type).Implements(marshaler) {
			out = append(out, leavesOf(f.Type, path+".", at)...)
			continue
		}
		out = append(out, leaf{path: path, index: at})
	}
	return out
}

// under tells whether the field at path is the one called name or inside it.
func under(path, name string) bool { return path == name || strings.HasPrefix(path, name+".") }

// listed returns the name among names that path is under, or "".
func listed(path string, names []string) string {
	for _, n := range names {
		if under(path, n) {
			return n
		}
	}
	return ""
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (c *coverage[T]) managed(l leaf) bool     { return listed(l.path, c.k.Managed) != "" }
func (c *coverage[T]) notByUpdate(l leaf) bool { return listed(l.path, keys(c.k.NotByUpdate)) != "" }
func (c *coverage[T]) notInAPI(l leaf) bool    { return listed(l.path, keys(c.k.NotInAPI)) != "" }
func (c *coverage[T]) notExported(l leaf) bool { return listed(l.path, keys(c.k.NotExported)) != "" }

func (c *coverage[T]) field(rec *T, l leaf) reflect.Value {
	return reflect.ValueOf(rec).Elem().FieldByIndex(l.index)
}

// checkDescription refuses a description that names fields T does not have, gives a reason-less
// exception, or has samples that would not test a field.
func (c *coverage[T]) checkDescription() {
	c.t.Helper()
	typeName := reflect.TypeFor[T]().String()
	lists := map[string][]string{"Managed": c.k.Managed, "NotByUpdate": keys(c.k.NotByUpdate),
		"NotInAPI": keys(c.k.NotInAPI), "NotExported": keys(c.k.NotExported)}
	for list, names := range lists {
		for _, n := range names {
			if !slices.ContainsFunc(c.leaves, func(l leaf) bool { return under(l.path, n) }) {
				c.t.Errorf("%s names %q, which is not a field of %s", list, n, typeName)
			}
		}
	}
	for list, m := range map[string]map[string]string{"NotByUpdate": c.k.NotByUpdate, "NotInAPI": c.k.NotInAPI, "NotExported": c.k.NotExported} {
		for n, why := range m {
			if strings.TrimSpace(why) == "" {
				c.t.Errorf("%s gives no reason for %q", list, n)
			}
		}
	}
	for _, l := range c.leaves {
		if c.managed(l) {
			continue
		}
		full, changed := c.field(&c.k.Full, l), c.field(&c.k.Changed, l)
		if empty(full) {
			c.t.Errorf("field %s: Full leaves it empty; give it a value, or list it as Managed if tili sets it", l.path)
		} else if same(full, changed) {
			c.t.Errorf("field %s: Full and Changed both hold %s; give Changed another value", l.path, show(full))
		}
	}
}

// throughService creates Full, then changes it to Changed one field at a time, and returns its id.
func (c *coverage[T]) throughService() int64 {
	c.t.Helper()
	rec := c.k.Full
	if _, err := c.k.Service.Create(c.ctx, c.sys, &rec); err != nil {
		c.t.Fatalf("create Full: %v", err)
	}
	id := c.number(&rec, "id")
	got := c.get(id)
	c.compare("created as", &c.k.Full, got, c.managed)

	want := *got
	row := c.exportRow()
	lastChange := c.newestChange(id)
	for _, l := range c.leaves {
		if c.managed(l) {
			continue
		}
		current := c.get(id)
		next := *current
		c.field(&next, l).Set(c.field(&c.k.Changed, l))
		_, err := c.k.Service.Update(c.ctx, c.sys, &next)
		if c.notByUpdate(l) {
			// an update may refuse the field or ignore it, but not change it
			if got := c.get(id); err == nil && !same(c.field(got, l), c.field(current, l)) {
				c.t.Errorf("field %s: an update changed it, though it %s", l.path, c.k.NotByUpdate[listed(l.path, keys(c.k.NotByUpdate))])
				want, row, lastChange = *got, c.exportRow(), c.newestChange(id) // go on from here
			}
			continue
		}
		if err != nil {
			c.t.Errorf("field %s: the update to %s was refused: %v", l.path, show(c.field(&c.k.Changed, l)), err)
			continue
		}
		c.field(&want, l).Set(c.field(&c.k.Changed, l))
		got := c.get(id)
		c.compare("updated to", &want, got, c.managed)
		want = *got // a field that did not take is reported once, not at every later step

		var fields []string
		for _, ch := range c.changes(id, lastChange) {
			fields = append(fields, ch.Field)
			lastChange = max(lastChange, ch.ID)
		}
		switch {
		case len(fields) == 0:
			c.t.Errorf("field %s: no history line (the update wrote none)", l.path)
		case !slices.ContainsFunc(fields, func(f string) bool { return under(l.path, f) }):
			c.t.Errorf("field %s: no history line (the update wrote lines for %q)", l.path, fields)
		}

		before := row
		row = c.exportRow()
		if !c.notExported(l) && slices.Equal(before, row) {
			c.t.Errorf("field %s: not in the export (its row did not change with it)", l.path)
		}
	}
	return id
}

// throughAPI moves the record made through the service to the bin (so that its unique values are free),
// creates Full again with a POST, then PATCHes each member the API takes to Changed's value.
func (c *coverage[T]) throughAPI(serviceID int64) {
	c.t.Helper()
	r := c.api.Do("DELETE", fmt.Sprintf("%s/%d", c.k.APIPath, serviceID), nil)
	if r.StatusCode != http.StatusOK {
		c.t.Fatalf("DELETE %s/%d (to free its unique values): %d %s", c.k.APIPath, serviceID, r.StatusCode, r.Body)
	}
	skip := func(l leaf) bool { return c.managed(l) || c.notInAPI(l) }
	full, changed := c.document(&c.k.Full), c.document(&c.k.Changed)
	body := map[string]any{}
	for _, l := range c.leaves {
		if !skip(l) {
			setPath(body, l.path, valueAt(full, l.path))
		}
	}
	r = c.api.Do("POST", c.k.APIPath, body)
	if r.StatusCode == http.StatusUnprocessableEntity && c.refusedMembers(r, body) {
		r = c.api.Do("POST", c.k.APIPath, body) // without them, to go on to the other fields
	}
	if r.StatusCode != http.StatusCreated {
		c.t.Fatalf("POST %s of Full: %d %s", c.k.APIPath, r.StatusCode, r.Body)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	r.JSON(c.t, &created)
	want := *c.get(created.ID)
	c.compare("POSTed as", &c.k.Full, &want, skip)

	// one merge patch per member, in the order of the struct: a whole address is one member
	var members []string
	for _, l := range c.leaves {
		member, _, _ := strings.Cut(l.path, ".")
		if !skip(l) && !c.notByUpdate(l) && !slices.Contains(members, member) {
			members = append(members, member)
		}
	}
	for _, m := range members {
		patch := map[string]any{}
		for _, l := range c.leaves {
			if under(l.path, m) && !skip(l) && !c.notByUpdate(l) {
				setPath(patch, l.path, valueAt(changed, l.path)) // nil where Changed has none: null clears it
			}
		}
		version := c.number(&want, "version")
		r := c.api.Do("PATCH", fmt.Sprintf("%s/%d", c.k.APIPath, created.ID), patch,
			"Content-Type", "application/merge-patch+json", "If-Match", fmt.Sprintf(`"%d"`, version))
		if r.StatusCode != http.StatusOK {
			c.t.Errorf("field %s: PATCH %s answered %d %s", m, mustJSON(c.t, patch), r.StatusCode, r.Body)
			want = *c.get(created.ID)
			continue
		}
		for _, l := range c.leaves {
			if under(l.path, m) && !skip(l) && !c.notByUpdate(l) {
				c.field(&want, l).Set(c.field(&c.k.Changed, l))
			}
		}
		got := c.get(created.ID)
		c.compare("PATCHed to", &want, got, skip)
		want = *got
	}
}

// refusedMembers reports the members of body that a problem answer names, takes them out of body, and
// tells whether there were any.
func (c *coverage[T]) refusedMembers(r *Response, body map[string]any) bool {
	c.t.Helper()
	var p struct {
		Errors []struct{ Field, Message string }
	}
	r.JSON(c.t, &p)
	for _, e := range p.Errors {
		member, _, _ := strings.Cut(strings.TrimPrefix(e.Field, "body."), ".")
		c.t.Errorf("field %s: POST %s refused it: %s", strings.TrimPrefix(e.Field, "body."), c.k.APIPath, e.Message)
		delete(body, member)
	}
	return len(p.Errors) > 0
}

// compare reports each field, other than those skip leaves out, that got holds differently from want.
func (c *coverage[T]) compare(what string, want, got *T, skip func(leaf) bool) {
	c.t.Helper()
	for _, l := range c.leaves {
		if w, g := c.field(want, l), c.field(got, l); !skip(l) && !same(w, g) {
			c.t.Errorf("field %s: %s %s, read back as %s", l.path, what, show(w), show(g))
		}
	}
}

func (c *coverage[T]) get(id int64) *T {
	c.t.Helper()
	rec, err := c.k.Service.Get(c.ctx, c.sys, id)
	if err != nil {
		c.t.Fatalf("read %s #%d: %v", c.k.Kind.Noun, id, err)
	}
	return rec
}

// number returns the int64 field of rec called name in JSON: its id or version.
func (c *coverage[T]) number(rec *T, name string) int64 {
	c.t.Helper()
	for _, l := range c.leaves {
		if v := c.field(rec, l); l.path == name && v.Kind() == reflect.Int64 {
			return v.Int()
		}
	}
	c.t.Fatalf("%s has no int64 field %q", reflect.TypeFor[T](), name)
	return 0
}

// changes returns the history lines of the record newer than the line with id after.
func (c *coverage[T]) changes(id, after int64) []crm.Change {
	c.t.Helper()
	page, err := c.app.Svc.History.Of(c.ctx, c.sys, c.k.Kind.Name, id, 1000, "")
	if err != nil {
		c.t.Fatalf("history of %s #%d: %v", c.k.Kind.Noun, id, err)
	}
	var out []crm.Change
	for _, e := range page.Items {
		if e.ID > after {
			out = append(out, e.Change)
		}
	}
	return out
}

// newestChange returns the id of the newest history line of the record.
func (c *coverage[T]) newestChange(id int64) int64 {
	c.t.Helper()
	var newest int64
	for _, ch := range c.changes(id, 0) {
		newest = max(newest, ch.ID)
	}
	return newest
}

// exportRow returns the record's row of the CSV export of its list, which must hold it alone.
func (c *coverage[T]) exportRow() []string {
	c.t.Helper()
	path := c.k.Kind.Path + "/export?format=csv&" + c.k.ExportQuery
	r := c.browser.Do("GET", path, nil)
	if r.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		c.t.Fatalf("GET %s: not CSV: %v", path, err)
	}
	if len(rows) != 2 {
		c.t.Fatalf("GET %s: %d rows besides the header, want the record under test alone; make ExportQuery select it", path, len(rows)-1)
	}
	return rows[1]
}

// document is rec as a JSON object.
func (c *coverage[T]) document(rec *T) map[string]any {
	c.t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(mustJSON(c.t, rec)), &doc); err != nil {
		c.t.Fatal(err)
	}
	return doc
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// valueAt returns the member at a dotted path of a JSON object, nil when it is not there.
func valueAt(doc map[string]any, path string) any {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		return doc[head]
	}
	inner, _ := doc[head].(map[string]any)
	return valueAt(inner, rest)
}

// setPath sets the member at a dotted path of a JSON object, making the objects on the way.
func setPath(doc map[string]any, path string, v any) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		doc[head] = v
		return
	}
	inner, ok := doc[head].(map[string]any)
	if !ok {
		inner = map[string]any{}
		doc[head] = inner
	}
	setPath(inner, rest, v)
}

// empty tells whether a field holds nothing; an empty list is as empty as a missing one.
func empty(v reflect.Value) bool {
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Map {
		return v.Len() == 0
	}
	return v.IsZero()
}

// same tells whether two fields hold the same value, an empty list the same as a missing one.
func same(a, b reflect.Value) bool {
	if empty(a) && empty(b) {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// show writes a field's value for a message: what a pointer points at, lists and text quoted.
func show(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "nothing"
		}
		v = v.Elem()
	}
	if empty(v) {
		return "nothing"
	}
	return fmt.Sprintf("%#v", v.Interface())
}
