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

// How many lookalikes are listed, and up to how many are counted.
const (
	LikelyListed  = 10
	LikelyCounted = 100
)

// Lookalikes are the records one being saved may duplicate: the first LikelyListed of them, exact
// matches first, and how many there are, up to LikelyCounted (which then means "that many or more").
type Lookalikes struct {
	Found []Likely
	Total int
}

// LikelySet gathers lookalikes, each once and never the record itself: exact matches in the order
// found, the others after them.
type LikelySet struct {
	seen  map[int64]bool
	later []Likely
	out   Lookalikes
}

// NewLikelySet starts the lookalikes of record self (0 for one not yet saved).
func NewLikelySet(self int64) *LikelySet {
	return &LikelySet{seen: map[int64]bool{self: true}}
}

// AddLater is Add for a lookalike that is not an exact match: it comes after every exact one.
func (s *LikelySet) AddLater(l Likely) { s.later = append(s.later, l) }

// Add counts l, and lists it while the list has room.
func (s *LikelySet) Add(l Likely) {
	if s.seen[l.ID] {
		return
	}
	s.seen[l.ID] = true
	s.out.Total++
	if len(s.out.Found) < LikelyListed {
		s.out.Found = append(s.out.Found, l)
	}
}

// Result is what was gathered, with the count capped.
func (s *LikelySet) Result() Lookalikes {
	for _, l := range s.later {
		s.Add(l)
	}
	s.later = nil
	out := s.out
	out.Total = min(out.Total, LikelyCounted)
	return out
}

// neighbours is how many rows on each side of a key Neighbours takes.
const neighbours = 20

// Neighbours returns a subquery of the ids of the live rows of table (alias-free) nearest to key in the
// order of column, 20 below and 20 above it: what a B-tree index on column reads in constant time however
// many rows share the key's first letters. Similar names are looked for among them.
func Neighbours(b *Buf, table, column, key string) string {
	side := func(op, dir string) string {
		return "SELECT id FROM (SELECT id FROM " + table + " WHERE " + column + " " + op + " " + b.Arg(key) +
			" AND deleted_at IS NULL ORDER BY " + column + " " + dir + " LIMIT " + b.Arg(neighbours) + ") AS nb_" + strings.ToLower(dir)
	}
	return side("<", "DESC") + " UNION ALL " + side(">", "ASC")
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
