package accounts

import (
	"context"
	"fmt"

	"tili/internal/crm"
	"tili/internal/store"
)

// Filter narrows a list of companies; zero fields do not narrow.
type Filter struct {
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

// accountOrders are the sorts of the companies list.
var accountOrders = store.Orders{
	"name": {Column: "a.name_norm"}, "updated": {Column: "a.updated_at", IsTime: true}, "created": {Column: "a.created_at", IsTime: true},
	// the lifecycle order, not the alphabet
	"stage": {Column: "CASE a.stage WHEN 'suspect' THEN '1' WHEN 'prospect' THEN '2' WHEN 'customer' THEN '3' WHEN 'key_account' THEN '4' ELSE '5' END"},
	"tier":  {Column: "COALESCE(a.tier, 'Z')"}, // no tier after C
	"city":  {Column: "COALESCE(a.city_norm, '')"},
	"owner": {Column: "COALESCE((SELECT LOWER(su.name) FROM users su WHERE su.id = a.owner_id), '')"},
}

// List returns a page of the companies scope sees that match f, in the order f asks.
func List(ctx context.Context, r store.Reader, scope store.Scope, f Filter) (store.Page[*crm.Account], error) {
	var page store.Page[*crm.Account]
	limit := store.ClampLimit(f.Limit, 50, 1000)
	c, err := store.DecodeCursor(f.After)
	if err != nil {
		return page, err
	}
	o, err := accountOrders.Of(f.Sort)
	if err != nil {
		return page, err
	}
	var b store.Buf
	b.WriteString(`SELECT ` + accountColumns + `, ` + o.Column + ` FROM accounts a WHERE `)
	if f.Binned {
		b.WriteString("a.deleted_at IS NOT NULL")
	} else {
		b.WriteString("a.deleted_at IS NULL")
	}
	b.WriteString(" AND " + scope.Visible(&b, crm.KindAccount, "a"))
	if len(f.Stages) > 0 {
		b.WriteString(" AND a.stage IN " + store.In(&b, f.Stages))
	}
	if len(f.Tiers) > 0 {
		b.WriteString(" AND a.tier IN " + store.In(&b, f.Tiers))
	}
	if len(f.OwnerIDs) > 0 {
		b.WriteString(" AND (COALESCE(a.owner_id, 0) IN " + store.In(&b, f.OwnerIDs) + ")")
	}
	if len(f.TeamIDs) > 0 {
		b.WriteString(" AND a.team_id IN " + store.In(&b, f.TeamIDs))
	}
	if f.Segment != "" {
		b.WriteString(" AND a.segment = " + b.Arg(f.Segment))
	}
	if city := crm.Fold(f.City); city != "" {
		b.WriteString(" AND a.city_norm = " + b.Arg(city))
	}
	if q := crm.Fold(f.Name); q != "" {
		cond := "a.name_norm >= " + b.Arg(q) + " AND a.name_norm < " + b.Arg(store.PrefixEnd(q))
		if words := crm.SearchWords(f.Name); len(words) > 0 {
			cond = "(" + cond + " OR " + r.Dialect().WordMatch(&b, "accounts", "a", words) + ")"
		}
		b.WriteString(" AND " + cond)
	}
	if f.ParentID != 0 {
		b.WriteString(" AND a.parent_id = " + b.Arg(f.ParentID))
	}
	if tags := store.FoldAll(f.Tags); len(tags) > 0 {
		b.WriteString(" AND a.id IN (SELECT entity_id FROM tags WHERE entity = 'account' AND tag_norm IN " + store.In(&b, tags) +
			" GROUP BY entity_id HAVING COUNT(*) = " + b.Arg(len(tags)) + ")")
	}
	cond, err := o.After(&b, c, "a.id")
	if err != nil {
		return page, err
	}
	b.WriteString(cond + o.By("a.id") + " LIMIT " + b.Arg(limit+1))
	var keys []any
	list, err := queryAccountsKeyed(ctx, r, b.String(), &keys, b.Args...)
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = store.Cursor{Key: store.KeyText(keys[limit-1]), ID: list[limit-1].ID}.Encode()
	}
	page.Items = list
	return page, nil
}

// Lookalikes returns live companies other than a that may be the same company: the same or a very
// similar name (legal forms aside), or the same web or e-mail domain. It looks at every company, seen by
// the caller or not; the service decides what to tell.
func Lookalikes(ctx context.Context, r store.Reader, a *crm.Account) ([]store.Likely, error) {
	key := crm.NameKey(a.Name)
	var found []store.Likely
	seen := map[int64]bool{a.ID: true}
	add := func(id int64, name, reason string) {
		if !seen[id] {
			seen[id] = true
			found = append(found, store.Likely{Kind: crm.KindAccount.Name, ID: id, Name: name, Reason: reason})
		}
	}
	// names sharing the first letters of the key are the candidates for "similar"
	prefix := string([]rune(key)[:min(3, len([]rune(key)))])
	if prefix != "" {
		rows, err := r.Query(ctx, `SELECT id, name, name_key FROM accounts
			WHERE name_key >= $1 AND name_key < $2 AND deleted_at IS NULL ORDER BY name_key, id LIMIT 500`, prefix, store.PrefixEnd(prefix))
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
		var b store.Buf
		d1 := store.In(&b, domains)
		d2 := store.In(&b, domains)
		// the ids from each index, then their companies: with an OR of the two, PostgreSQL walks every
		// company in name order for the few that match; with UNION rather than UNION ALL, SQLite sorts every
		// company e-mail address
		rows, err := r.Query(ctx, `SELECT a.id, a.name FROM accounts a WHERE a.deleted_at IS NULL AND
			a.id IN (SELECT id FROM accounts WHERE web_domain IN `+d1+`
				UNION ALL SELECT entity_id FROM emails WHERE entity = 'account' AND domain IN `+d2+`)
			ORDER BY a.name_norm, a.id LIMIT 20`, b.Args...)
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
