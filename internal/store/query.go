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

// sqlBuf builds a query and its arguments together, numbering placeholders as they are added.
type sqlBuf struct {
	strings.Builder
	args []any
}

// arg adds v as an argument and returns its placeholder.
func (b *sqlBuf) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

// in returns "(…)" with a placeholder per value, for "x IN (…)"; an empty list matches nothing.
func in[T any](b *sqlBuf, values []T) string {
	if len(values) == 0 {
		return "(NULL)"
	}
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = b.arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// Page is one page of a list and the cursor of the next, "" on the last page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor"`
}

// cursor is the position after the last row of a page: the sort key and id of that row.
type cursor struct {
	Key  string `json:"k"`
	ID   int64  `json:"i"`
	Grp  int    `json:"g,omitempty"` // search: which group of results the row came from
	Kind string `json:"t,omitempty"` // search: account or contact
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 {
		return cursor{}, crm.FieldError("after", "the cursor %q is not one this list gave out; start again from the first page", s)
	}
	return c, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullInt(i int64) sql.NullInt64 { return sql.NullInt64{Int64: i, Valid: i != 0} }

func nullIntPtr(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// clampLimit keeps a page size within 1…max, def when none was asked.
func clampLimit(limit, def, max int) int {
	switch {
	case limit <= 0:
		return def
	case limit > max:
		return max
	}
	return limit
}
