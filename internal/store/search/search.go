package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"tili/internal/crm"
	"tili/internal/store"
)

// Hit is one search result: a company or a person.
type Hit struct {
	Kind   string `json:"kind"` // the name of the record's crm.Kind
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"` // business ID and city of a company; title and company of a person
	key    string // what the hit is ordered by within its group
}

// kindOrder is where hits of a kind come among hits of the same name: in the order of crm.Kinds.
func kindOrder(kind string) int {
	return slices.IndexFunc(crm.Kinds(), func(k *crm.Kind) bool { return k.Name == kind })
}

// Find finds the companies and people scope sees for what a user typed, in three groups: names equal
// to the text, then names starting with it (a person's name read either first-last or last-first), then
// records with a word starting with each typed word (names, the names in e-mail addresses, phone numbers
// in any common format, business and VAT IDs) or, for text with an @, an e-mail address starting with it. Each group is ordered by name. Case and diacritics never matter, on
// either database, and nothing typed is read as query syntax.
func Find(ctx context.Context, r store.Reader, scope store.Scope, text string, limit int, after string) (store.Page[Hit], error) {
	var page store.Page[Hit]
	limit = store.ClampLimit(limit, 20, 100)
	c, err := store.DecodeCursor(after)
	if err != nil {
		return page, err
	}
	q := crm.Fold(text)
	if q == "" {
		return page, nil
	}
	end := store.PrefixEnd(q)
	var hits []Hit
	if c.ID == 0 || c.Grp == 0 {
		if hits, err = searchPrefix(ctx, r, scope, q, end, c, limit+1); err != nil {
			return page, err
		}
		c = store.Cursor{Grp: 1}
	}
	_, isEmail := crm.EmailQuery(text)
	if len(hits) <= limit && (isEmail || len(crm.SearchWords(text)) > 0) {
		more, err := searchWords(ctx, r, scope, text, q, end, c, limit+1-len(hits))
		if err != nil {
			return page, err
		}
		hits = append(hits, more...)
	}
	if len(hits) > limit {
		hits = hits[:limit]
		last := hits[limit-1]
		page.Next = store.Cursor{Grp: last.group(q, end), Key: last.key, ID: last.ID, Kind: last.Kind}.Encode()
	}
	page.Items = hits
	return page, nil
}

// group tells which group a hit of Find belongs to: 0 for names starting with the text, 1 for words.
func (h Hit) group(q, end string) int {
	if h.key >= q && h.key < end {
		return 0
	}
	return 1
}

// after returns the keyset condition for rows of kind ordered by keyColumn and id that come after c.
func after(c store.Cursor, b *store.Buf, kind, keyColumn, idColumn string) string {
	switch {
	case c.ID == 0:
		return ""
	case kindOrder(kind) < kindOrder(c.Kind):
		return " AND " + keyColumn + " > " + b.Arg(c.Key)
	case kindOrder(kind) > kindOrder(c.Kind):
		return " AND " + keyColumn + " >= " + b.Arg(c.Key)
	}
	return " AND (" + keyColumn + ", " + idColumn + ") > (" + b.Arg(c.Key) + ", " + b.Arg(c.ID) + ")"
}

const (
	accountHitColumns = `a.id, a.name, COALESCE(a.business_id, '') || CASE WHEN a.business_id IS NOT NULL AND a.visit_city IS NOT NULL THEN ' · ' ELSE '' END || COALESCE(a.visit_city, '')`
	contactHitColumns = `c.id, TRIM(c.first_name || ' ' || c.last_name), COALESCE(c.title, '') || CASE WHEN c.title IS NOT NULL AND ca.name IS NOT NULL THEN ' · ' ELSE '' END || COALESCE(ca.name, '')`
)

