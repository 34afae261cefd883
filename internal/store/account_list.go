package store

import (
	"context"
	"fmt"

	"tili/internal/crm"
)

// AccountFilter narrows a list of companies; zero fields do not narrow.
type AccountFilter struct {
	Stages   []crm.Stage
	Tiers    []crm.Tier
	OwnerIDs []int64 // 0 in the list stands for "unassigned"
	TeamIDs  []int64
	Tags     []string // a company must carry all of them
	Segment  string
	City     string // the visiting address's city, compared folded
	Name     string // names starting with this (folded), or with a word starting with each of its words
	ParentID int64
	Binned   bool   // the bin instead of the live companies
	Sort     string // name (default), updated or created; "-" before it reverses the order
	Limit    int    // default 50, at most 1000
	After    string
}

// ListAccounts returns a page of the companies scope sees that match f, in the order f asks.
func (r Reader) ListAccounts(ctx context.Context, scope Scope, f AccountFilter) (Page[*crm.Account], error) {
	var page Page[*crm.Account]
	limit := clampLimit(f.Limit, 50, 1000)
	c, err := decodeCursor(f.After)
	if err != nil {
		return page, err
	}
	o, err := orderOf(crm.KindAccount, f.Sort)
	if err != nil {
		return page, err
	}
	var b sqlBuf
	b.WriteString(`SELECT ` + accountColumns + `, ` + o.column + ` FROM accounts a WHERE `)
	if f.Binned {
		b.WriteString("a.deleted_at IS NOT NULL")
	} else {
		b.WriteString("a.deleted_at IS NULL")
	}
	b.WriteString(" AND " + scope.Visible(&b, crm.KindAccount, "a"))
	if len(f.Stages) > 0 {
		b.WriteString(" AND a.stage IN " + in(&b, f.Stages))
	}
	if len(f.Tiers) > 0 {
		b.WriteString(" AND a.tier IN " + in(&b, f.Tiers))
	}
	if len(f.OwnerIDs) > 0 {
		b.WriteString(" AND (COALESCE(a.owner_id, 0) IN " + in(&b, f.OwnerIDs) + ")")
	}
	if len(f.TeamIDs) > 0 {
		b.WriteString(" AND a.team_id IN " + in(&b, f.TeamIDs))
	}
	if f.Segment != "" {
		b.WriteString(" AND a.segment = " + b.arg(f.Segment))
	}
	if city := crm.Fold(f.City); city != "" {
		b.WriteString(" AND a.city_norm = " + b.arg(city))
	}
	if q := crm.Fold(f.Name); q != "" {
		cond := "a.name_norm >= " + b.arg(q) + " AND a.name_norm < " + b.arg(prefixEnd(q))
		if words := crm.SearchWords(f.Name); len(words) > 0 {
			cond = "(" + cond + " OR " + r.db.dialect.wordMatch(&b, "accounts", "a", words) + ")"
		}
		b.WriteString(" AND " + cond)
	}
	if f.ParentID != 0 {
		b.WriteString(" AND a.parent_id = " + b.arg(f.ParentID))
	}
	if tags := foldAll(f.Tags); len(tags) > 0 {
		b.WriteString(" AND a.id IN (SELECT entity_id FROM tags WHERE entity = 'account' AND tag_norm IN " + in(&b, tags) +
			" GROUP BY entity_id HAVING COUNT(*) = " + b.arg(len(tags)) + ")")
	}
	cond, err := o.after(&b, c, "a.id")
	if err != nil {
		return page, err
	}
	b.WriteString(cond + o.by("a.id") + " LIMIT " + b.arg(limit+1))
	var keys []any
	list, err := r.queryAccountsKeyed(ctx, b.String(), &keys, b.args...)
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = cursor{Key: keyText(keys[limit-1]), ID: list[limit-1].ID}.encode()
	}
	page.Items = list
	return page, nil
}

// foldAll folds each of ss and drops empty and repeated ones.
func foldAll(ss []string) []string {
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

// AccountLookalikes returns live companies other than a that may be the same company: the same or a very
// similar name (legal forms aside), or the same web or e-mail domain. It looks at every company, seen by
// the caller or not; the service decides what to tell.
func (r Reader) AccountLookalikes(ctx context.Context, a *crm.Account) ([]Likely, error) {
	key := crm.NameKey(a.Name)
	var found []Likely
	seen := map[int64]bool{a.ID: true}
	add := func(id int64, name, reason string) {
		if !seen[id] {
			seen[id] = true
			found = append(found, Likely{Kind: crm.KindAccount.Name, ID: id, Name: name, Reason: reason})
		}
	}
	// names sharing the first letters of the key are the candidates for "similar"
	prefix := string([]rune(key)[:min(3, len([]rune(key)))])
	if prefix != "" {
		rows, err := r.q.QueryContext(ctx, `SELECT id, name, name_key FROM accounts
			WHERE name_key >= $1 AND name_key < $2 AND deleted_at IS NULL ORDER BY name_key, id LIMIT 500`, prefix, prefixEnd(prefix))
		if err != nil {
			return nil, fmt.Errorf("store: lookalikes of %q: %w", a.Name, err)
		}
		for rows.Next() {
			var id int64
			var name, k string
			if err := rows.Scan(&id, &name, &k); err != nil {
				rows.Close()
				return nil, err
			}
			switch {
			case k == key:
				add(id, name, "same_name")
			case crm.SimilarNames(k, key):
				add(id, name, "similar_name")
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if domains := a.Domains(); len(domains) > 0 {
		var b sqlBuf
		d1 := in(&b, domains)
		d2 := in(&b, domains)
		// the ids from each index, then their companies: with an OR of the two, PostgreSQL walks every
		// company in name order for the few that match; with UNION rather than UNION ALL, SQLite sorts every
		// company e-mail address
		rows, err := r.q.QueryContext(ctx, `SELECT a.id, a.name FROM accounts a WHERE a.deleted_at IS NULL AND
			a.id IN (SELECT id FROM accounts WHERE web_domain IN `+d1+`
				UNION ALL SELECT entity_id FROM emails WHERE entity = 'account' AND domain IN `+d2+`)
			ORDER BY a.name_norm, a.id LIMIT 20`, b.args...)
		if err != nil {
			return nil, fmt.Errorf("store: lookalikes of %q: %w", a.Name, err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			add(id, name, "same_domain")
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// prefixEnd returns the smallest string greater than every string starting with prefix, so that
// "x >= prefix AND x < prefixEnd(prefix)" is a prefix match that a B-tree index answers.
func prefixEnd(prefix string) string {
	r := []rune(prefix)
	r[len(r)-1]++
	return string(r)
}
