package store

import (
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"tili/internal/crm"
)

// Buf builds a query and its arguments together, numbering placeholders as they are added.
type Buf struct {
	strings.Builder
	Args []any
}

// Arg adds v as an argument and returns its placeholder.
func (b *Buf) Arg(v any) string {
	b.Args = append(b.Args, v)
	return "$" + strconv.Itoa(len(b.Args))
}

// In returns "(…)" with a placeholder per value, for "x IN (…)"; an empty list matches nothing.
func In[T any](b *Buf, values []T) string {
	if len(values) == 0 {
		return "(NULL)"
	}
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = b.Arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// Page is one page of a list and the cursor of the next, "" on the last page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor"`
}

// Cursor is the position after the last row of a page: the sort key and id of that row.
type Cursor struct {
	Key  string `json:"k"`
	ID   int64  `json:"i"`
	Grp  int    `json:"g,omitempty"` // search: which group of results the row came from
	Kind string `json:"t,omitempty"` // search: account or contact
}

func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	if s == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 {
		return Cursor{}, crm.FieldError("after", "the cursor %q is not one this list gave out; start again from the first page", s)
	}
	return c, nil
}

func NullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func NullInt(i int64) sql.NullInt64 { return sql.NullInt64{Int64: i, Valid: i != 0} }

func NullIntPtr(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

func TimePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// Scanner is a *sql.Row or *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// ClampLimit keeps a page size within 1…max, def when none was asked.
func ClampLimit(limit, def, max int) int {
	switch {
	case limit <= 0:
		return def
	case limit > max:
		return max
	}
	return limit
}

// FoldAll folds each of ss and drops empty and repeated ones.
func FoldAll(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if f := crm.Fold(s); f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// Likely is a record that may be the same as one being saved, and why it seems so.
type Likely struct {
	Kind   string `json:"kind"` // account, contact
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Reason string `json:"reason"` // same_name, similar_name, same_domain
}

// PrefixEnd returns the smallest string greater than every string starting with prefix, so that
// "x >= prefix AND x < PrefixEnd(prefix)" is a prefix match that a B-tree index answers.
func PrefixEnd(prefix string) string {
	r := []rune(prefix)
	r[len(r)-1]++
	return string(r)
}

// BatchSize is how many records a batch path writes per transaction.
const BatchSize = 1000