// searchPrefix finds names starting with q (end is PrefixEnd(q)) after c.
func searchPrefix(ctx context.Context, r store.Reader, scope store.Scope, q, end string, c store.Cursor, n int) ([]Hit, error) {
	var hits []Hit
	run := func(kind, _ string, build func(b *store.Buf) string) error {
		var b store.Buf
		query := build(&b)
		found, err := queryHits(ctx, r, kind, query+" LIMIT "+b.Arg(n), b.Args...)
		hits = append(hits, found...)
		return err
	}
	err := run(crm.KindAccount.Name, "a.name_norm", func(b *store.Buf) string {
		return `SELECT ` + accountHitColumns + `, a.name_norm FROM accounts a WHERE a.name_norm >= ` + b.Arg(q) + ` AND a.name_norm < ` + b.Arg(end) +
			` AND a.deleted_at IS NULL AND ` + scope.Visible(b, crm.KindAccount, "a") + after(c, b, crm.KindAccount.Name, "a.name_norm", "a.id") + ` ORDER BY a.name_norm, a.id`
	})
	if err == nil {
		err = run(crm.KindContact.Name, "c.name_norm", func(b *store.Buf) string {
			return `SELECT ` + contactHitColumns + `, c.name_norm FROM contacts c LEFT JOIN accounts ca ON ca.id = c.account_id
				WHERE c.name_norm >= ` + b.Arg(q) + ` AND c.name_norm < ` + b.Arg(end) +
				` AND c.deleted_at IS NULL AND ` + scope.Visible(b, crm.KindContact, "c") + after(c, b, crm.KindContact.Name, "c.name_norm", "c.id") + ` ORDER BY c.name_norm, c.id`
		})
	}
	if err == nil {
		err = run(crm.KindContact.Name, "c.sort_norm", func(b *store.Buf) string {
			return `SELECT ` + contactHitColumns + `, c.sort_norm FROM contacts c LEFT JOIN accounts ca ON ca.id = c.account_id
				WHERE c.sort_norm >= ` + b.Arg(q) + ` AND c.sort_norm < ` + b.Arg(end) +
				` AND NOT (c.name_norm >= ` + b.Arg(q) + ` AND c.name_norm < ` + b.Arg(end) + `)` +
				` AND c.deleted_at IS NULL AND ` + scope.Visible(b, crm.KindContact, "c") + after(c, b, crm.KindContact.Name, "c.sort_norm", "c.id") + ` ORDER BY c.sort_norm, c.id`
		})
	}
	if err != nil {
		return nil, err
	}
	return sortHits(hits, n), nil
}

// searchWords finds records with a word starting with each of words (or, when text is the start of an
// e-mail address, with such an address), leaving out those searchPrefix finds, after c.
func searchWords(ctx context.Context, r store.Reader, scope store.Scope, text, q, end string, c store.Cursor, n int) ([]Hit, error) {
	match := func(b *store.Buf, kind *crm.Kind, alias string) (wordSearch, error) {
		if prefix, ok := crm.EmailQuery(text); ok {
			return wordSearch{cond: alias + ".id IN (SELECT entity_id FROM emails WHERE entity = '" + kind.Name + "' AND email_norm >= " +
				b.Arg(prefix) + " AND email_norm < " + b.Arg(store.PrefixEnd(prefix)) + ")", order: alias + ".name_norm"}, nil
		}
		return wordPlan(ctx, r, b, kind.Table, alias, crm.SearchWords(text))
	}
	var b store.Buf
	ws, err := match(&b, crm.KindAccount, "a")
	if err != nil {
		return nil, err
	}
	query := `SELECT ` + accountHitColumns + `, a.name_norm FROM accounts a` + ws.hint + ` WHERE ` + ws.cond +
		` AND NOT (a.name_norm >= ` + b.Arg(q) + ` AND a.name_norm < ` + b.Arg(end) + `)` +
		` AND a.deleted_at IS NULL AND ` + scope.Visible(&b, crm.KindAccount, "a") + after(c, &b, crm.KindAccount.Name, "a.name_norm", "a.id") +
		` ORDER BY ` + ws.order + `, a.id LIMIT ` + b.Arg(n)
	hits, err := queryHits(ctx, r, crm.KindAccount.Name, query, b.Args...)
	if err != nil {
		return nil, err
	}
	b = store.Buf{}
	if ws, err = match(&b, crm.KindContact, "c"); err != nil {
		return nil, err
	}
	query = `SELECT ` + contactHitColumns + `, c.name_norm FROM contacts c` + ws.hint + ` LEFT JOIN accounts ca ON ca.id = c.account_id WHERE ` +
		ws.cond +
		` AND NOT (c.name_norm >= ` + b.Arg(q) + ` AND c.name_norm < ` + b.Arg(end) + `)` +
		` AND NOT (c.sort_norm >= ` + b.Arg(q) + ` AND c.sort_norm < ` + b.Arg(end) + `)` +
		` AND c.deleted_at IS NULL AND ` + scope.Visible(&b, crm.KindContact, "c") + after(c, &b, crm.KindContact.Name, "c.name_norm", "c.id") +
		` ORDER BY ` + ws.order + `, c.id LIMIT ` + b.Arg(n)
	more, err := queryHits(ctx, r, crm.KindContact.Name, query, b.Args...)
	if err != nil {
		return nil, err
	}
	return sortHits(append(hits, more...), n), nil
}

