package store

import (
	"fmt"
	"strings"
	"time"

	"tili/internal/crm"
)

// listOrder is one way a list can be sorted: by a column, ascending or descending, then by id the same
// way, so that a page cursor (the last row's key and id) says exactly where the next page starts.
type listOrder struct {
	name   string
	column string
	desc   bool
	isTime bool
}

// orders are the sorts of the lists of each kind, by name; "-" before a name reverses it.
var orders = map[*crm.Kind]map[string]listOrder{
	crm.KindAccount: {
		"name": {column: "a.name_norm"}, "updated": {column: "a.updated_at", isTime: true}, "created": {column: "a.created_at", isTime: true},
		// the lifecycle order, not the alphabet
		"stage": {column: "CASE a.stage WHEN 'suspect' THEN '1' WHEN 'prospect' THEN '2' WHEN 'customer' THEN '3' WHEN 'key_account' THEN '4' ELSE '5' END"},
		"tier":  {column: "COALESCE(a.tier, 'Z')"}, // no tier after C
		"city":  {column: "COALESCE(a.city_norm, '')"},
		"owner": {column: "COALESCE((SELECT LOWER(su.name) FROM users su WHERE su.id = a.owner_id), '')"},
	},
	crm.KindContact: {"name": {column: "c.sort_norm"}, "updated": {column: "c.updated_at", isTime: true}, "created": {column: "c.created_at", isTime: true}},
}

// SortNames lists the sorts a list of kind offers, for help texts and API documentation.
func SortNames(kind *crm.Kind) []string {
	var out []string
	for _, n := range []string{"name", "stage", "tier", "city", "owner", "updated", "created"} {
		if _, ok := orders[kind][n]; ok {
			out = append(out, n, "-"+n)
		}
	}
	return out
}

func orderOf(kind *crm.Kind, sort string) (listOrder, error) {
	name, desc := strings.CutPrefix(sort, "-")
	if name == "" {
		name = "name"
	}
	o, ok := orders[kind][name]
	if !ok {
		return o, crm.FieldError("sort", "%q is not a sort; use one of %s", sort, strings.Join(SortNames(kind), ", "))
	}
	o.desc, o.name = desc, name
	return o, nil
}

// after returns the keyset condition for the rows after cursor c.
func (o listOrder) after(b *sqlBuf, c cursor, idColumn string) (string, error) {
	if c.ID == 0 {
		return "", nil
	}
	var key any = c.Key
	if o.isTime {
		t, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return "", crm.FieldError("after", "the cursor does not belong to this sort; start again from the first page")
		}
		key = t.UTC()
	}
	op := ">"
	if o.desc {
		op = "<"
	}
	return " AND (" + o.column + ", " + idColumn + ") " + op + " (" + b.arg(key) + ", " + b.arg(c.ID) + ")", nil
}

// by returns the ORDER BY clause.
func (o listOrder) by(idColumn string) string {
	dir := ""
	if o.desc {
		dir = " DESC"
	}
	return " ORDER BY " + o.column + dir + ", " + idColumn + dir
}

// keyText turns a sort key as the database returned it into the text a cursor carries.
func keyText(v any) string {
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
