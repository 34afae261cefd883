package accounts

import (
	"context"
	"fmt"
	"strings"

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

// Lookalikes returns the live companies scope sees, other than a, that may be the same company: the same
// name (legal forms aside) found through the name index however many companies share its first letters,
// a similar name among its neighbours in that index, or the same web or e-mail domain. One query.
func Lookalikes(ctx context.Context, r store.Reader, scope store.Scope, a *crm.Account) (store.Lookalikes, error) {
	key := crm.NameKey(a.Name)
	set := store.NewLikelySet(a.ID)
	domains := a.Domains()
	if key == "" && len(domains) == 0 {
		return set.Result(), nil
	}
	var b store.Buf
	where := func() string {
		return " AND a.deleted_at IS NULL AND a.id <> " + b.Arg(a.ID) + " AND " + scope.Visible(&b, crm.KindAccount, "a")
	}
	var arms []string
	if key != "" {
		arms = append(arms, `SELECT * FROM (SELECT 'same_name' AS reason, a.id, a.name, a.name_key FROM accounts a
			WHERE a.name_key = `+b.Arg(key)+where()+` LIMIT `+b.Arg(store.LikelyCounted)+`) AS same`,
			`SELECT 'similar_name', a.id, a.name, a.name_key FROM accounts a WHERE a.id IN (`+
				store.Neighbours(&b, "accounts", "name_key", key)+`)`+where())
	}
	if len(domains) > 0 {
		// the ids from each index, then their companies: with an OR of the two, PostgreSQL walks every
		// company in name order for the few that match
		arms = append(arms, `SELECT * FROM (SELECT 'same_domain' AS reason, a.id, a.name, a.name_key FROM accounts a WHERE
			a.id IN (SELECT id FROM accounts WHERE web_domain IN `+store.In(&b, domains)+`
				UNION ALL SELECT entity_id FROM emails WHERE entity = 'account' AND domain IN `+store.In(&b, domains)+`)`+
			where()+` LIMIT `+b.Arg(store.LikelyCounted)+`) AS by_domain`)
	}
	b.WriteString(strings.Join(arms, " UNION ALL "))
	rows, err := r.Cached(ctx, b.String(), b.Args...)
	if err != nil {
		return store.Lookalikes{}, fmt.Errorf("store: lookalikes of %q: %w", a.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var reason, name, k string
		var id int64
		if err := rows.Scan(&reason, &id, &name, &k); err != nil {
			return store.Lookalikes{}, err
		}
		l := store.Likely{Kind: crm.KindAccount.Name, ID: id, Name: name, Reason: reason}
		switch {
		case reason == "same_name" || k == key:
			l.Reason = "same_name"
			set.Add(l)
		case reason == "similar_name" && !crm.SimilarNames(k, key):
		default:
			set.AddLater(l)
		}
	}
	if err := rows.Err(); err != nil {
		return store.Lookalikes{}, err
	}
	return set.Result(), nil
}