// wordProbe is how many full-text matches SQLite's word search fetches before choosing its plan.
const wordProbe = 1000

// wordSearch is how searchWords finds the rows with a word starting with each typed word: the condition,
// an index hint to put after the table's alias, and the expression to order the rows by (their folded
// name).
type wordSearch struct {
	hint, cond, order string
}

// wordPlan returns the wordSearch for the rows aliased alias of table (accounts or contacts) with a word
// starting with each of words. The rows come ordered by name, a page at a time, and the plan decides
// between two ways: fetch every match through the full-text index and sort them, or walk the name index
// in order and test each row until a page is full. The walk is fast when matches are everywhere and slow
// when they are rare or gather late in the alphabet.
//
// SQLite's planner always fetches and sorts, which for short words ("ka kä") means a hundred thousand
// rows for a page of twenty. So a capped probe counts the matches first: a few are fetched by id and
// sorted; many are found by walking the name index.
//
// PostgreSQL's planner chooses well from its statistics, except for words of one or two letters: it
// walks the name index, and a pair such as "ti s" then reads most of a million rows before it finds
// twenty (close to a second). When every word is that short, ordering by a copy of the name keeps the
// planner off the name index: the full-text index's matches are sorted, which stays within a few
// hundredths of a second however common the words are.
func wordPlan(ctx context.Context, r store.Reader, b *store.Buf, table, alias string, words []string) (wordSearch, error) {
	ws := wordSearch{order: alias + ".name_norm"}
	if !r.Dialect().IsSQLite() {
		ws.cond = r.Dialect().WordMatch(b, table, alias, words)
		if !slices.ContainsFunc(words, func(w string) bool { return utf8.RuneCountInString(w) > 2 }) {
			ws.order = "(" + alias + `.name_norm || '') COLLATE "C"`
		}
		return ws, nil
	}
	var probe store.Buf
	expr := r.Dialect().FTSQuery(words)
	rows, err := r.Query(ctx, `SELECT rowid FROM `+table+`_fts WHERE `+table+`_fts MATCH `+probe.Arg(expr)+
		` LIMIT `+probe.Arg(wordProbe), probe.Args...)
	if err != nil {
		return ws, fmt.Errorf("store: search %s: %w", table, err)
	}
	defer rows.Close()
	ids := make([]string, 0, 64)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return ws, fmt.Errorf("store: search %s: %w", table, err)
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	if err := rows.Err(); err != nil {
		return ws, fmt.Errorf("store: search %s: %w", table, err)
	}
	if len(ids) < wordProbe {
		ws.cond = alias + ".id IN (SELECT value FROM json_each(" + b.Arg("["+strings.Join(ids, ",")+"]") + "))"
		return ws, nil
	}
	ws.hint = " INDEXED BY " + table + "_name_norm"
	ws.cond = r.Dialect().WordMatch(b, table, alias, words)
	return ws, nil
}

func queryHits(ctx context.Context, r store.Reader, kind, query string, args ...any) ([]Hit, error) {
	rows, err := r.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search %ss: %w", kind, err)
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		h := Hit{Kind: kind}
		if err := rows.Scan(&h.ID, &h.Name, &h.Detail, &h.key); err != nil {
			return nil, fmt.Errorf("store: search %ss: %w", kind, err)
		}
		h.Detail = strings.TrimSpace(h.Detail)
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// sortHits orders hits by key, kind and id, and keeps the first n.
func sortHits(hits []Hit, n int) []Hit {
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.key != b.key {
			return a.key < b.key
		}
		if a.Kind != b.Kind {
			return kindOrder(a.Kind) < kindOrder(b.Kind)
		}
		return a.ID < b.ID
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits
}
