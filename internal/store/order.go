package store

import (
	"fmt"
	"strings"
	"time"

	"tili/internal/crm"
)

// ListOrder is one way a list can be sorted: by a column, ascending or descending, then by id the same
// way, so that a page cursor (the last row's key and id) says exactly where the next page starts.
type ListOrder struct {
	Name   string
	Column string // the sort key: a column or an expression of the list's table alias
	Desc   bool
	IsTime bool // the key is a time, carried in the cursor as RFC 3339
}

// Orders are the sorts a list offers, by name; "-" before a name reverses one.
type Orders map[string]ListOrder

// sortOrder is the order sort names are listed in, for help texts and API documentation.
var sortOrder = []string{"name", "stage", "tier", "city", "owner", "updated", "created"}

// Names lists the sorts, each also reversed.
func (os Orders) Names() []string {
	var out []string
	for _, n := range sortOrder {
		if _, ok := os[n]; ok {
			out = append(out, n, "-"+n)
		}
	}
	return out
}

// Of returns the order sort names ("name" when empty), or an Invalid error listing the sorts there are.
func (os Orders) Of(sort string) (ListOrder, error) {
	name, desc := strings.CutPrefix(sort, "-")
	if name == "" {
		name = "name"
	}
	o, ok := os[name]
	if !ok {
		return o, crm.FieldError("sort", "%q is not a sort; use one of %s", sort, strings.Join(os.Names(), ", "))
	}
	o.Desc, o.Name = desc, name
	return o, nil
}

// After returns the keyset condition for the rows after cursor c.
func (o ListOrder) After(b *Buf, c Cursor, idColumn string) (string, error) {
	if c.ID == 0 {
		return "", nil
	}
	var key any = c.Key
	if o.IsTime {
		t, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return "", crm.FieldError("after", "the cursor does not belong to this sort; start again from the first page")
		}
		key = t.UTC()
	}
	op := ">"
	if o.Desc {
		op = "<"
	}
	return " AND (" + o.Column + ", " + idColumn + ") " + op + " (" + b.Arg(key) + ", " + b.Arg(c.ID) + ")", nil
}

// By returns the ORDER BY clause.
func (o ListOrder) By(idColumn string) string {
	dir := ""
	if o.Desc {
		dir = " DESC"
	}
	return " ORDER BY " + o.Column + dir + ", " + idColumn + dir
}

// KeyText turns a sort key as the database returned it into the text a cursor carries.
func KeyText(v any) string {
	switch k := v.(type) {
	case time.Time:
		return k.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(k)
	case string:
		return k
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
